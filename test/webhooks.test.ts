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
import { browser, ownedShow, send } from "./team-helpers.ts";

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

describe("a show's events reach a subscribed endpoint, signed", () => {
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
