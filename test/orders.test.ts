import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Room } from "../durable-objects/room.ts";
import { call, counters, createShow, drainOutbox, expectError, json, open } from "./helpers.ts";

const buyer = { name: "Mei Lin", email: "mei@example.com" };
const pickup = { type: "pickup" };
let keyCounter = 0;
const newKey = () => `test-key-${Date.now()}-${++keyCounter}`;

function order(roomId: string, body: Record<string, unknown>, idempotencyKey: string | null = newKey()) {
  return call(`/api/rooms/${roomId}/orders`, {
    method: "POST",
    json: { quantity: 1, buyer, fulfilment: pickup, ...body },
    headers: idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {},
  });
}

async function d1Order(id: string) {
  return env.DB.prepare("SELECT * FROM orders WHERE id = ?").bind(id).first<Record<string, any>>();
}

describe("buying with the offline provider (the default)", () => {
  it("confirms at once, takes the units, tells every viewer and reaches D1", async () => {
    const show = await createShow({ stock: 5 });
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    const res = await order(show.room.id, { productId: show.products[0].id, quantity: 2, ref: "KOL_MEI" });
    expect(res.status).toBe(201);
    const { order: placed, orderToken, checkoutUrl } = await json(res);
    expect(placed).toMatchObject({
      id: expect.stringMatching(new RegExp(`^o_${show.room.id.slice(2)}[0-9A-Za-z]{10}$`)),
      number: 1, roomId: show.room.id, shopId: show.shop.id, productId: show.products[0].id, title: "Jasmine pearls",
      quantity: 2, unitPriceCents: 1899, totalCents: 3798, currency: "EUR", status: "confirmed", payment: "offline",
      buyer: { name: "Mei Lin", email: "mei@example.com", phone: null }, fulfilment: { type: "pickup", address: null },
      ref: "KOL_MEI", dealId: null, holdExpiresAt: null,
    });
    expect(orderToken).toMatch(/^ot_/);
    expect(checkoutUrl).toBeNull();

    const update = await viewer.next("product", 1000);
    expect(update.product).toMatchObject({ id: show.products[0].id, left: 3 });
    expect(await counters(show.room.id)).toContainEqual({ id: show.products[0].id, listed: 5, available: 3, held: 0, sold: 2 });

    await drainOutbox(show.room.id);
    const row = await d1Order(placed.id);
    expect(row).toMatchObject({ status: "confirmed", quantity: 2, total_cents: 3798, ref: "KOL_MEI", shop_id: show.shop.id, room_id: show.room.id });
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(orderToken);
  });

  it("ships to an address when asked", async () => {
    const show = await createShow();
    const address = { line1: "12 Tea Street", city: "Hangzhou", postalCode: "310000", country: "CN" };
    const res = await order(show.room.id, { productId: show.products[1].id, fulfilment: { type: "shipping", address } });
    expect((await json(res)).order.fulfilment).toEqual({ type: "shipping", address });
  });

  it("lets the buyer (with the token) and the shop (with its key) read the order, and nobody else", async () => {
    const show = await createShow();
    const other = await createShow({ shopName: "Other" });
    const { order: placed, orderToken } = await json(await order(show.room.id, { productId: show.products[0].id }));
    const read = (key?: string) => call(`/api/orders/${placed.id}`, { key });
    expect((await json(await read(orderToken))).order).toEqual(placed);
    expect((await json(await read(show.apiKey))).order.id).toBe(placed.id);
    await expectError(await read(), 401, "unauthorized");
    await expectError(await read("ot_wrongwrongwrongwrongwrongwrongwr"), 404, "not_found");
    await expectError(await read(other.apiKey), 403, "forbidden");
    await expectError(await call("/api/orders/not-an-order", { key: orderToken }), 400, "invalid_request");
  });
});

describe("exactly once", () => {
  it("returns the same order for a repeated Idempotency-Key and takes the units once", async () => {
    const show = await createShow({ stock: 5 });
    const key = newKey();
    const body = { productId: show.products[0].id, quantity: 2 };
    const first = await json(await order(show.room.id, body, key));
    const again = await order(show.room.id, body, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    const second = await json(again);
    expect(second).toEqual(first);
    expect((await counters(show.room.id))[0]).toMatchObject({ available: 3, sold: 2 });
  });

  it("refuses the same key with another body (422) and a missing key (400)", async () => {
    const show = await createShow();
    const key = newKey();
    await order(show.room.id, { productId: show.products[0].id }, key);
    expect(await expectError(await order(show.room.id, { productId: show.products[0].id, quantity: 2 }, key), 422, "idempotency_key_reused")).toMatch(/Idempotency-Key/);
    expect(await expectError(await order(show.room.id, { productId: show.products[0].id }, null), 400, "invalid_request")).toMatch(/Idempotency-Key/i);
    await expectError(await order(show.room.id, { productId: show.products[0].id }, "short"), 400, "invalid_request");
    expect((await counters(show.room.id))[0]).toMatchObject({ available: 9, sold: 1 });
  });

  it("sells exactly the listed units under concurrent buyers, then answers sold_out", async () => {
    const show = await createShow({ stock: 7 });
    const attempts = await Promise.all(Array.from({ length: 30 }, () => order(show.room.id, { productId: show.products[0].id })));
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(7);
    expect(statuses.filter((s) => s === 409)).toHaveLength(23);
    expect((await json(attempts.find((r) => r.status === 409)!)).error.code).toBe("sold_out");
    expect((await counters(show.room.id))[0]).toEqual({ id: show.products[0].id, listed: 7, available: 0, held: 0, sold: 7 });
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.products[0].left).toBe(0);
    expect(await expectError(await order(show.room.id, { productId: show.products[1].id, quantity: 11 }), 400, "invalid_request")).toMatch(/quantity/);
  });

  it("says how many are left when a buyer asks for more", async () => {
    const show = await createShow({ stock: 2 });
    expect(await expectError(await order(show.room.id, { productId: show.products[0].id, quantity: 3 }), 409, "sold_out")).toMatch(/Only 2 left/);
  });
});

describe("bad orders get a clear 4xx and change nothing", () => {
  it("refuses bad quantities, products, buyers and bodies", async () => {
    const show = await createShow({ stock: 5 });
    const productId = show.products[0].id;
    for (const quantity of [0, -1, 1.5, 1e9, "2", null]) {
      await expectError(await order(show.room.id, { productId, quantity }), 400, "invalid_request");
    }
    await expectError(await order(show.room.id, { productId: "p_0000000000000000" }), 404, "not_found");
    await expectError(await order(show.room.id, { productId, buyer: { name: "Mei", email: "not-an-email" } }), 400, "invalid_request");
    await expectError(await order(show.room.id, { productId, buyer: undefined }), 400, "invalid_request");
    await expectError(await order(show.room.id, { productId, buyer: { name: "", email: "a@b.co" } }), 400, "invalid_request");
    await expectError(await order(show.room.id, { productId, fulfilment: { type: "shipping" } }), 400, "invalid_request");
    await expectError(await order(show.room.id, { productId, fulfilment: { type: "shipping", address: { line1: "1 Road", city: "X", postalCode: "1", country: "China" } } }), 400, "invalid_request");
    await expectError(await order(show.room.id, { productId, ref: "bad ref!" }), 400, "invalid_request");
    await expectError(await order(show.room.id, { productId, note: "x".repeat(70_000) }), 413, "payload_too_large");
    await expectError(await call(`/api/rooms/${show.room.id}/orders`, { method: "POST", body: "{", headers: { "Content-Type": "application/json", "Idempotency-Key": newKey() } }), 400, "invalid_json");
    await expectError(await order("r_0000000000000000", { productId }), 404, "not_found");
    expect((await counters(show.room.id))[0]).toMatchObject({ available: 5, held: 0, sold: 0 });
  });

  it("still sells after the show ended (from its replay: test/replay-orders.test.ts)", async () => {
    const show = await createShow();
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "ended" } });
    expect((await order(show.room.id, { productId: show.products[0].id })).status).toBe(201);
  });
});

describe("flash deals", () => {
  const startDeal = (show: Awaited<ReturnType<typeof createShow>>, body: Record<string, unknown>, key = show.hostKey) =>
    call(`/api/rooms/${show.room.id}/deals`, { method: "POST", key, json: { productId: show.products[0].id, priceCents: 999, durationSeconds: 60, ...body } });
  const goLive = (show: Awaited<ReturnType<typeof createShow>>) =>
    call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } });

  it("runs only on a live show, below the regular price, for 10–300 s, one at a time, host only", async () => {
    const show = await createShow();
    await expectError(await startDeal(show, {}), 409, "show_not_live");
    await goLive(show);
    await expectError(await startDeal(show, {}, show.guestKey), 403, "forbidden");
    await expectError(await startDeal(show, { durationSeconds: 9 }), 400, "invalid_request");
    await expectError(await startDeal(show, { durationSeconds: 301 }), 400, "invalid_request");
    await expectError(await startDeal(show, { priceCents: 1899 }), 400, "invalid_request");
    await expectError(await startDeal(show, { productId: "p_0000000000000000" }), 404, "not_found");
    const started = await startDeal(show, { perBuyerLimit: 2 });
    expect(started.status).toBe(201);
    const { deal, room } = await json(started);
    expect(deal).toMatchObject({ productId: show.products[0].id, priceCents: 999, perBuyerLimit: 2 });
    expect(deal.endsAt - deal.startsAt).toBe(60_000);
    expect(room.deal).toEqual(deal);
    await expectError(await startDeal(show, { productId: show.products[1].id, priceCents: 100 }), 409, "deal_running");
  });

  it("gives the deal price while it runs, by the room's clock, and enforces the per-buyer limit by email", async () => {
    const show = await createShow({ stock: 10 });
    await goLive(show);
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    const { deal } = await json(await startDeal(show, { perBuyerLimit: 2 }));
    expect((await viewer.next("deal")).deal).toEqual(deal);

    const first = await json(await order(show.room.id, { productId: show.products[0].id }));
    expect(first.order).toMatchObject({ unitPriceCents: 999, totalCents: 999, dealId: deal.id });
    // Another product is not on the deal.
    expect((await json(await order(show.room.id, { productId: show.products[1].id }))).order.unitPriceCents).toBe(4500);
    // The limit follows the buyer's email, whatever tab or device (and case) it comes from.
    const sameBuyer = { name: "Mei", email: "MEI@example.com" };
    expect(await expectError(await order(show.room.id, { productId: show.products[0].id, quantity: 2, buyer: sameBuyer }), 409, "deal_limit_reached")).toMatch(/1 more/);
    expect((await json(await order(show.room.id, { productId: show.products[0].id, buyer: sameBuyer }))).order.unitPriceCents).toBe(999);
    await expectError(await order(show.room.id, { productId: show.products[0].id, buyer: sameBuyer }), 409, "deal_limit_reached");
    // Someone else still may.
    expect((await json(await order(show.room.id, { productId: show.products[0].id, buyer: { name: "Ana", email: "ana@example.com" } }))).order.unitPriceCents).toBe(999);

    // The room's clock passes the deal's end before any alarm has run: full price.
    await runInDurableObject(env.Room.getByName(show.room.id), (_room, state) => state.storage.sql.exec("UPDATE deals SET ends_at = ? WHERE id = ?", Date.now() - 1, deal.id));
    const after = await json(await order(show.room.id, { productId: show.products[0].id, buyer: { name: "Bo", email: "bo@example.com" } }));
    expect(after.order).toMatchObject({ unitPriceCents: 1899, dealId: null });
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.deal).toBeNull();
    // The alarm then announces the end to everyone.
    await runDurableObjectAlarm(env.Room.getByName(show.room.id));
    expect((await viewer.next("deal")).deal).toBeNull();
  });

  it("can be ended early by the host", async () => {
    const show = await createShow();
    await goLive(show);
    await startDeal(show, {});
    const viewer = await open(show.room.id);
    expect((await viewer.next("sync")).room.deal).not.toBeNull();
    const ended = await call(`/api/rooms/${show.room.id}/deals/end`, { method: "POST", key: show.hostKey });
    expect((await json(ended)).room.deal).toBeNull();
    expect((await viewer.next("deal")).deal).toBeNull();
    expect((await json(await order(show.room.id, { productId: show.products[0].id }))).order.unitPriceCents).toBe(1899);
  });

  it("ends with the show: ending the show ends the running deal, in the same change", async () => {
    const show = await createShow();
    await goLive(show);
    await startDeal(show, {});
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "ended" } });
    const status = await viewer.next("status");
    const deal = await viewer.next("deal");
    expect(deal).toMatchObject({ deal: null, seq: status.seq + 1 });
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room).toMatchObject({ status: "ended", deal: null });
  });
});

describe("the order outbox", () => {
  it("keeps an accepted order while D1 fails, and writes it once D1 is back", async () => {
    const show = await createShow({ stock: 3 });
    const stub = env.Room.getByName(show.room.id);
    // D1 is down for this room: every write throws.
    await runInDurableObject(stub, (room: Room) => {
      const broken = { prepare: env.DB.prepare.bind(env.DB), batch: async () => { throw new Error("D1_ERROR: simulated outage"); } };
      (room as unknown as { env: Env }).env = { ...room["env" as never] as Env, DB: broken as unknown as D1Database };
    });
    const res = await order(show.room.id, { productId: show.products[0].id });
    expect(res.status).toBe(201);
    const { order: placed } = await json(res);
    await runDurableObjectAlarm(stub);
    expect(await d1Order(placed.id)).toBeNull();
    const pending = await runInDurableObject(stub, (_r, state) => state.storage.sql.exec<{ attempts: number }>("SELECT attempts FROM outbox WHERE topic = 'order'").toArray());
    expect(pending).toHaveLength(1);
    expect(pending[0]!.attempts).toBeGreaterThan(0);

    // D1 recovers; the next alarm writes it.
    await runInDurableObject(stub, (room: Room) => {
      (room as unknown as { env: Env }).env = { ...room["env" as never] as Env, DB: env.DB };
    });
    await drainOutbox(show.room.id);
    expect(await d1Order(placed.id)).toMatchObject({ status: "confirmed", number: 1 });
  });

  it("lists a shop's orders as JSON and CSV, with buyer, items, totals, status and referral code", async () => {
    const show = await createShow();
    await order(show.room.id, { productId: show.products[0].id, quantity: 2, ref: "STORE_7" });
    await order(show.room.id, { productId: show.products[1].id, buyer: { name: '=HYPERLINK("x")', email: "eve@example.com" } });
    await drainOutbox(show.room.id);
    const list = await json(await call(`/api/shops/${show.shop.id}/orders`, { key: show.apiKey }));
    expect(list.orders).toHaveLength(2);
    expect(list.orders.map((o: any) => [o.number, o.title, o.quantity, o.totalCents, o.status, o.ref])).toEqual([
      [2, "Gaiwan set", 1, 4500, "confirmed", null],
      [1, "Jasmine pearls", 2, 3798, "confirmed", "STORE_7"],
    ]);
    const csv = await call(`/api/shops/${show.shop.id}/orders?format=csv`, { key: show.apiKey });
    expect(csv.headers.get("Content-Type")).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^order_id,number,room_id,created_at,status/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(",37.98,EUR,Mei Lin,mei@example.com,,pickup,,STORE_7,");
    // A name that a spreadsheet would run as a formula is defused.
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    await expectError(await call(`/api/shops/${show.shop.id}/orders`), 401, "unauthorized");
  });

  it("sends orders to the host's studio live, and only there", async () => {
    const show = await createShow();
    const host = await open(show.room.id, { key: show.hostKey });
    const viewer = await open(show.room.id);
    await host.next("sync");
    await viewer.next("sync");
    const { order: placed } = await json(await order(show.room.id, { productId: show.products[0].id, ref: "KOC_1" }));
    expect((await host.next("order", 1000)).order).toMatchObject({ id: placed.id, number: 1, buyerName: "Mei Lin", ref: "KOC_1", status: "confirmed" });
    await viewer.next("product");
    expect(viewer.frames.some((f) => f.type === "order")).toBe(false);
    const studio = await json(await call(`/api/rooms/${show.room.id}/orders`, { key: show.hostKey }));
    expect(studio.orders.map((o: any) => o.id)).toEqual([placed.id]);
    await expectError(await call(`/api/rooms/${show.room.id}/orders`, { key: show.guestKey }), 403, "forbidden");
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
