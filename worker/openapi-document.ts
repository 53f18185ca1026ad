/**
 * The OpenAPI document as /api/openapi.json serves it: what the routes
 * declare, completed with what holds for every route because of the
 * middleware in front of all of them (worker/index.ts), and with examples.
 *
 * - 429 on every counted route (the rate limits, rate-limits/), with its
 *   `RateLimit`, `RateLimit-Policy` and `Retry-After` headers;
 * - 400 on every route that takes parameters or a body (the validation hook),
 *   413 on every route with a body (the body limits);
 * - an example on every JSON body, assembled from the examples of its fields
 *   (`.openapi({ example })` in the schemas), and on every error a typical
 *   `{error: {code, message}}` for its status.
 *
 * A body whose fields lack examples gets none; test/openapi-complete.test.ts
 * names the route and the fields.
 */
import { NOT_COUNTED, POLICIES } from "./rate-limits/api-rate-limits.ts";
import { ERROR_DESCRIPTIONS } from "./openapi.ts";

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  format?: string;
};
type Media = { schema?: JsonSchema; example?: unknown };
type Response = { description: string; headers?: Record<string, unknown>; content?: Record<string, Media> };
export type Operation = { parameters?: unknown[]; requestBody?: { content?: Record<string, Media> }; responses: Record<string, Response>; security?: unknown[] };
export type Document = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, JsonSchema>; headers?: Record<string, unknown> } };

const ERROR_REF = { $ref: "#/components/schemas/Error" };

/** What each error status typically says; its `code` is the one clients branch on. */
const ERROR_EXAMPLES: Record<string, { code: string; message: string }> = {
  "400": { code: "invalid_request", message: "title: Too small: expected string to have >=1 characters" },
  "401": { code: "unauthorized", message: "Send the shop's API key as `Authorization: Bearer sk_...`." },
  "403": { code: "forbidden", message: "This API key belongs to another shop." },
  "404": { code: "not_found", message: "Room r_Q8s2mK0vT5yH3nB6 does not exist." },
  "409": { code: "sold_out", message: "Jasmine pearls is sold out." },
  "413": { code: "payload_too_large", message: "Request bodies are limited to 64 KB." },
  "415": { code: "unsupported_image", message: "Send a JPEG, PNG or WebP image as the request body." },
  "422": { code: "idempotency_key_reused", message: "This Idempotency-Key was used with another body." },
  "429": { code: "rate_limited", message: `Too many API calls with this key (at most ${POLICIES.key.quota} calls a minute). Try again in 12 s.` },
  "502": { code: "relay_error", message: "The video relay could not be reached." },
  "503": { code: "video_unavailable", message: "Video is not configured: set CALLS_APP_ID and CALLS_APP_SECRET." },
};

const RATE_LIMIT_HEADERS = {
  "RateLimit-Policy": {
    description: `The caller's quota: \`"default";q=${POLICIES.key.quota};w=60\` per key or session; per address without one, \`"anonymous";q=${POLICIES.anonymous.quota};w=60\` and for writes \`"anonymous-writes";q=${POLICIES.anonymousWrites.quota};w=60\`.`,
    schema: { type: "string", example: `"default";q=${POLICIES.key.quota};w=60` },
  },
  RateLimit: {
    description: "What is left of the quota (r) and the seconds until its window ends (t), per policy.",
    schema: { type: "string", example: `"default";r=${POLICIES.key.quota - 1};t=60` },
  },
  "Retry-After": { description: "Seconds until a call may be made again.", schema: { type: "integer", example: 12 } },
};

/** Completes the routes' document (see above); changes it in place and returns it. */
export function completeDocument<D extends Document>(doc: D): D {
  doc.components ??= {};
  doc.components.headers = { ...doc.components.headers, ...RATE_LIMIT_HEADERS };
  const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const op of Object.values(methods)) {
      const counted = !NOT_COUNTED.has(`/api${path}`);
      const errors: string[] = [];
      if (op.requestBody || op.parameters?.length) errors.push("400");
      if (op.requestBody) errors.push("413");
      if (counted) errors.push("429");
      for (const status of errors) {
        op.responses[status] ??= { description: ERROR_DESCRIPTIONS[status as unknown as keyof typeof ERROR_DESCRIPTIONS], content: { "application/json": { schema: ERROR_REF } } };
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (counted && status !== "429") response.headers = { ...response.headers, "RateLimit-Policy": ref("RateLimit-Policy"), RateLimit: ref("RateLimit") };
        if (counted && status === "429") response.headers = { ...response.headers, "RateLimit-Policy": ref("RateLimit-Policy"), RateLimit: ref("RateLimit"), "Retry-After": ref("Retry-After") };
        const json = response.content?.["application/json"];
        if (!json) continue;
        if (Number(status) >= 400 && ERROR_EXAMPLES[status]) json.example ??= { error: ERROR_EXAMPLES[status] };
        else withExample(json, doc);
      }
      const body = op.requestBody?.content?.["application/json"];
      if (body) withExample(body, doc);
    }
  }
  return doc;
}

function withExample(media: Media, doc: Document): void {
  if (media.example !== undefined || !media.schema) return;
  const found = exampleOf(media.schema, doc, new Set());
  if (found.missing.length === 0) media.example = found.value;
}

/**
 * An optional field with one possible value and no example of its own: a flag
 * that is there only when it holds (`test: true` on a rehearsal's order,
 * `paused: true` on a track turned off). Examples show the usual case, without it.
 */
const isOptionalFlag = (object: JsonSchema, name: string, field: JsonSchema) =>
  !object.required?.includes(name) && field.example === undefined && (field.const !== undefined || field.enum?.length === 1);

/** A schema's example, from its own or its fields'; `missing` lists the fields (as paths) that have none. */
export function exampleOf(schema: JsonSchema, doc: Document, seen: Set<string>, at = ""): { value: unknown; missing: string[] } {
  if (schema.$ref) {
    const name = schema.$ref.split("/").pop()!;
    if (seen.has(name)) return { value: null, missing: [] };
    return exampleOf(doc.components?.schemas?.[name] ?? {}, doc, new Set([...seen, name]), at);
  }
  if (schema.example !== undefined) return { value: schema.example, missing: [] };
  if (schema.examples?.length) return { value: schema.examples[0], missing: [] };
  if (schema.const !== undefined) return { value: schema.const, missing: [] };
  if (schema.enum?.length) return { value: schema.enum[0], missing: [] };
  if (schema.default !== undefined) return { value: schema.default, missing: [] };
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    // The first branch that has an example; a nullable field without one is shown as null.
    const tried = branches.map((branch) => exampleOf(branch, doc, seen, at));
    const complete = tried.find((t) => t.missing.length === 0);
    if (complete) return complete;
    if (branches.some((b) => b.type === "null")) return { value: null, missing: [] };
    return tried[0]!;
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((part) => exampleOf(part, doc, seen, at));
    return { value: Object.assign({}, ...parts.map((p) => p.value)), missing: parts.flatMap((p) => p.missing) };
  }
  if (types.includes("object") || schema.properties) {
    const value: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      if (isOptionalFlag(schema, name, field)) continue;
      const found = exampleOf(field, doc, seen, at ? `${at}.${name}` : name);
      value[name] = found.value;
      missing.push(...found.missing);
    }
    return { value, missing };
  }
  if (types.includes("array")) {
    const item = schema.items ? exampleOf(schema.items, doc, seen, `${at}[]`) : { value: undefined, missing: [] };
    return { value: item.value === undefined ? [] : [item.value], missing: item.missing };
  }
  if (types.includes("boolean")) return { value: true, missing: [] };
  if (types.includes("null")) return { value: null, missing: [] };
  return { value: undefined, missing: [at || "(the body)"] };
}
