/**
 * The HTTP status of each way the Room says no (durable-objects/refusal.ts).
 * The Room decides what went wrong; only the Worker speaks HTTP.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isRefusal, type Refusal, type RefusalCode } from "../durable-objects/refusal.ts";
import { ApiError } from "./errors.ts";

const STATUS: Record<RefusalCode, ContentfulStatusCode> = {
  not_found: 404,
  invalid_request: 400,
  invalid_transition: 409,
  show_ended: 409,
  show_not_live: 409,
  not_ended: 409,
  deal_running: 409,
  sold_out: 409,
  deal_limit_reached: 409,
  idempotency_key_reused: 422,
  forbidden: 403,
  variant_required: 422,
  unknown_variant: 422,
  rate_limited: 429,
};

/** The Room's answer, or the ApiError its refusal becomes. */
export function unwrap<T>(result: T | Refusal): Exclude<T, Refusal> {
  if (isRefusal(result)) {
    const retryAfter = result.retryAfterMs ? { "Retry-After": String(Math.ceil(result.retryAfterMs / 1000)) } : undefined;
    throw new ApiError(STATUS[result.code], result.code, result.message, retryAfter);
  }
  return result as Exclude<T, Refusal>;
}
