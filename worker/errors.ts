import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A refusal the client can act on; rendered as `{error: {code, message}}` by `renderError`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Sent with the error (e.g. `Retry-After` on a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} does not exist.`);

/** The one place errors become responses. Clients never see a stack. */
export function renderError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json({ error: { code: error.code, message: error.message } }, error.status, error.headers);
  }
  if (error instanceof HTTPException) {
    // Hono's validators throw these for bodies they cannot read.
    const status = error.status;
    const code = status === 413 ? "payload_too_large" : status === 400 ? "invalid_json" : "bad_request";
    const message =
      status === 400
        ? "The request body is not valid JSON. Send a JSON object with Content-Type: application/json."
        : error.message || "The request could not be processed.";
    return c.json({ error: { code, message } }, status as ContentfulStatusCode);
  }
  console.error("unhandled error", c.req.method, c.req.path, error);
  return c.json({ error: { code: "internal", message: "Something went wrong on our side; please try again." } }, 500);
}
