import type { Hook } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env.ts";

/**
 * Turns a failed schema check into a 400 that says which field is wrong and
 * why, e.g. `products.0.stock: Too small: expected number to be >=0`.
 */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const message = result.error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
  return c.json({ error: { code: "invalid_request", message } }, 400);
};
