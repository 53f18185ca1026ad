/** Small builders for route definitions, so each route reads as what it accepts and answers. */
import type { z } from "@hono/zod-openapi";
import { ErrorBody } from "./schemas.ts";

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const ERROR_DESCRIPTIONS = {
  400: "The request is malformed or fails validation",
  401: "No key, or a key that is not valid",
  403: "A valid key that may not do this",
  404: "No such shop, room or product",
  409: "The request conflicts with the room's state",
  413: "The body is larger than 64 KB",
  415: "The body is not a file of the kind this route takes (a JPEG, PNG or WebP image; a trailer: MP4 or WebM)",
  422: "The Idempotency-Key was already used with a different body, or the order names no variant (or one the product does not have)",
  429: "Too many calls from this caller in this minute: wait Retry-After seconds (see the RateLimit headers)",
  502: "The payment provider could not be reached",
  503: "A service this needs is not configured or not answering; the message says what to do",
} as const;

/** The error responses a route can give, all with the same `{error: {code, message}}` body. */
export function errorResponses<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, jsonContent(ErrorBody, ERROR_DESCRIPTIONS[s])])) as {
    [K in S]: ReturnType<typeof jsonContent<typeof ErrorBody>>;
  };
}
