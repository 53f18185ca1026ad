/**
 * The OpenAPI document is complete: every route the Worker answers under
 * /api is in it, with the error responses it can give (in the shared error
 * schema) and examples of what it takes and answers. Each failure names the
 * route and what it lacks.
 */
import { describe, expect, it } from "vitest";
import worker from "../worker/index.ts";
import { exampleOf, type Document, type Operation } from "../worker/openapi-document.ts";
import { NOT_COUNTED } from "../worker/rate-limits/api-rate-limits.ts";
import { call, json } from "./helpers.ts";
import { BODIES_WITHOUT_EXAMPLES_YET } from "./openapi-known-gaps.ts";

const document = async () => json<Document & { paths: Record<string, Record<string, Operation & { requestBody?: { content?: Record<string, { schema?: any; example?: unknown }> } }>> }>(await call("/api/openapi.json"));

/** `GET /api/shops/:shopId` as the router has it → `GET /shops/{shopId}`, as the document does. */
const asDocumented = (method: string, path: string) => `${method.toUpperCase()} ${path.slice("/api".length).replace(/:(\w+)(\{[^}]*\})?/g, "{$1}") || "/"}`;

function operations(doc: Document) {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, op })));
}

const isError = (status: string) => Number(status) >= 400;
const ERROR_REF = "#/components/schemas/Error";
/** What may be sent or answered without an example: the bytes of a file. */
const isFile = (media: { schema?: { format?: string } }) => media.schema?.format === "binary";

describe("the OpenAPI document", () => {
  it("has every route the Worker answers under /api", async () => {
    const doc = await document();
    const documented = new Set(operations(doc).map((o) => o.name));
    const routed = new Set(worker.routes.filter((r) => r.path.startsWith("/api/") && r.method !== "ALL").map((r) => asDocumented(r.method, r.path)));
    expect(routed.size).toBeGreaterThan(100);
    const missing = [...routed].filter((name) => !documented.has(name)).map((name) => `${name}: answered by the Worker but not in /api/openapi.json (define it with createRoute, or registerPath for a raw handler)`);
    const stale = [...documented].filter((name) => !routed.has(name)).map((name) => `${name}: in the document but no route answers it`);
    expect([...missing, ...stale]).toEqual([]);
  });

  it("gives every route the error responses it can return, in the shared error schema", async () => {
    const doc = await document();
    const problems = operations(doc).flatMap(({ name, path, op }) => {
      const statuses = Object.keys(op.responses);
      const lacks: string[] = [];
      const need = (status: string, why: string) => !statuses.includes(status) && lacks.push(`${name}: lacks the ${status} response (${why})`);
      if (!statuses.some(isError)) lacks.push(`${name}: lacks any error response`);
      if (!NOT_COUNTED.has(`/api${path}`)) need("429", "every API call is rate limited");
      if (/\{\w+\}/.test(path)) need("404", "it names a resource in its path");
      if (op.security?.length) need("401", "it takes a credential");
      for (const status of statuses.filter(isError)) {
        const media = op.responses[status]!.content?.["application/json"];
        if ((media?.schema as { $ref?: string } | undefined)?.$ref !== ERROR_REF) lacks.push(`${name}: its ${status} response is not the shared error schema {"error": {"code", "message"}}`);
      }
      return lacks;
    });
    expect(problems).toEqual([]);
  });

  it("has an example of every body a route takes and answers (but the older ones listed in openapi-known-gaps.ts)", async () => {
    const doc = await document();
    const problems = operations(doc).flatMap(({ name, op }) => {
      const bodies = [
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, media]) => ({ what: `request body (${type})`, media })),
        ...Object.entries(op.responses).flatMap(([status, response]) =>
          Object.entries(response.content ?? {}).map(([type, media]) => ({ what: `${status} response (${type})`, media })),
        ),
      ];
      return bodies.flatMap(({ what, media }) => {
        if (isFile(media) || media.example !== undefined || (media.schema && exampleOf(media.schema, doc, new Set()).missing.length === 0)) return [];
        const missing = media.schema ? exampleOf(media.schema, doc, new Set()).missing : ["(no schema)"];
        return [{ body: `${name}: its ${what}`, missing }];
      });
    });
    const known = new Set(BODIES_WITHOUT_EXAMPLES_YET);
    const lacking = problems
      .filter((p) => !known.has(p.body))
      .map(({ body, missing }) => `${body} lacks an example (give these fields .openapi({ example }): ${missing.slice(0, 12).join(", ")}${missing.length > 12 ? ` and ${missing.length - 12} more` : ""})`);
    const fixed = [...known].filter((body) => !problems.some((p) => p.body === body)).map((body) => `${body} has its example now: delete it from test/openapi-known-gaps.ts`);
    expect([...lacking, ...fixed]).toEqual([]);
  });

  it("is served with the rate limits it describes", async () => {
    const doc = await document();
    expect(Object.keys(doc.components?.headers ?? {})).toEqual(expect.arrayContaining(["RateLimit", "RateLimit-Policy", "Retry-After"]));
    expect(doc.paths["/shops"]!.post!.responses["429"]!.headers).toHaveProperty("Retry-After");
  });
});
