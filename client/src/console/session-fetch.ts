/**
 * How the console's parts reach the API: same-origin fetch with the session
 * cookie (HttpOnly, never seen here). The browser adds the `Origin` header
 * to every same-origin write, which is what the CSRF check
 * (worker/accounts/csrf.ts) wants; nothing else is needed.
 */
import type { Fetcher } from "../api.ts";

export const sessionFetch: Fetcher = (path, init) => fetch(path, { ...init, credentials: "same-origin" });
