/**
 * API rate limits (worker/rate-limits/): per key, per address for calls
 * without one; the headers on every answer; 429 with Retry-After that
 * changes nothing.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { POLICIES, VIEWER_TICKET_POLICY } from "../worker/rate-limits/api-rate-limits.ts";
import { CLOSE } from "../durable-objects/protocol.ts";
import { call, createShow, joinAsViewer, json } from "./helpers.ts";

const KEY_QUOTA = POLICIES.key.quota;
const WRITE_QUOTA = POLICIES.anonymousWrites.quota;

let nextIp = 1;
const freshIp = () => `192.0.2.${nextIp++}`;

async function newShop(ip = freshIp()) {
  const res = await call("/api/shops", { method: "POST", json: { name: "Lotus Tea", currency: "EUR" }, headers: { "CF-Connecting-IP": ip } });
  expect(res.status).toBe(201);
  return json<{ shop: { id: string }; apiKey: string }>(res);
}

/** `"name";r=…;t=…` of the RateLimit header, by policy name. */
function standing(res: Response): Record<string, { r: number; t: number }> {
  const items = (res.headers.get("RateLimit") ?? "").split(/,\s*/).filter(Boolean);
  return Object.fromEntries(
    items.map((item) => {
      const [, name, r, t] = item.match(/^"([^"]+)";r=(\d+);t=(\d+)$/) ?? [];
      return [name, { r: Number(r), t: Number(t) }];
    }),
  );
}

/** `count` calls, 50 at a time, each answered before the next batch. */
async function spend(count: number, one: () => Promise<Response>): Promise<Response[]> {
  const answers: Response[] = [];
  for (let done = 0; done < count; done += 50) {
    answers.push(...(await Promise.all(Array.from({ length: Math.min(50, count - done) }, one))));
  }
  return answers;
}

describe("API rate limits", () => {
  it("says on every answer which policy counts the call and what is left, per key", async () => {
    const { shop, apiKey } = await newShop();
    const first = await call(`/api/shops/${shop.id}/products`, { key: apiKey });
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Policy")).toBe(`"default";q=${KEY_QUOTA};w=60`);
    expect(standing(first).default).toEqual({ r: KEY_QUOTA - 1, t: 60 });
    // And how long the count took (bench/rate-limits.ts reads it).
    expect(first.headers.get("Server-Timing")).toMatch(/^quota;dur=\d+\.\d;desc="rate limit count"$/);
    // Errors too: a 404 and a 400 are counted and carry the headers.
    const missing = await call(`/api/shops/${shop.id}/products/p_0000000000000000`, { key: apiKey });
    expect(missing.status).toBe(404);
    expect(standing(missing).default!.r).toBe(KEY_QUOTA - 2);
    const bad = await call(`/api/shops/${shop.id}/products`, { method: "POST", key: apiKey, json: { title: "" } });
    expect(bad.status).toBe(400);
    expect(standing(bad).default!.r).toBe(KEY_QUOTA - 3);
  });

  it(`refuses call ${KEY_QUOTA + 1} of a minute with 429, Retry-After and the JSON error, and it changes nothing; another key goes on`, async () => {
    const { shop, apiKey } = await newShop();
    const other = await newShop();
    const answers = await spend(KEY_QUOTA - 1, () => call(`/api/shops/${shop.id}/products`, { key: apiKey }));
    expect(answers.every((res) => res.status === 200)).toBe(true);
    const last = await call(`/api/shops/${shop.id}/products`, { method: "POST", key: apiKey, json: { title: "Oolong", priceCents: 1200 } });
    expect(last.status).toBe(201);
    expect(standing(last).default!.r).toBe(0);

    const refused = await call(`/api/shops/${shop.id}/products`, { method: "POST", key: apiKey, json: { title: "Pu-erh", priceCents: 2400 } });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(standing(refused).default).toEqual({ r: 0, t: retryAfter });
    const body = await json(refused);
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toContain(`${KEY_QUOTA} calls a minute`);
    // Nothing was made: the shop's catalogue, read without a credential (a call that is not counted), has the one product.
    const { products } = await json(await call(`/api/shops/${shop.id}/products`));
    expect(products.map((p: { title: string }) => p.title)).toEqual(["Oolong"]);
    // Reads are refused too, until the window ends.
    expect((await call(`/api/shops/${shop.id}/products`, { key: apiKey })).status).toBe(429);

    const elsewhere = await call(`/api/shops/${other.shop.id}/products`, { key: other.apiKey });
    expect(elsewhere.status).toBe(200);
    expect(standing(elsewhere).default!.r).toBe(KEY_QUOTA - 1);
  }, 60_000);

  it(`counts calls without a key by address: ${WRITE_QUOTA} writes a minute, reads go on, another address is not affected`, async () => {
    const ip = freshIp();
    const before = await env.DB.prepare("SELECT count(*) AS n FROM shops").first<{ n: number }>();
    const writes = await spend(WRITE_QUOTA, () => call("/api/shops", { method: "POST", json: { name: "" }, headers: { "CF-Connecting-IP": ip } }));
    expect(writes.every((res) => res.status === 400)).toBe(true);
    expect(writes[0]!.headers.get("RateLimit-Policy")).toBe(`"anonymous";q=${POLICIES.anonymous.quota};w=60, "anonymous-writes";q=${WRITE_QUOTA};w=60`);

    const refused = await call("/api/shops", { method: "POST", json: { name: "Spam Tea" }, headers: { "CF-Connecting-IP": ip } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect((await json(refused)).error).toMatchObject({ code: "rate_limited", message: expect.stringContaining(`${WRITE_QUOTA} writes a minute`) });
    const after = await env.DB.prepare("SELECT count(*) AS n FROM shops").first<{ n: number }>();
    expect(after!.n).toBe(before!.n);

    // Reading goes on (the writes' limit is its own), with what is left of the address's calls.
    const read = await call("/api/rooms/r_0000000000000000", { headers: { "CF-Connecting-IP": ip } });
    expect(read.status).toBe(404);
    expect(read.headers.get("RateLimit-Policy")).toBe(`"anonymous";q=${POLICIES.anonymous.quota};w=60`);
    expect(standing(read).anonymous!.r).toBe(POLICIES.anonymous.quota - WRITE_QUOTA - 1);

    await newShop(freshIp());
  }, 30_000);

  it(`lets a carrier's NAT full of viewers join: their tickets are not the address's ${WRITE_QUOTA} writes, but ${VIEWER_TICKET_POLICY.quota} a minute`, async () => {
    const show = await createShow();
    const ip = freshIp();
    const ticket = (headers: Record<string, string> = {}) => call(`/api/rooms/${show.room.id}/tickets`, { method: "POST", headers: { "CF-Connecting-IP": ip, ...headers } });
    // The binding's local twin counts in windows aligned to the clock's minutes: begin early in one, so that every
    // call below falls in the same window (begun late in a minute, the count started again halfway through).
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 35_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
    const tickets = await spend(VIEWER_TICKET_POLICY.quota, () => ticket());
    expect(tickets.filter((res) => res.status !== 201).map((res) => res.status)).toEqual([]);
    expect(tickets[0]!.headers.get("RateLimit-Policy")).toBe(`"viewer-tickets";q=${VIEWER_TICKET_POLICY.quota};w=60`);
    const refused = await ticket();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect((await json(refused)).error).toMatchObject({ code: "rate_limited", message: expect.stringContaining(`${VIEWER_TICKET_POLICY.quota} a minute`) });
    // A viewer joining in one request (no ticket) counts against the same allowance.
    // (A page cannot read a refused handshake: its socket is closed at once with 4429.)
    const socket = await joinAsViewer(show.room.id, { headers: { "CF-Connecting-IP": ip } });
    if (socket instanceof Response) throw new Error(`refused with ${socket.status}`);
    expect(await socket.closed).toMatchObject({ code: CLOSE.rateLimited, reason: expect.stringContaining(`${VIEWER_TICKET_POLICY.quota} a minute`) });
    // From another address, a viewer joins in one request.
    const elsewhere = await joinAsViewer(show.room.id, { headers: { "CF-Connecting-IP": freshIp() } });
    if (elsewhere instanceof Response) throw new Error(`refused with ${elsewhere.status}`);
    await elsewhere.next("sync");
    elsewhere.ws.close();
    // The address's own writes were not spent by its viewers' tickets.
    const write = await call("/api/shops", { method: "POST", json: { name: "" }, headers: { "CF-Connecting-IP": ip } });
    expect(write.status).toBe(400);
    expect(standing(write)["anonymous-writes"]!.r).toBe(WRITE_QUOTA - 1);
  }, 60_000);

  it("limits the tickets of one viewer identity in its room: 10 at once, then one every 2 s", async () => {
    const show = await createShow();
    const first = await json(await call(`/api/rooms/${show.room.id}/tickets`, { method: "POST", headers: { "CF-Connecting-IP": freshIp() } }));
    const again = () => call(`/api/rooms/${show.room.id}/tickets`, { method: "POST", headers: { "CF-Connecting-IP": freshIp(), "X-Viewer-Token": first.viewer.token } });
    const answers = await spend(9, again);
    expect(answers.every((res) => res.status === 201)).toBe(true);
    const refused = await again();
    expect(refused.status).toBe(429);
    expect((await json(refused)).error).toMatchObject({ code: "rate_limited" });
    // Another viewer of the same room is not affected.
    expect((await call(`/api/rooms/${show.room.id}/tickets`, { method: "POST", headers: { "CF-Connecting-IP": freshIp() } })).status).toBe(201);
  });

  it("counts a Bearer value that is not a key of ours against the sender's address, not as a key of its own", async () => {
    const ip = freshIp();
    const res = await call("/api/shops/s_0000000000000000/products", { key: "not-a-key", headers: { "CF-Connecting-IP": ip } });
    expect(res.headers.get("RateLimit-Policy")).toBe(`"anonymous";q=${POLICIES.anonymous.quota};w=60`);
  });

  it("does not count Stripe's signed webhook", async () => {
    const res = await call("/api/webhooks/stripe", { method: "POST", body: "{}", headers: { "CF-Connecting-IP": freshIp() } });
    expect(res.headers.get("RateLimit")).toBeNull();
  });

  it("starts a new window once the last one is over, and counts a refused call as nothing", async () => {
    const stub = env.ApiQuota.getByName("test:window");
    const policy = { name: "default", quota: 2, windowSeconds: 60 };
    await runInDurableObject(stub, (quota) => {
      const t0 = 1_000_000;
      expect(quota.take([policy], t0)).toMatchObject({ allowed: true, states: [{ remaining: 1, resetSeconds: 60 }] });
      expect(quota.take([policy], t0 + 30_000)).toMatchObject({ allowed: true, states: [{ remaining: 0, resetSeconds: 30 }] });
      expect(quota.take([policy], t0 + 59_500)).toMatchObject({ allowed: false, states: [{ remaining: 0, resetSeconds: 1 }] });
      expect(quota.take([policy], t0 + 60_000)).toMatchObject({ allowed: true, states: [{ remaining: 1, resetSeconds: 60 }] });
      // Under two policies, a call refused by one is counted by neither.
      const strict = { name: "writes", quota: 1, windowSeconds: 60 };
      expect(quota.take([policy, strict], t0 + 61_000).allowed).toBe(true);
      expect(quota.take([policy, strict], t0 + 62_000).allowed).toBe(false);
      expect(quota.take([policy], t0 + 63_000)).toMatchObject({ allowed: false, states: [{ remaining: 0 }] });
    });
  });
});
