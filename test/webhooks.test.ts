/**
 * Webhooks: endpoints through the API, events written with their changes,
 * delivered through the real webhook queue by the Worker's consumer, signed
 * (checked with `standardwebhooks`' own `Webhook.verify`), retried, in order
 * per show, redelivered, and disabled after a day of failures. The receiver
 * is the one part that is not real: the Worker's outbound fetch to
 * http://127.0.0.1:9/… is answered here (a test double of the network).
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverOnce, retryDelaySeconds } from "../worker/webhooks/deliver.ts";
import { sweepDeliveries } from "../worker/webhooks/events.ts";
import { isPrivateAddress, urlProblem, addressProblem } from "../worker/webhooks/urls.ts";
import { call, createShow, drainOutbox, expectError, json, warmUp } from "./helpers.ts";
import { browser, member, ownedShow, send } from "./team-helpers.ts";

type Received = { path: string; headers: Record<string, string>; body: string };
const received: Received[] = [];
/** Per receiver path: how many of the next requests fail with 500. */
const failures = new Map<string, number>();
const realFetch = globalThis.fetch;
const RECEIVER = "http://127.0.0.1:9";

beforeAll(async () => {
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(RECEIVER)) return realFetch(input, init);
    const path = new URL(request.url).pathname;
    const failing = failures.get(path) ?? 0;
    if (failing > 0) {
      failures.set(path, failing - 1);
      return new Response("receiver is down: " + "x".repeat(800), { status: 500 });
    }
    received.push({ path, headers: Object.fromEntries(request.headers), body: await request.text() });
    return new Response("ok", { status: 200 });
  }) as typeof fetch;
  await warmUp();
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let nextPath = 0;
async function subscribe(shopId: string, apiKey: string, events: string[], path = `/hooks/${++nextPath}`) {
  const res = await call(`/api/shops/${shopId}/webhooks`, { method: "POST", key: apiKey, json: { url: `${RECEIVER}${path}`, events } });
  expect(res.status).toBe(201);
  const body = await json(res);
  return { ...body, path } as { endpoint: { id: string; enabled: boolean }; secret: string; path: string };
}

const at = (path: string) => received.filter((r) => r.path === path);
const typesAt = (path: string) => at(path).map((r) => JSON.parse(r.body).type as string);

function order(roomId: string, productId: string) {
  return call(`/api/rooms/${roomId}/orders`, {
    method: "POST",
    headers: { "Idempotency-Key": crypto.randomUUID() },
    json: { productId, quantity: 1, buyer: { name: "Mei Lin", email: "mei@example.com" }, fulfilment: { type: "pickup" } },
  });
}

const setStatus = (roomId: string, status: string, key: string) => call(`/api/rooms/${roomId}/status`, { method: "POST", key, json: { status } });

describe("a show's events reach a subscribed endpoint, signed", { timeout: 30_000 }, () => {
  it("delivers show.scheduled … show.ended in order, each verified by Webhook.verify", async () => {
    const show = await createShow();
    const hook = await subscribe(show.shop.id, show.apiKey, ["show.started", "show.ended", "order.created", "order.paid", "product.sold_out"]);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect((await setStatus(show.room.id, "live", show.hostKey)).status).toBe(200);
    expect((await order(show.room.id, show.products[0].id)).status).toBe(201);
    expect((await setStatus(show.room.id, "ended", show.hostKey)).status).toBe(200);
    await drainOutbox(show.room.id);
    await until("four events", () => at(hook.path).length >= 4);
    expect(typesAt(hook.path)).toEqual(["show.started", "order.created", "order.paid", "show.ended"]);
    const wh = new Webhook(hook.secret);
    for (const r of at(hook.path)) {
      const body = wh.verify(r.body, r.headers) as { type: string; timestamp: string; data: any };
      expect(r.headers["webhook-id"]).toMatch(/^msg_/);
      expect(Date.parse(body.timestamp)).toBeGreaterThan(0);
      if (body.type.startsWith("order.")) expect(body.data.order).toMatchObject({ roomId: show.room.id, productId: show.products[0].id, quantity: 1 });
      else expect(body.data).toMatchObject({ roomId: show.room.id, title: "Spring tasting" });
    }
    expect(() => new Webhook("whsec_" + btoa("another secret of 32 bytes......")).verify(at(hook.path)[0]!.body, at(hook.path)[0]!.headers)).toThrow();
  });
});

describe("events written with their D1 changes", { timeout: 30_000 }, () => {
  it("show.scheduled again when a show's start or title changes, not for its description", async () => {
    const { shop, apiKey } = await json(await call("/api/shops", { method: "POST", json: { name: "Kettle & Co", currency: "EUR" } }));
    const hook = await subscribe(shop.id, apiKey, ["show.scheduled"]);
    const { product } = await json(await call(`/api/shops/${shop.id}/products`, { method: "POST", key: apiKey, json: { title: "Iron kettle", priceCents: 8900 } }));
    const first = new Date(Date.now() + 86_400_000).toISOString();
    const { room } = await json(await call(`/api/shops/${shop.id}/rooms`, { method: "POST", key: apiKey, json: { title: "Kettles live", startsAt: first, products: [{ productId: product.id, stock: 3 }] } }));
    const edit = (patch: object) => call(`/api/shops/${shop.id}/rooms/${room.id}`, { method: "PATCH", key: apiKey, json: patch });
    await until("the first show.scheduled", () => at(hook.path).length === 1);

    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect((await edit({ startsAt: later })).status).toBe(200);
    await until("a second show.scheduled", () => at(hook.path).length === 2);
    expect((await edit({ description: "Cast iron, from Iwate." })).status).toBe(200);
    expect((await edit({ startsAt: later })).status).toBe(200); // The same start again: nothing changed.
    expect((await edit({ title: "Kettles, live from Iwate" })).status).toBe(200);
    await until("a third show.scheduled", () => at(hook.path).length === 3);
    await new Promise((r) => setTimeout(r, 1500));
    const events = at(hook.path).map((r) => JSON.parse(r.body));
    expect(events.map((e) => e.type)).toEqual(["show.scheduled", "show.scheduled", "show.scheduled"]);
    expect(events.map((e) => [e.data.title, e.data.startsAt])).toEqual([
      ["Kettles live", first],
      ["Kettles live", later],
      ["Kettles, live from Iwate", later],
    ]);
    expect(new Set(at(hook.path).map((r) => r.headers["webhook-id"])).size).toBe(3);
  });

  it("show.scheduled with the new show, order.fulfilled with the step, in order after the room's events", async () => {
    const { shop, apiKey } = await json(await call("/api/shops", { method: "POST", json: { name: "Kettle & Co", currency: "EUR" } }));
    const hook = await subscribe(shop.id, apiKey, ["show.scheduled", "order.created", "order.paid", "order.fulfilled"]);
    const { product } = await json(await call(`/api/shops/${shop.id}/products`, { method: "POST", key: apiKey, json: { title: "Iron kettle", priceCents: 8900 } }));
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await call(`/api/shops/${shop.id}/rooms`, { method: "POST", key: apiKey, json: { title: "Kettles live", startsAt, products: [{ productId: product.id, stock: 3 }] } });
    const { room } = await json(created);
    await until("show.scheduled", () => typesAt(hook.path).includes("show.scheduled"));
    expect(JSON.parse(at(hook.path)[0]!.body).data).toMatchObject({ roomId: room.id, title: "Kettles live", startsAt });
    const placed = await json(await order(room.id, product.id));
    await drainOutbox(room.id);
    const step = await call(`/api/shops/${shop.id}/orders/${placed.order.id}`, { method: "PATCH", key: apiKey, json: { fulfilmentStatus: "packed" } });
    expect(step.status).toBe(200);
    expect((await call(`/api/shops/${shop.id}/orders/${placed.order.id}`, { method: "PATCH", key: apiKey, json: { fulfilmentStatus: "picked_up" } })).status).toBe(200);
    await until("order.fulfilled", () => typesAt(hook.path).includes("order.fulfilled"));
    expect(typesAt(hook.path)).toEqual(["show.scheduled", "order.created", "order.paid", "order.fulfilled"]);
    expect(JSON.parse(at(hook.path).at(-1)!.body).data).toMatchObject({ orderId: placed.order.id, fulfilment: "picked_up" });
  });
});

describe("endpoint URLs (SSRF)", { timeout: 30_000 }, () => {
  it("in production: https only, no private, loopback or link-local address, as a literal or by DNS", async () => {
    for (const bad of ["http://shop.example/hook", "https://127.0.0.1/hook", "https://10.1.2.3/", "https://169.254.169.254/latest", "https://[::1]/", "https://[fd00::1]/", "https://192.168.1.1/", "https://localhost/", "https://printer.local/", "https://user:pw@shop.example/", "ftp://shop.example/", "not a url"]) {
      expect(urlProblem(bad, false), bad).not.toBeNull();
    }
    expect(urlProblem("https://shop.example/hooks", false)).toBeNull();
    expect(urlProblem("https://93.184.215.14/hooks", false)).toBeNull();
    expect(isPrivateAddress("172.16.0.1") && isPrivateAddress("100.64.0.1") && isPrivateAddress("::ffff:127.0.0.1") && isPrivateAddress("fe80::1")).toBe(true);
    expect(isPrivateAddress("8.8.8.8") || isPrivateAddress("2606:4700::1111")).toBe(false);
    // A name is resolved over DNS-over-HTTPS (answered here): one private address is enough to refuse it.
    const dns = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(new Request(input, init).url);
      if (url.hostname !== "cloudflare-dns.com") return dns(input, init);
      const name = url.searchParams.get("name");
      const type = url.searchParams.get("type");
      const data = name === "rebind.example" ? (type === "A" ? ["93.184.215.14", "10.0.0.7"] : []) : type === "A" ? ["93.184.215.14"] : [];
      return Response.json({ Answer: data.map((d) => ({ type: 1, data: d })) });
    }) as typeof fetch;
    try {
      const production = { ...env, WEBHOOK_ALLOW_LOCAL: undefined } as Env;
      expect(await addressProblem("https://rebind.example/hook", production)).toMatch(/resolves to a private/);
      expect(await addressProblem("https://public.example/hook", production)).toBeNull();
      expect(await addressProblem("http://127.0.0.1:9/hook", production)).toMatch(/https/);
      // The route, as deployed (no WEBHOOK_ALLOW_LOCAL): a loopback receiver is refused and nothing is written.
      const show = await createShow();
      const { default: worker } = await import("../worker/index.ts");
      const post = (url: string) =>
        worker.request(`http://shop.test/api/shops/${show.shop.id}/webhooks`, {
          method: "POST", headers: { Authorization: `Bearer ${show.apiKey}`, "Content-Type": "application/json" }, body: JSON.stringify({ url, events: ["order.created"] }),
        }, production);
      await expectError(await post("http://127.0.0.1:9/hook"), 400, "invalid_url");
      await expectError(await post("https://rebind.example/hook"), 400, "invalid_url");
      expect((await post("https://public.example/hook")).status).toBe(201);
      expect((await json(await call(`/api/shops/${show.shop.id}/webhooks`, { key: show.apiKey }))).endpoints.map((e: any) => e.url)).toEqual(["https://public.example/hook"]);
    } finally {
      globalThis.fetch = dns;
    }
  });

  it("locally (npm start, the tests): http://localhost and 127.0.0.1 receivers too, and bad URLs are a 400 that changes nothing", async () => {
    expect(urlProblem("http://localhost:8787/hook", true)).toBeNull();
    expect(urlProblem("http://127.0.0.1:9/hook", true)).toBeNull();
    expect(urlProblem("http://10.0.0.1/hook", true)).not.toBeNull();
    const show = await createShow();
    for (const url of ["http://shop.example/hook", "https://10.0.0.1/hook", "javascript:alert(1)"]) {
      await expectError(await call(`/api/shops/${show.shop.id}/webhooks`, { method: "POST", key: show.apiKey, json: { url, events: ["order.created"] } }), 400, "invalid_url");
    }
    await expectError(await call(`/api/shops/${show.shop.id}/webhooks`, { method: "POST", key: show.apiKey, json: { url: `${RECEIVER}/x`, events: ["order.shipped"] } }), 400, "invalid_request");
    await expectError(await call(`/api/shops/${show.shop.id}/webhooks`, { method: "POST", key: show.apiKey, json: { url: `${RECEIVER}/x`, events: [] } }), 400, "invalid_request");
    expect((await json(await call(`/api/shops/${show.shop.id}/webhooks`, { key: show.apiKey }))).endpoints).toEqual([]);
  });
});

describe("retries, order within a show, redelivery", { timeout: 30_000 }, () => {
  it("retries a failing receiver with growing delays and holds the show's later events until the earlier one is through", async () => {
    expect([1, 2, 3, 10, 11, 12, 13].map((n) => retryDelaySeconds(n))).toEqual([30, 60, 120, 15360, 30720, 43200, 43200]);
    // 13 attempts: the 12 delays between them add up to more than 24 hours.
    expect(Array.from({ length: 12 }, (_, i) => retryDelaySeconds(i + 1)).reduce((a, b) => a + b)).toBeGreaterThan(24 * 3600);
    const show = await createShow();
    const hook = await subscribe(show.shop.id, show.apiKey, ["show.started", "order.created", "order.paid"]);
    failures.set(hook.path, 3);
    await setStatus(show.room.id, "live", show.hostKey);
    await drainOutbox(show.room.id);
    await order(show.room.id, show.products[0].id);
    await drainOutbox(show.room.id);
    // Retries after 1 s, 2 s, 4 s (WEBHOOK_RETRY_BASE_SECONDS=1 here): show.started on its fourth attempt, then the orders.
    await until("all three", () => at(hook.path).length >= 3, 25_000);
    expect(typesAt(hook.path)).toEqual(["show.started", "order.created", "order.paid"]);
    const log = (await json(await call(`/api/shops/${show.shop.id}/webhooks/${hook.endpoint.id}/deliveries`, { key: show.apiKey }))).deliveries;
    const started = log.find((d: any) => d.eventType === "show.started");
    expect(started.status).toBe("delivered");
    expect(started.attempts.map((a: any) => [a.attempt, a.status, a.ok])).toEqual([[4, 200, true], [3, 500, false], [2, 500, false], [1, 500, false]]);
    expect(started.attempts[1].response.length).toBe(500);
    expect(started.attempts.every((a: any) => a.latencyMs >= 0)).toBe(true);
    // Held while show.started failed: order.created and order.paid were tried once each, after it.
    for (const d of log.filter((d: any) => d.eventType !== "show.started")) expect(d.attempts.map((a: any) => a.ok)).toEqual([true]);

    // Redelivery: the same webhook-id again, signed afresh.
    const first = at(hook.path)[0]!;
    const again = await call(`/api/shops/${show.shop.id}/webhooks/deliveries/${started.id}/redeliver`, { method: "POST", key: show.apiKey });
    expect(again.status).toBe(202);
    await until("the redelivery", () => at(hook.path).length >= 4);
    const redelivered = at(hook.path)[3]!;
    expect(redelivered.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(new Webhook(hook.secret).verify(redelivered.body, redelivered.headers)).toMatchObject({ type: "show.started" });
  }, 40_000);

  it("sends a test ping to one endpoint", async () => {
    const show = await createShow();
    const hook = await subscribe(show.shop.id, show.apiKey, ["order.created"]);
    const res = await call(`/api/shops/${show.shop.id}/webhooks/${hook.endpoint.id}/test`, { method: "POST", key: show.apiKey });
    expect(res.status).toBe(202);
    await until("the ping", () => at(hook.path).length >= 1);
    expect(new Webhook(hook.secret).verify(at(hook.path)[0]!.body, at(hook.path)[0]!.headers)).toMatchObject({ type: "ping", data: { endpointId: hook.endpoint.id } });
  });

  it("signs with both secrets for a day after a rotation", async () => {
    const show = await createShow();
    const hook = await subscribe(show.shop.id, show.apiKey, ["order.created"]);
    const rotated = await json(await call(`/api/shops/${show.shop.id}/webhooks/${hook.endpoint.id}/rotate-secret`, { method: "POST", key: show.apiKey }));
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.endpoint.previousSecretUntil).toBeGreaterThan(Date.now() + 23 * 3600_000);
    await call(`/api/shops/${show.shop.id}/webhooks/${hook.endpoint.id}/test`, { method: "POST", key: show.apiKey });
    await until("the ping", () => at(hook.path).length >= 1);
    const r = at(hook.path)[0]!;
    expect(r.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(hook.secret).verify(r.body, r.headers)).toMatchObject({ type: "ping" });
    expect(new Webhook(rotated.secret).verify(r.body, r.headers)).toMatchObject({ type: "ping" });
  });
});

describe("nothing acknowledged is lost", { timeout: 30_000 }, () => {
  it("a queue that refuses the hand-over leaves the delivery for the sweep", async () => {
    const show = await createShow();
    const hook = await subscribe(show.shop.id, show.apiKey, ["show.scheduled"]);
    const refusing = { ...env, WEBHOOK_QUEUE: { send: () => Promise.reject(new Error("queue down")), sendBatch: () => Promise.reject(new Error("queue down")) } } as unknown as Env;
    const { default: worker } = await import("../worker/index.ts");
    const { product } = await json(await call(`/api/shops/${show.shop.id}/products`, { method: "POST", key: show.apiKey, json: { title: "Cups", priceCents: 900 } }));
    const res = await worker.request(`http://shop.test/api/shops/${show.shop.id}/rooms`, {
      method: "POST", headers: { Authorization: `Bearer ${show.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "Cups live", startsAt: new Date(Date.now() + 3600_000).toISOString(), products: [{ productId: product.id, stock: 1 }] }),
    }, refusing);
    expect(res.status).toBe(201);
    const row = await env.DB.prepare("SELECT id, queued_at FROM webhook_deliveries WHERE endpoint_id = ?").bind(hook.endpoint.id).first<{ id: string; queued_at: number | null }>();
    expect(row).toMatchObject({ queued_at: null });
    await new Promise((r) => setTimeout(r, 50));
    expect(at(hook.path)).toHaveLength(0);
    expect(await sweepDeliveries(env, Date.now() + 60_000)).toBeGreaterThanOrEqual(1);
    await until("the swept delivery", () => at(hook.path).length >= 1);
    expect(JSON.parse(at(hook.path)[0]!.body)).toMatchObject({ type: "show.scheduled", data: { title: "Cups live" } });
  });

  it("a room whose D1 write fails keeps its events in the outbox and sends them once D1 answers", async () => {
    const show = await createShow();
    const hook = await subscribe(show.shop.id, show.apiKey, ["show.started"]);
    // D1 refuses every webhook write for now: the room's outbox keeps the entry and retries.
    await env.DB.exec("CREATE TRIGGER refuse_webhook_events BEFORE INSERT ON webhook_events BEGIN SELECT RAISE(ABORT, 'D1 is down'); END;");
    try {
      expect((await setStatus(show.room.id, "live", show.hostKey)).status).toBe(200);
      await expect(drainOutbox(show.room.id)).rejects.toThrow(/did not drain/);
    } finally {
      await env.DB.exec("DROP TRIGGER refuse_webhook_events");
    }
    await drainOutbox(show.room.id);
    await until("show.started", () => at(hook.path).length >= 1);
    expect(typesAt(hook.path)).toEqual(["show.started"]);
  });
});

describe("disabling after persistent failure", { timeout: 30_000 }, () => {
  it("disables an endpoint whose every attempt failed for over 24 hours, and emails the owner in their language", async () => {
    const show = await ownedShow();
    await env.DB.prepare("UPDATE accounts SET email = ?, locale = 'zh-CN' WHERE id = ?").bind(`owner-${show.shop.id}@example.com`, show.ownerId).run();
    const hook = await subscribe(show.shop.id, show.apiKey, ["order.created"]);
    failures.set(hook.path, 1000);
    const ping = await json(await call(`/api/shops/${show.shop.id}/webhooks/${hook.endpoint.id}/test`, { method: "POST", key: show.apiKey }));
    const id = ping.delivery.id as string;
    await until("a failed attempt", async () => (await env.DB.prepare("SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id = ?").bind(id).first<{ n: number }>())!.n >= 1);
    // The run of failures began a day and a minute ago; the next failed attempt disables it.
    await env.DB.prepare("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?").bind(Date.now() - 24 * 3600_000 - 60_000, hook.endpoint.id).run();
    const emails: any[] = [];
    const recording = { ...env, EMAIL_QUEUE: { send: async (body: unknown) => void emails.push(body), sendBatch: async () => undefined } } as unknown as Env;
    expect(await deliverOnce(recording, id)).not.toBeNull();
    const listed = (await json(await call(`/api/shops/${show.shop.id}/webhooks`, { key: show.apiKey }))).endpoints[0];
    expect(listed).toMatchObject({ enabled: false, disabledReason: "failing" });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to: `owner-${show.shop.id}@example.com`, subject: expect.stringContaining("Webhook 端点已停用") });
    expect(emails[0].text).toContain(`${RECEIVER}${hook.path}`);
    // Disabled: nothing more is tried; enabling it sends what waited.
    expect(await deliverOnce(recording, id)).toBeNull();
    failures.set(hook.path, 0);
    const enabled = await call(`/api/shops/${show.shop.id}/webhooks/${hook.endpoint.id}`, { method: "PATCH", key: show.apiKey, json: { enabled: true } });
    expect((await json(enabled)).endpoint).toMatchObject({ enabled: true, disabledReason: null });
    await until("the ping after enabling", () => at(hook.path).length >= 1, 20_000);
  });

  it("gives a delivery up after its last attempt", async () => {
    const show = await createShow();
    const hook = await subscribe(show.shop.id, show.apiKey, ["order.created"]);
    failures.set(hook.path, 1000);
    const ping = await json(await call(`/api/shops/${show.shop.id}/webhooks/${hook.endpoint.id}/test`, { method: "POST", key: show.apiKey }));
    await until("a failed attempt", async () => (await env.DB.prepare("SELECT attempts FROM webhook_deliveries WHERE id = ?").bind(ping.delivery.id).first<{ attempts: number }>())!.attempts >= 1);
    await env.DB.prepare("UPDATE webhook_deliveries SET attempts = 12 WHERE id = ?").bind(ping.delivery.id).run();
    expect(await deliverOnce(env, ping.delivery.id)).toBeNull();
    expect(await env.DB.prepare("SELECT status FROM webhook_deliveries WHERE id = ?").bind(ping.delivery.id).first()).toEqual({ status: "failed" });
    failures.set(hook.path, 0);
  });
});

describe("who may manage webhooks", { timeout: 30_000 }, () => {
  it("the shop's key or a signed-in owner or manager; not another shop's key, a viewer, or a host", async () => {
    const show = await ownedShow();
    const other = await createShow({ shopName: "Other tea" });
    const hook = await subscribe(show.shop.id, show.apiKey, ["order.created"]);
    const ping = await json(await call(`/api/shops/${show.shop.id}/webhooks/${hook.endpoint.id}/test`, { method: "POST", key: show.apiKey }));
    const base = `/api/shops/${show.shop.id}/webhooks`;
    const routes: [string, string, unknown?][] = [
      ["GET", base],
      ["POST", base, { url: `${RECEIVER}/z`, events: ["order.created"] }],
      ["PATCH", `${base}/${hook.endpoint.id}`, { enabled: false }],
      ["DELETE", `${base}/${hook.endpoint.id}`],
      ["POST", `${base}/${hook.endpoint.id}/rotate-secret`],
      ["GET", `${base}/${hook.endpoint.id}/deliveries`],
      ["POST", `${base}/deliveries/${ping.delivery.id}/redeliver`],
      ["POST", `${base}/${hook.endpoint.id}/test`],
    ];
    for (const [method, path, body] of routes) {
      await expectError(await call(path, { method, ...(body ? { json: body } : {}) }), 401, "unauthorized");
      await expectError(await call(path, { method, key: other.apiKey, ...(body ? { json: body } : {}) }), 403, "forbidden");
      await expectError(await call(path, { method, key: show.hostKey, ...(body ? { json: body } : {}) }), 401, "unauthorized");
      await expectError(await send(browser(), path, { method, ...(body ? { json: body } : {}) }), 401, "unauthorized");
    }
    // Another shop's ids through one's own shop: not found.
    const theirs = await subscribe(other.shop.id, other.apiKey, ["order.created"]);
    await expectError(await call(`${base}/${theirs.endpoint.id}`, { method: "PATCH", key: show.apiKey, json: { enabled: false } }), 404, "not_found");
    await expectError(await call(`/api/shops/${other.shop.id}/webhooks/deliveries/${ping.delivery.id}/redeliver`, { method: "POST", key: other.apiKey }), 404, "not_found");
    // A team member: a manager may, a host or a moderator may not.
    const manager = await member(show.owner, show.shop.id, "manager");
    expect((await send(manager, base)).status).toBe(200);
    for (const role of ["host", "moderator"]) {
      const who = await member(show.owner, show.shop.id, role);
      for (const [method, path, body] of routes) await expectError(await send(who, path, { method, ...(body ? { json: body } : {}) }), 403, "forbidden");
    }
    // The signed-in owner may; the endpoint list never shows a secret.
    const list = await send(show.owner, base);
    expect(list.status).toBe(200);
    expect(JSON.stringify(await json(list))).not.toContain("whsec_");
    const deleted = await send(show.owner, `${base}/${hook.endpoint.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect((await json(deleted)).endpoints).toEqual([]);
  });
});
