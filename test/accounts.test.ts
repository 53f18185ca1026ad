/**
 * The brand's account: claiming a new shop, the session cookie, CSRF,
 * email sign-in links, recovery codes, sessions, rate limits, the email
 * queue, and `requireShopAccess` on the shop's routes. Passkeys need a real
 * authenticator: e2e/console-sign-in.test.ts does them in Chromium.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { issueEmailToken } from "../worker/accounts/email-links.ts";
import { LIMITS } from "../worker/accounts/rate-limit.ts";
import { newRecoveryCodeFor } from "../worker/accounts/recovery-codes.ts";
import { sha256Hex } from "../worker/digests.ts";
import { deliverEmails, retryDelaySeconds } from "../worker/email/deliver-emails.ts";
import worker from "../worker/index.ts";
import { BASE, json } from "./helpers.ts";

/** A distinct client IP per test, so that one test's attempts never count against another's limit. */
let nextIp = 1;
const freshIp = () => `203.0.113.${nextIp++ % 250}`;

type Browser = { cookie: string | null; ip: string; origin: string };
const browser = (origin = BASE): Browser => ({ cookie: null, ip: freshIp(), origin });

/** A call as this site's own page makes it: its Origin, its cookie (kept from Set-Cookie). */
async function send(
  who: Browser,
  path: string,
  init: { method?: string; json?: unknown; key?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("CF-Connecting-IP", who.ip);
  if (!headers.has("Origin") && (init.method ?? "GET") !== "GET") headers.set("Origin", who.origin);
  if (who.cookie) headers.set("Cookie", who.cookie);
  if (init.key) headers.set("Authorization", `Bearer ${init.key}`);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  const res = await exports.default.fetch(
    new Request(`${who.origin}${path}`, { method: init.method ?? "GET", headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) }),
  );
  const set = res.headers.getSetCookie().at(-1);
  if (set) {
    const [pair] = set.split(";");
    who.cookie = /=$/.test(pair!) || /Max-Age=0/i.test(set) ? null : pair!;
  }
  return res;
}

const post = (who: Browser, path: string, body: unknown = {}, key?: string) => send(who, path, { method: "POST", json: body, key });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await json(res);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
}

async function newShop(name = "Lotus Tea") {
  const res = await exports.default.fetch(
    new Request(`${BASE}/api/shops`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name, currency: "EUR" }) }),
  );
  return json<{ shop: { id: string; name: string }; apiKey: string }>(res);
}

/** A new shop, claimed by a new browser: signed in as its owner. */
async function ownedShop(name?: string) {
  const { shop, apiKey } = await newShop(name);
  const owner = browser();
  const res = await post(owner, "/api/auth/claim", {}, apiKey);
  expect(res.status).toBe(201);
  const me = await json(res);
  return { shop, apiKey, owner, accountId: me.account.id as string };
}

describe("claiming a new shop", () => {
  it("makes the owner's account, its membership and a session, in one call with the shop's key", async () => {
    const { shop, apiKey } = await newShop("Maple & Moss");
    const owner = browser();
    const res = await post(owner, "/api/auth/claim", {}, apiKey);
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.account).toMatchObject({ id: expect.stringMatching(/^a_/), email: null, displayName: "Maple & Moss" });
    expect(body.shops).toEqual([{ id: shop.id, name: "Maple & Moss", currency: "EUR", role: "owner" }]);
    expect(owner.cookie).toMatch(/^session=ss_[0-9A-Za-z]{32}$/);

    const me = await json(await send(owner, "/api/auth/me"));
    expect(me.shops).toEqual(body.shops);
    // Only the token's hash is stored.
    const token = owner.cookie!.slice("session=".length);
    const row = await env.DB.prepare("SELECT * FROM sessions WHERE account_id = ?").bind(body.account.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.token_hash).toBe(await sha256Hex(token));
  });

  it("gives a shop one owner: a second claim is refused, and a bad key is not a claim", async () => {
    const { apiKey } = await ownedShop();
    await expectError(await post(browser(), "/api/auth/claim", {}, apiKey), 409, "already_claimed");
    await expectError(await post(browser(), "/api/auth/claim", {}, "sk_notAKeyAtAll00000000000000000000"), 401, "unauthorized");
    await expectError(await post(browser(), "/api/auth/claim", {}), 401, "unauthorized");
    await expectError(await post(browser(), "/api/auth/claim", { email: "not an email" }, apiKey), 400, "invalid_request");
  });

  it("adds a second shop to the signed-in account", async () => {
    const { owner, accountId } = await ownedShop("First");
    const second = await newShop("Second");
    const res = await post(owner, "/api/auth/claim", {}, second.apiKey);
    expect(res.status).toBe(201);
    const me = await json(res);
    expect(me.account.id).toBe(accountId);
    expect(me.shops.map((s: { name: string }) => s.name)).toEqual(["First", "Second"]);
  });

  it("with an email, queues a link to confirm it", async () => {
    const { apiKey } = await newShop();
    const res = await post(browser(), "/api/auth/claim", { email: "Owner@Example.com" }, apiKey);
    expect(res.status).toBe(201);
    const me = await json(res);
    // Not the account's email until the link is followed.
    expect(me.account.email).toBeNull();
    const tokens = await env.DB.prepare("SELECT email FROM email_tokens WHERE account_id = ?").bind(me.account.id).all();
    expect(tokens.results).toEqual([{ email: "owner@example.com" }]);
  });
});

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Lax, Path=/ and expiring; on plain http it is `session`, without Secure", async () => {
    const { apiKey } = await newShop();
    const res = await post(browser(), "/api/auth/claim", {}, apiKey);
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^session=ss_/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=2592000/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it("is `__Host-session`, Secure, without Domain, on https", async () => {
    const { apiKey } = await newShop();
    const owner = browser("https://shop.test");
    const res = await post(owner, "/api/auth/claim", {}, apiKey);
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^__Host-session=ss_/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).not.toMatch(/Domain/i);
    expect((await send(owner, "/api/auth/me")).status).toBe(200);
    // The plain name is not read on https: a cookie set without Secure cannot stand in for it.
    const plain = { ...owner, cookie: owner.cookie!.replace("__Host-session", "session") };
    await expectError(await send(plain, "/api/auth/me"), 401, "signed_out");
  });

  it("signs out: the session ends in D1 and the cookie is cleared", async () => {
    const { owner } = await ownedShop();
    const stolen = { ...owner };
    const res = await post(owner, "/api/auth/sign-out");
    expect(res.status).toBe(200);
    expect(res.headers.get("Set-Cookie")).toMatch(/^session=;.*Max-Age=0/);
    // The old cookie no longer works, even replayed.
    await expectError(await send(stolen, "/api/auth/me"), 401, "signed_out");
  });
});

describe("cross-site requests with the session cookie", () => {
  it("refuses a write from another site's page with 403 and changes nothing", async () => {
    const { shop, owner } = await ownedShop();
    const evil = { "Content-Type": "application/json", Origin: "https://evil.example" };
    await expectError(
      await send(owner, `/api/shops/${shop.id}/products`, { method: "POST", json: { title: "Forged", priceCents: 1 }, headers: evil }),
      403,
      "cross_site_request",
    );
    await expectError(await send(owner, "/api/auth/sign-out", { method: "POST", headers: evil }), 403, "cross_site_request");
    // No Origin: Sec-Fetch-Site decides; neither: refused.
    await expectError(await send(owner, "/api/auth/sign-out", { method: "POST", headers: { Origin: "", "Sec-Fetch-Site": "cross-site" } }), 403, "cross_site_request");
    const products = await json(await send(owner, `/api/shops/${shop.id}/products`));
    expect(products.products).toEqual([]);
    expect((await send(owner, "/api/auth/me")).status).toBe(200);
  });

  it("refuses another site's page signing a visitor in (login CSRF), even without a cookie", async () => {
    const { accountId } = await ownedShop();
    const token = await issueEmailToken(env.DB, accountId, "csrf@example.com");
    const visitor = browser();
    await expectError(
      await send(visitor, "/api/auth/email-link/sign-in", { method: "POST", json: { token }, headers: { Origin: "https://evil.example" } }),
      403,
      "cross_site_request",
    );
    expect(visitor.cookie).toBeNull();
    // The token was not used up: the owner's own page still signs in with it.
    expect((await post(browser(), "/api/auth/email-link/sign-in", { token })).status).toBe(200);
  });

  it("lets the site's own pages write, and API keys without a cookie are not affected", async () => {
    const { shop, apiKey, owner } = await ownedShop();
    const res = await send(owner, `/api/shops/${shop.id}/products`, { method: "POST", json: { title: "Oolong", priceCents: 1250 } });
    expect(res.status).toBe(201);
    const sameOrigin = await send(owner, `/api/shops/${shop.id}/products`, {
      method: "POST",
      json: { title: "Pu-erh", priceCents: 900 },
      headers: { Origin: "", "Sec-Fetch-Site": "same-origin" },
    });
    expect(sameOrigin.status).toBe(201);
    const script = await send(browser(), `/api/shops/${shop.id}/products`, {
      method: "POST",
      json: { title: "Green", priceCents: 700 },
      key: apiKey,
      headers: { Origin: "https://integrator.example" },
    });
    expect(script.status).toBe(201);
  });
});

describe("email sign-in links", () => {
  it("answers the same whether or not an account has the email, and only sends for one that has", async () => {
    const { accountId } = await ownedShop();
    // The owner confirmed this address earlier (by following a link).
    const confirm = await issueEmailToken(env.DB, accountId, "known@example.com");
    expect((await post(browser(), "/api/auth/email-link/sign-in", { token: confirm })).status).toBe(200);

    const known = await post(browser(), "/api/auth/email-link", { email: "Known@Example.com" });
    const unknown = await post(browser(), "/api/auth/email-link", { email: "nobody@example.com" });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.text()).toBe(await unknown.text());
    const sent = await env.DB.prepare("SELECT email, used_at FROM email_tokens WHERE account_id = ? ORDER BY created_at").bind(accountId).all();
    expect(sent.results).toEqual([
      { email: "known@example.com", used_at: expect.any(Number) },
      { email: "known@example.com", used_at: null },
    ]);
    const none = await env.DB.prepare("SELECT count(*) AS n FROM email_tokens WHERE email = 'nobody@example.com'").first<{ n: number }>();
    expect(none!.n).toBe(0);
  });

  it("signs in once: the same link again is refused", async () => {
    const { accountId } = await ownedShop();
    const token = await issueEmailToken(env.DB, accountId, "once@example.com");
    const first = browser();
    const res = await post(first, "/api/auth/email-link/sign-in", { token });
    expect(res.status).toBe(200);
    const me = await json(res);
    expect(me.account).toMatchObject({ id: accountId, email: "once@example.com" });
    expect(first.cookie).toMatch(/^session=ss_/);
    await expectError(await post(browser(), "/api/auth/email-link/sign-in", { token }), 401, "link_expired");
  });

  it("expires after 15 minutes", async () => {
    const { accountId } = await ownedShop();
    const token = await issueEmailToken(env.DB, accountId, "late@example.com");
    const row = await env.DB.prepare("SELECT created_at, expires_at FROM email_tokens WHERE token_hash = ?").bind(await sha256Hex(token)).first<{ created_at: number; expires_at: number }>();
    expect(row!.expires_at - row!.created_at).toBe(15 * 60_000);
    await env.DB.prepare("UPDATE email_tokens SET expires_at = ? WHERE token_hash = ?").bind(Date.now() - 1, await sha256Hex(token)).run();
    await expectError(await post(browser(), "/api/auth/email-link/sign-in", { token }), 401, "link_expired");
    await expectError(await post(browser(), "/api/auth/email-link/sign-in", { token: "el_short" }), 400, "invalid_request");
  });

  it("does not give an address to a second account", async () => {
    const a = await ownedShop();
    const b = await ownedShop();
    await post(browser(), "/api/auth/email-link/sign-in", { token: await issueEmailToken(env.DB, a.accountId, "shared@example.com") });
    const res = await post(browser(), "/api/auth/email-link/sign-in", { token: await issueEmailToken(env.DB, b.accountId, "shared@example.com") });
    expect((await json(res)).account).toMatchObject({ id: b.accountId, email: null });
  });
});

describe("the recovery code", () => {
  it("signs in once, and the answer carries its replacement", async () => {
    const { accountId, shop } = await ownedShop();
    const code = await newRecoveryCodeFor(env.DB, accountId);
    expect(code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);
    const stored = await env.DB.prepare("SELECT code_hash FROM recovery_codes WHERE account_id = ?").bind(accountId).first<{ code_hash: string }>();
    expect(stored!.code_hash).toBe(await sha256Hex(code));

    const lost = browser();
    // Typed in lower case, without dashes: still the code.
    const res = await post(lost, "/api/auth/recovery-code", { code: code.toLowerCase().replaceAll("-", " ") });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.shops).toEqual([expect.objectContaining({ id: shop.id, role: "owner" })]);
    expect(body.recoveryCode).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);
    expect(body.recoveryCode).not.toBe(code);
    expect(lost.cookie).toMatch(/^session=ss_/);

    await expectError(await post(browser(), "/api/auth/recovery-code", { code }), 401, "code_refused");
    expect((await post(browser(), "/api/auth/recovery-code", { code: body.recoveryCode })).status).toBe(200);
  });
});

describe("sessions", () => {
  it("lists the account's browsers and revokes one from another", async () => {
    const { owner, accountId } = await ownedShop();
    const laptop = browser();
    await post(laptop, "/api/auth/email-link/sign-in", { token: await issueEmailToken(env.DB, accountId, "two@example.com") });
    const { sessions } = await json(await send(laptop, "/api/auth/sessions"));
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = sessions.find((s: { current: boolean }) => !s.current);

    expect((await post(laptop, `/api/auth/sessions/${other.id}/revoke`)).status).toBe(200);
    await expectError(await send(owner, "/api/auth/me"), 401, "signed_out");
    expect((await send(laptop, "/api/auth/me")).status).toBe(200);
    await expectError(await post(laptop, `/api/auth/sessions/${other.id}/revoke`), 404, "not_found");
  });

  it("cannot revoke another account's session", async () => {
    const a = await ownedShop();
    const b = await ownedShop();
    const { sessions } = await json(await send(b.owner, "/api/auth/sessions"));
    await expectError(await post(a.owner, `/api/auth/sessions/${sessions[0].id}/revoke`), 404, "not_found");
    expect((await send(b.owner, "/api/auth/me")).status).toBe(200);
  });
});

describe("rate limits on signing in", () => {
  it(`allows ${LIMITS.email} email links per address per window, then 429`, async () => {
    for (let n = 0; n < LIMITS.email; n++) {
      expect((await post(browser(), "/api/auth/email-link", { email: "flood@example.com" })).status).toBe(202);
    }
    await expectError(await post(browser(), "/api/auth/email-link", { email: "FLOOD@example.com" }), 429, "rate_limited");
    expect((await post(browser(), "/api/auth/email-link", { email: "other@example.com" })).status).toBe(202);
  });

  it(`allows ${LIMITS.ip} attempts per IP per window, of any kind, then 429`, async () => {
    const from = browser();
    for (let n = 0; n < LIMITS.ip; n++) {
      expect((await post(from, "/api/auth/recovery-code", { code: "AAAA-AAAA-AAAA-AAAA-AAAA" })).status).toBe(401);
    }
    await expectError(await post(from, "/api/auth/recovery-code", { code: "AAAA-AAAA-AAAA-AAAA-AAAA" }), 429, "rate_limited");
    await expectError(await post(from, "/api/auth/email-link", { email: "x@example.com" }), 429, "rate_limited");
    await expectError(await post(from, "/api/auth/passkeys/sign-in", { challengeId: "wc_x", response: { id: "x", type: "public-key", response: {} } }), 429, "rate_limited");
    expect((await post(browser(), "/api/auth/recovery-code", { code: "AAAA-AAAA-AAAA-AAAA-AAAA" })).status).toBe(401);
  });
});

describe("requireShopAccess on the shop's routes", () => {
  it("lets the owner's session in, with the cookie", async () => {
    const { shop, owner } = await ownedShop();
    expect((await send(owner, `/api/shops/${shop.id}/orders`)).status).toBe(200);
    expect((await send(owner, `/api/shops/${shop.id}/rooms`)).status).toBe(200);
    const product = await json(await send(owner, `/api/shops/${shop.id}/products`, { method: "POST", json: { title: "Oolong", priceCents: 1250 } }));
    const room = await send(owner, `/api/shops/${shop.id}/rooms`, { method: "POST", json: { title: "Tasting", products: [{ productId: product.product.id, stock: 3 }] } });
    expect(room.status).toBe(201);
    const { shows } = await json(await send(owner, `/api/shops/${shop.id}/rooms`));
    expect(shows).toEqual([
      {
        id: (await json(room)).room.id,
        title: "Tasting",
        status: "scheduled",
        cancelled: false,
        startsAt: null,
        createdAt: expect.any(Number),
        liveAt: null,
        endedAt: null,
        viewerLink: expect.stringMatching(/\/r\/r_/),
        recording: true,
        orders: 0,
        revenueCents: 0,
        rsvps: 0,
      },
    ]);
  });

  it("refuses another shop's owner (403), a signed-out browser (401) and an expired session (401)", async () => {
    const { shop } = await ownedShop();
    const other = await ownedShop();
    await expectError(await send(other.owner, `/api/shops/${shop.id}/orders`), 403, "forbidden");
    await expectError(await send(other.owner, `/api/shops/${shop.id}/products`, { method: "POST", json: { title: "x", priceCents: 1 } }), 403, "forbidden");
    await expectError(await send(browser(), `/api/shops/${shop.id}/orders`), 401, "unauthorized");

    const { owner, shop: expiring } = await ownedShop();
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE token_hash = ?").bind(Date.now() - 1, await sha256Hex(owner.cookie!.slice("session=".length))).run();
    await expectError(await send(owner, `/api/shops/${expiring.id}/orders`), 401, "signed_out");
  });

  it("takes any live API key of the shop, records its use, and refuses a revoked one", async () => {
    const { shop, apiKey } = await newShop();
    const key = await env.DB.prepare("SELECT id, name, last_used_at FROM api_keys WHERE shop_id = ?").bind(shop.id).first<{ id: string; name: string; last_used_at: number | null }>();
    expect(key).toMatchObject({ name: "Created with the shop", last_used_at: null });
    expect((await send(browser(), `/api/shops/${shop.id}/orders`, { key: apiKey })).status).toBe(200);
    const used = await env.DB.prepare("SELECT last_used_at FROM api_keys WHERE id = ?").bind(key!.id).first<{ last_used_at: number }>();
    expect(used!.last_used_at).toBeGreaterThan(Date.now() - 10_000);

    // A second key for the shop works alongside the first.
    const second = "sk_SecondKeyOfTheShop000000000000000";
    await env.DB.prepare("INSERT INTO api_keys (id, shop_id, name, key_hash, created_at) VALUES ('ak_second', ?, 'CI', ?, ?)").bind(shop.id, await sha256Hex(second), Date.now()).run();
    expect((await send(browser(), `/api/shops/${shop.id}/orders`, { key: second })).status).toBe(200);

    await env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").bind(Date.now(), key!.id).run();
    await expectError(await send(browser(), `/api/shops/${shop.id}/orders`, { key: apiKey }), 401, "unauthorized");
    await expectError(await send(browser(), `/api/shops/${shop.id}/products`, { method: "POST", json: { title: "x", priceCents: 1 }, key: apiKey }), 401, "unauthorized");
    expect((await send(browser(), `/api/shops/${shop.id}/orders`, { key: second })).status).toBe(200);
  });
});

describe("the email queue", () => {
  const email = { from: "shop-along@localhost", to: "owner@example.com", subject: "Your sign-in link", text: "http://shop.test/console#token=el_x" };

  it("sends each queued email through the EMAIL binding (the local simulation) and acknowledges it", async () => {
    const batch = createMessageBatch("shop-along-email", [{ id: "m1", timestamp: new Date(), attempts: 1, body: email }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("retries, with a growing delay, an email whose send failed", async () => {
    const batch = createMessageBatch("shop-along-email", [{ id: "m2", timestamp: new Date(), attempts: 3, body: email }]);
    const ctx = createExecutionContext();
    const down = { ...env, EMAIL: { send: () => Promise.reject(new Error("Email Service unavailable")) } } as unknown as Env;
    await deliverEmails(batch, down);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m2"]);
    expect([1, 2, 3, 4, 10].map(retryDelaySeconds)).toEqual([10, 20, 40, 80, 600]);
  });
});
