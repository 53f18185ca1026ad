/**
 * Referral codes per person: the shop names a code for each KOL, KOC or
 * staff member; orders from a viewer link with `?ref=<code>` count for it,
 * per show and in total; what was cancelled, expired or unpaid does not.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createShow, expectError, json, warmUp } from "./helpers.ts";

beforeAll(warmUp, 30_000);

type Show = Awaited<ReturnType<typeof createShow>>;
let keys = 0;

async function buy(show: Show, ref: string | undefined, quantity = 1, product = 0) {
  const res = await call(`/api/rooms/${show.room.id}/orders`, {
    method: "POST",
    headers: { "Idempotency-Key": `ref-${Date.now()}-${++keys}` },
    json: {
      productId: show.products[product].id,
      quantity,
      buyer: { name: "Ana", email: `ana${keys}@example.com` },
      fulfilment: { type: "pickup" },
      ...(ref ? { ref } : {}),
    },
  });
  expect(res.status).toBe(201);
  const { order } = await json(res);
  await expect.poll(() => env.DB.prepare("SELECT 1 FROM orders WHERE id = ?").bind(order.id).first(), { timeout: 5000 }).toBeTruthy();
  return order as { id: string; totalCents: number };
}

const codes = (show: Show, key = show.apiKey) => call(`/api/shops/${show.shop.id}/referral-codes`, { key });
const create = (show: Show, body: unknown, key = show.apiKey) => call(`/api/shops/${show.shop.id}/referral-codes`, { method: "POST", key, json: body });

describe("referral codes", () => {
  it("count confirmed orders per code, per show and in total; a code's share link credits it", async () => {
    const show = await createShow({ stock: 20 });
    const created = await create(show, { code: "Mei", name: "Mei Lin (KOL)" });
    expect(created.status).toBe(201);
    const { referralCode } = await json(created);
    // Nothing sold yet, and already a link to share for the shop's show.
    expect(referralCode).toMatchObject({
      code: "mei",
      name: "Mei Lin (KOL)",
      totals: { orders: 0, units: 0, revenueCents: 0 },
      shows: [{ roomId: show.room.id, title: "Spring tasting", orders: 0, link: `http://shop.test/r/${show.room.id}?ref=mei` }],
    });
    expect((await create(show, { code: "store-42", name: "Store 42 staff" })).status).toBe(201);

    const a = await buy(show, "mei", 2);
    const b = await buy(show, "MEI", 1, 1); // the link's case does not matter
    await buy(show, "store-42", 3);
    await buy(show, undefined, 1);
    await buy(show, "walk_in", 1); // a code nobody named still shows, without a name

    const body = await json(await codes(show));
    expect(body.currency).toBe("EUR");
    const byCode = Object.fromEntries(body.referralCodes.map((r: any) => [r.code, r]));
    expect(Object.keys(byCode).sort()).toEqual(["mei", "store-42", "walk_in"]);
    expect(byCode.mei.totals).toEqual({ orders: 2, units: 3, revenueCents: a.totalCents + b.totalCents });
    expect(byCode.mei.shows).toEqual([
      { roomId: show.room.id, title: "Spring tasting", orders: 2, units: 3, revenueCents: a.totalCents + b.totalCents, link: `http://shop.test/r/${show.room.id}?ref=mei` },
    ]);
    expect(byCode["store-42"].totals.units).toBe(3);
    expect(byCode.walk_in).toMatchObject({ name: null, createdAt: null, totals: { orders: 1, units: 1 } });
    // Named codes first, newest first.
    expect(body.referralCodes.map((r: any) => r.code)).toEqual(["store-42", "mei", "walk_in"]);

    // A cancelled order stops counting.
    expect((await call(`/api/shops/${show.shop.id}/orders/${a.id}/cancel`, { method: "POST", key: show.apiKey })).status).toBe(200);
    const after = await json(await codes(show));
    expect(after.referralCodes.find((r: any) => r.code === "mei").totals).toEqual({ orders: 1, units: 1, revenueCents: b.totalCents });
  });

  it("per show: the same code across two shows", async () => {
    const first = await createShow({ stock: 5 });
    const second = await createShowForShop(first);
    await create(first, { code: "kai", name: "Kai" });
    await buy(first, "kai", 1);
    await buy(second, "kai", 2);
    const kai = (await json(await codes(first))).referralCodes.find((r: any) => r.code === "kai");
    expect(kai.totals.units).toBe(3);
    expect(kai.shows.map((s: any) => [s.roomId, s.units])).toEqual([[first.room.id, 1], [second.room.id, 2]]);
    // A show it has not sold in yet still gets its link.
    const third = await createShowForShop(first);
    const again = (await json(await codes(first))).referralCodes.find((r: any) => r.code === "kai");
    expect(again.shows.map((s: any) => [s.roomId, s.units])).toEqual([[first.room.id, 1], [second.room.id, 2], [third.room.id, 0]]);
  });

  it("refuse bad input, a taken code, another shop's key and nobody; delete keeps the orders' code", async () => {
    const show = await createShow();
    const other = await createShow({ shopName: "Other shop" });
    await expectError(await create(show, { code: "no spaces", name: "x" }), 400, "invalid_request");
    await expectError(await create(show, { code: "x".repeat(41), name: "x" }), 400, "invalid_request");
    await expectError(await create(show, { code: "ok", name: "" }), 400, "invalid_request");
    await expectError(await create(show, { code: "ok" }), 400, "invalid_request");
    expect((await create(show, { code: "ok", name: "Ok" })).status).toBe(201);
    await expectError(await create(show, { code: "OK", name: "Again" }), 409, "code_taken");
    await expectError(await create(show, { code: "x", name: "x" }, other.apiKey), 403, "forbidden");
    await expectError(await codes(show, other.apiKey), 403, "forbidden");
    await expectError(await call(`/api/shops/${show.shop.id}/referral-codes`), 401, "unauthorized");
    await expectError(await call(`/api/shops/${show.shop.id}/referral-codes/ok`, { method: "DELETE", key: other.apiKey }), 403, "forbidden");

    await buy(show, "ok");
    expect((await call(`/api/shops/${show.shop.id}/referral-codes/ok`, { method: "DELETE", key: show.apiKey })).status).toBe(204);
    await expectError(await call(`/api/shops/${show.shop.id}/referral-codes/ok`, { method: "DELETE", key: show.apiKey }), 404, "not_found");
    const left = (await json(await codes(show))).referralCodes;
    expect(left).toMatchObject([{ code: "ok", name: null, totals: { orders: 1 } }]);
  });
});

/** A second show of the same shop, through the public API. */
async function createShowForShop(show: Show): Promise<Show> {
  const res = await call(`/api/shops/${show.shop.id}/rooms`, {
    method: "POST",
    key: show.apiKey,
    json: { title: "Autumn tasting", products: show.products.map((p: any) => ({ productId: p.id, stock: 5 })) },
  });
  expect(res.status).toBe(201);
  const { room } = await json(res);
  return { ...show, room };
}
