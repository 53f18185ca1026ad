/**
 * Buying from a replay: after the show ended the room still sells, at
 * today's regular price (its deals ended with it), keeping the stock
 * invariant and exactly-once orders, and marks each order's phase on the row
 * D1 gets, so the numbers can count replay sales apart.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, counters, createShow, drainOutbox, expectError, json, warmUp } from "./helpers.ts";

beforeAll(warmUp);

type Show = Awaited<ReturnType<typeof createShow>>;
const setStatus = (show: Show, status: "live" | "ended") =>
  call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status } });
const order = (roomId: string, productId: string, quantity = 1, key: string = crypto.randomUUID()) =>
  call(`/api/rooms/${roomId}/orders`, {
    method: "POST",
    headers: { "Idempotency-Key": key },
    json: { productId, quantity, buyer: { name: "Ana", email: "ana@example.com" }, fulfilment: { type: "pickup" } },
  });
const phaseInD1 = (id: string) => env.DB.prepare("SELECT phase, unit_price_cents FROM orders WHERE id = ?").bind(id).first<{ phase: string; unit_price_cents: number }>();

describe("orders from the replay", () => {
  it("sell at the regular price after a deal ended with the show, marked as replay orders", async () => {
    const show = await createShow({ stock: 4 });
    const [tea] = show.products;
    await setStatus(show, "live");
    const deal = await call(`/api/rooms/${show.room.id}/deals`, { method: "POST", key: show.hostKey, json: { productId: tea.id, priceCents: 999, durationSeconds: 300 } });
    expect(deal.status).toBe(201);
    const live = await json(await order(show.room.id, tea.id));
    expect(live.order.unitPriceCents).toBe(999);
    await setStatus(show, "ended");

    const res = await order(show.room.id, tea.id, 2);
    expect(res.status).toBe(201);
    const replay = (await json(res)).order;
    expect(replay).toMatchObject({ unitPriceCents: tea.priceCents, totalCents: tea.priceCents * 2, dealId: null, status: "confirmed" });
    // The room says the same to anyone who looks now: no deal, units left today.
    const { room } = await json(await call(`/api/rooms/${show.room.id}`));
    expect(room.deal).toBeNull();
    expect(room.products[0].left).toBe(1);

    await drainOutbox(show.room.id);
    expect(await phaseInD1(live.order.id)).toEqual({ phase: "live", unit_price_cents: 999 });
    expect(await phaseInD1(replay.id)).toEqual({ phase: "replay", unit_price_cents: tea.priceCents });
  });

  it("say their phase in the API: the answer, the shop's orders as JSON and as CSV", async () => {
    const show = await createShow({ stock: 4 });
    const [tea] = show.products;
    await setStatus(show, "live");
    const live = (await json(await order(show.room.id, tea.id))).order;
    expect(live.phase).toBe("live");
    await setStatus(show, "ended");
    const replay = (await json(await order(show.room.id, tea.id))).order;
    expect(replay.phase).toBe("replay");
    await drainOutbox(show.room.id);
    const listed = await json(await call(`/api/shops/${show.shop.id}/orders`, { key: show.apiKey }));
    expect(Object.fromEntries(listed.orders.map((o: any) => [o.id, o.phase]))).toEqual({ [live.id]: "live", [replay.id]: "replay" });
    const [header, ...rows] = (await (await call(`/api/shops/${show.shop.id}/orders?format=csv`, { key: show.apiKey })).text()).trim().split("\r\n");
    const at = header!.split(",").indexOf("phase");
    expect(at).toBe(header!.split(",").length - 1);
    expect(Object.fromEntries(rows.map((row) => [row.split(",")[0], row.split(",").at(-1)]))).toEqual({ [live.id]: "live", [replay.id]: "replay" });
  });

  it("sells even a deal that has time left by its row at the regular price once the show ended", async () => {
    const show = await createShow();
    const [tea] = show.products;
    await setStatus(show, "live");
    await call(`/api/rooms/${show.room.id}/deals`, { method: "POST", key: show.hostKey, json: { productId: tea.id, priceCents: 999, durationSeconds: 300 } });
    await setStatus(show, "ended");
    // As if the end had not closed the deal's row (a room from before, a change in the order of things).
    await runInDurableObject(env.Room.getByName(show.room.id), (_room, state) => state.storage.sql.exec("UPDATE deals SET ended = 0"));
    const placed = (await json(await order(show.room.id, tea.id))).order;
    expect(placed).toMatchObject({ unitPriceCents: tea.priceCents, dealId: null });
  });

  it("keep the stock invariant and are placed exactly once per key", async () => {
    const show = await createShow({ stock: 3 });
    const [tea] = show.products;
    await setStatus(show, "live");
    await setStatus(show, "ended");
    const key = crypto.randomUUID();
    const first = await order(show.room.id, tea.id, 2, key);
    expect(first.status).toBe(201);
    const again = await order(show.room.id, tea.id, 2, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await json(again)).order.id).toBe((await json(first)).order.id);
    await expectError(await order(show.room.id, tea.id, 2), 409, "sold_out");
    expect((await order(show.room.id, tea.id, 1)).status).toBe(201);
    await expectError(await order(show.room.id, tea.id, 1), 409, "sold_out");
    expect((await counters(show.room.id))[0]).toMatchObject({ listed: 3, available: 0, held: 0, sold: 3 });
    const orders = await runInDurableObject(env.Room.getByName(show.room.id), (_room, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM orders").one().n,
    );
    expect(orders).toBe(2);
  });
});
