/**
 * The OpenAPI document is complete: every route the Worker answers under
 * /api is in it, with the error responses it can give (in the shared error
 * schema) and examples of what it takes and answers. Each failure names the
 * route and what it lacks.
 */
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import worker from "../worker/index.ts";
import { exampleOf, type Document, type Operation } from "../worker/openapi-document.ts";
import { NOT_COUNTED } from "../worker/rate-limits/api-rate-limits.ts";
import { call, json, scheduledShow } from "./helpers.ts";

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
/** A route's declared schema for a body: zod, or a plain JSON schema for text and files. */
const schemaOf = (media: unknown) => (media as { schema?: unknown } | undefined)?.schema;

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

  it("has an example of every body a route takes and answers", async () => {
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
    const fields = (missing: string[]) => `${missing.slice(0, 12).join(", ")}${missing.length > 12 ? ` and ${missing.length - 12} more` : ""}`;
    const lacking = problems.map(({ body, missing }) =>
      missing.some((field) => field.startsWith("("))
        ? `${body} lacks an example (give the route's content an \`example\`: for CSV, calendar or other text, a short document as the route writes one)`
        : `${body} lacks an example (give these fields .openapi({ example }): ${fields(missing)})`,
    );
    expect(lacking).toEqual([]);
  });

  it("has examples that the routes' own schemas accept", async () => {
    const doc = await document();
    let checked = 0;
    const problems = worker.openAPIRegistry.definitions.flatMap((definition) => {
      if (definition.type !== "route") return [];
      const { method, path, request, responses } = definition.route;
      const op = doc.paths[path.slice("/api".length)]?.[method];
      const bodies = [
        ...Object.entries(request?.body?.content ?? {}).map(([type, media]) => ({ what: `request body (${type})`, schema: schemaOf(media), example: op?.requestBody?.content?.[type]?.example })),
        ...Object.entries(responses).flatMap(([status, response]) =>
          Object.entries(("content" in response && response.content) || {}).map(([type, media]) => ({ what: `${status} response (${type})`, schema: schemaOf(media), example: op?.responses[status]?.content?.[type]?.example })),
        ),
      ];
      return bodies.flatMap(({ what, schema, example }) => {
        if (!(schema instanceof z.ZodType) || example === undefined) return [];
        checked++;
        const parsed = schema.safeParse(example);
        return parsed.success ? [] : [`${method.toUpperCase()} ${path.slice("/api".length)}: its ${what} example is not one its schema takes: ${z.prettifyError(parsed.error)}`];
      });
    });
    expect(checked).toBeGreaterThan(500);
    expect(problems).toEqual([]);
  });

  it("gives its CSV and calendar answers example documents in the shape their routes write", async () => {
    const doc = await document();
    const show = await scheduledShow(new Date(Date.now() + 86_400_000).toISOString());
    const { shop, room, apiKey } = show;
    const answers = [
      { documented: ["/shops/{shopId}/orders", "text/csv"], path: `/api/shops/${shop.id}/orders?format=csv`, key: apiKey },
      { documented: ["/shops/{shopId}/rooms/{roomId}/rsvps", "text/csv"], path: `/api/shops/${shop.id}/rooms/${room.id}/rsvps?format=csv`, key: apiKey },
      { documented: ["/shops/{shopId}/rooms/{roomId}/rsvps.csv", "text/csv"], path: `/api/shops/${shop.id}/rooms/${room.id}/rsvps.csv`, key: apiKey },
      { documented: ["/rooms/{roomId}/numbers.csv", "text/csv"], path: `/api/rooms/${room.id}/numbers.csv?table=products`, key: show.hostKey },
      { documented: ["/rooms/{roomId}/calendar.ics", "text/calendar"], path: `/api/rooms/${room.id}/calendar.ics` },
    ];
    /** How many cells a CSV line has (RFC 4180: a quoted cell may hold commas and doubled quotes). */
    const cells = (line: string) => line.replace(/"([^"]|"")*"/g, "").split(",").length;
    /** An iCalendar file's property names, in order (folded lines unfolded). */
    const properties = (ics: string) => ics.replace(/\r\n /g, "").split("\r\n").filter(Boolean).map((line) => line.split(/[:;]/)[0]);
    for (const { documented: [path, type], path: url, key } of answers) {
      const example = doc.paths[path!]!.get!.responses["200"]!.content![type!]!.example as string;
      const res = await call(url, { key });
      expect(res.headers.get("Content-Type"), url).toContain(type);
      const written = await res.text();
      expect(example.endsWith("\r\n"), `${path}: ends its lines as the route does`).toBe(written.endsWith("\r\n"));
      if (type === "text/calendar") {
        expect(properties(example), path).toEqual(properties(written));
        continue;
      }
      const [header, ...rows] = example.trimEnd().split("\r\n");
      expect(header, `${path}: the example's columns are the route's`).toBe(written.split("\r\n")[0]);
      expect(rows.length, `${path}: the example has rows`).toBeGreaterThan(0);
      for (const row of rows) expect(cells(row), `${path}: ${row}`).toBe(cells(header!));
    }
  });

  it("is served with the rate limits it describes", async () => {
    const doc = await document();
    expect(Object.keys(doc.components?.headers ?? {})).toEqual(expect.arrayContaining(["RateLimit", "RateLimit-Policy", "Retry-After"]));
    expect(doc.paths["/shops"]!.post!.responses["429"]!.headers).toHaveProperty("Retry-After");
  });
});
