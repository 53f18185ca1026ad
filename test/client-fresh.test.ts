/**
 * The typed client is generated from the document the Worker serves: the
 * saved copy (clients/typescript/openapi.json, from which src/schema.ts is
 * made; `npm run client:check` holds schema.ts to it) must be that document.
 */
import { expect, it } from "vitest";
import committed from "../clients/typescript/openapi.json";
import { call, json } from "./helpers.ts";

it("the typed client's saved OpenAPI document is the one the Worker serves (else run `npm run client:generate`)", async () => {
  const { servers: _, ...served } = await json(await call("/api/openapi.json"));
  const changed = [...new Set([...Object.keys(served.paths), ...Object.keys(committed.paths)])].filter(
    (path) => JSON.stringify(served.paths[path]) !== JSON.stringify((committed.paths as Record<string, unknown>)[path]),
  );
  expect(changed, "paths that differ: run `npm run client:generate` and commit clients/typescript/").toEqual([]);
  expect(served).toEqual(committed);
});
