/**
 * Who the passkeys belong to (WebAuthn's "relying party"): the site's host
 * and origin, from PUBLIC_URL when it is set (a custom domain), else from the
 * request, so http://localhost and http://127.0.0.1 work in development
 * (browsers treat both as secure contexts for WebAuthn).
 */
export const RP_NAME = "shop-along";

export function relyingParty(env: Env, requestUrl: string): { id: string; origin: string } {
  const origin = new URL(env.PUBLIC_URL || requestUrl).origin;
  return { id: new URL(origin).hostname, origin };
}

/** The origin links in emails point at: PUBLIC_URL, else the request's. */
export const siteOrigin = (env: Env, requestUrl: string) => new URL(env.PUBLIC_URL || requestUrl).origin;
