/**
 * Readable API docs at /api/docs, rendered on the server from the same
 * OpenAPI document as /api/openapi.json. Self-contained (no CDN), so they
 * work offline and under a strict CSP.
 */
import { createRoute, z } from "@hono/zod-openapi";

/** How /api/openapi.json and /api/docs are described in the document itself (their handlers are in index.ts). */
export const openApiRoute = createRoute({
  method: "get",
  path: "/openapi.json",
  tags: ["Docs"],
  summary: "This API's OpenAPI 3.1 document",
  description: "Every route, its parameters, bodies, answers and errors, with examples; the typed client (clients/typescript/) is generated from it.",
  responses: {
    200: {
      description: "The document",
      content: { "application/json": { schema: z.object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }).openapi({ example: { openapi: "3.1.0", info: { title: "Shop-along API", version: "1.0.0" }, paths: {} } }) } },
    },
  },
});

export const docsRoute = createRoute({
  method: "get",
  path: "/docs",
  tags: ["Docs"],
  summary: "This API's documentation, as a page",
  responses: { 200: { description: "The page", content: { "text/html": { schema: z.string().openapi({ example: "<!doctype html><html lang=\"en\">…</html>" }) } } } },
});

type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; description?: string; example?: unknown; nullable?: boolean; anyOf?: Schema[]; default?: unknown; minimum?: number; maximum?: number; minLength?: number; maxLength?: number; format?: string };
type Media = { schema?: Schema; example?: unknown };
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
};
type Document = { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Operation>> };

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

const refName = (ref: string) => ref.split("/").pop()!;

function describe(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return `<a href="#schema-${escape(refName(schema.$ref))}">${escape(refName(schema.$ref))}</a>`;
  if (schema.anyOf) return schema.anyOf.map(describe).join(" | ");
  if (schema.enum) return schema.enum.map((v) => `<code>${escape(JSON.stringify(v))}</code>`).join(" | ");
  if (schema.type === "array") return `array of ${describe(schema.items)}`;
  if (schema.type === "object" && schema.properties) return fields(schema);
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  const limits = [
    schema.format && `format ${schema.format}`,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
    schema.minLength !== undefined && `length ≥ ${schema.minLength}`,
    schema.maxLength !== undefined && `length ≤ ${schema.maxLength}`,
    schema.default !== undefined && `default ${JSON.stringify(schema.default)}`,
  ].filter(Boolean);
  return `<code>${escape(type)}${schema.nullable ? " | null" : ""}</code>${limits.length ? ` <small>(${escape(limits.join(", "))})</small>` : ""}`;
}

function fields(schema: Schema): string {
  const rows = Object.entries(schema.properties ?? {}).map(([name, field]) => {
    const required = schema.required?.includes(name) ? "" : " <small>optional</small>";
    const note = field.description ? `<br><small>${escape(field.description)}</small>` : "";
    return `<tr><td><code>${escape(name)}</code>${required}</td><td>${describe(field)}${note}</td></tr>`;
  });
  return `<table>${rows.join("")}</table>`;
}

/** A body's example, folded away: JSON pretty-printed, a text body (CSV, calendar) as it is. */
function examples(content: Record<string, Media> | undefined): string {
  return Object.entries(content ?? {})
    .filter(([, media]) => media.example !== undefined)
    .map(([type, { example }]) => {
      const text = typeof example === "string" ? example : JSON.stringify(example, null, 2);
      return `<details><summary>Example <small>${escape(type)}</small></summary><pre><code>${escape(text)}</code></pre></details>`;
    })
    .join("");
}

export function renderDocs(doc: Document & { components?: { schemas?: Record<string, Schema> } }): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const body = op.requestBody?.content?.["application/json"]?.schema;
      const params = (op.parameters ?? []).map((p) => `<code>${escape(p.name)}</code> (${escape(p.in)})`).join(", ");
      // Examples of the answers that succeed; the errors all have the one shape, Error.
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><b>${escape(status)}</b> ${escape(r.description ?? "")} ${describe(r.content?.["application/json"]?.schema)}${Number(status) < 400 ? examples(r.content) : ""}</li>`)
        .join("");
      return `<section class="op"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p><b>${escape(op.summary ?? "")}</b>${op.security?.length ? ' <span class="auth">Bearer key</span>' : ""}</p>
${op.description ? `<p>${escape(op.description)}</p>` : ""}
${params ? `<p>Parameters: ${params}</p>` : ""}
${body ? `<p>Body (JSON): ${describe(body)}</p>${examples(op.requestBody?.content)}` : ""}
<ul>${responses}</ul></section>`;
    }),
  );
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${describe(schema)}</section>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(doc.info.title)} · API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:0 auto;padding:16px;color:#1d1d1f}
code{font:13px ui-monospace,monospace;background:#f3f3f5;padding:1px 4px;border-radius:4px}
.op{border:1px solid #e4e4e8;border-radius:10px;padding:4px 14px;margin:12px 0}
.m{font:700 12px ui-monospace,monospace;padding:2px 6px;border-radius:4px;color:#fff;background:#555}
.m.get{background:#0a7d4f}.m.post{background:#c2410c}.auth{font-size:12px;background:#fde68a;padding:1px 6px;border-radius:4px}
table{border-collapse:collapse;margin:4px 0}td{border-top:1px solid #eee;padding:4px 8px;vertical-align:top}
details{margin:4px 0}summary{cursor:pointer;color:#444}pre{background:#f3f3f5;border-radius:8px;padding:8px 10px;overflow-x:auto;margin:4px 0}pre code{background:none;padding:0}
</style></head><body><h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>
<p>${escape(doc.info.description ?? "")}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Endpoints</h2>${operations.join("")}<h2>Schemas</h2>${schemas}</body></html>`;
}
