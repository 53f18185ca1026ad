import { createExecutionContext, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { confirmationEmail, readyForPickupEmail, shippedEmail, type OrderEmailContext } from "../worker/fulfilment/order-emails.ts";
import worker from "../worker/index.ts";
import { BASE, call, claimShop, counters, createShow, drainOutbox, expectError, json, open, warmUp } from "./helpers.ts";

beforeAll(warmUp, 30_000);

const address = { line1: "12 Tea Street", city: "Hangzhou", postalCode: "310000", country: "CN" };
const store = { address: { line1: "1 Lotus Lane", city: "Shanghai", postalCode: "200000", country: "CN" }, hours: "Mon–Fri 10:00–19:00\nSat 10:00–16:00" };
let keys = 0;

type Show = Awaited<ReturnType<typeof createShow>>;

async function buy(show: Show, options: { product?: number; quantity?: number; shipping?: boolean; name?: string } = {}) {
  const res = await call(`/api/rooms/${show.room.id}/orders`, {
    method: "POST",
    headers: { "Idempotency-Key": `fulfil-${Date.now()}-${++keys}` },
    json: {
      productId: show.products[options.product ?? 0].id,
      quantity: options.quantity ?? 1,
      buyer: { name: options.name ?? "Mei Lin", email: "mei@example.com", phone: "+86 138 0000 0000" },
      fulfilment: options.shipping ? { type: "shipping", address } : { type: "pickup" },
      ref: "KOL_MEI",
    },
  });
  expect(res.status).toBe(201);
  const body = await json(res);
  // The outbox writes it to D1 right after (in the background).
  await expect.poll(() => d1(body.order.id), { timeout: 5000 }).toBeTruthy();
  return body as { order: { id: string; number: number }; orderToken: string };
}

const d1 = (id: string) => env.DB.prepare("SELECT * FROM orders WHERE id = ?").bind(id).first<Record<string, any>>();

const shopOrder = (show: Show, orderId: string, key = show.apiKey) => call(`/api/shops/${show.shop.id}/orders/${orderId}`, { key });
const step = (show: Show, orderId: string, body: unknown, key = show.apiKey) =>
  call(`/api/shops/${show.shop.id}/orders/${orderId}`, { method: "PATCH", key, json: body });
const cancel = (show: Show, orderId: string, key = show.apiKey) => call(`/api/shops/${show.shop.id}/orders/${orderId}/cancel`, { method: "POST", key });
const list = (show: Show, query = "") => call(`/api/shops/${show.shop.id}/orders${query}`, { key: show.apiKey });

describe("the shop's order list", () => {
  it("filters by show, status, fulfilment status and date, and pages with a cursor", async () => {
    const show = await createShow();
    const other = await call(`/api/shops/${show.shop.id}/rooms`, {
      method: "POST",
      key: show.apiKey,
      json: { title: "Autumn tasting", products: [{ productId: show.products[0].id, stock: 5 }] },
    }).then(json);
    const a = await buy(show);
    const b = await buy(show, { shipping: true });
    const c = await buy({ ...show, room: other.room }, {});
    expect((await step(show, b.order.id, { fulfilmentStatus: "packed" })).status).toBe(200);

    const all = await json(await list(show));
    expect(all.orders.map((o: any) => o.id)).toEqual([c.order.id, b.order.id, a.order.id]);
    expect(all.nextCursor).toBeNull();
    expect(all.orders[0]).toMatchObject({ roomId: other.room.id, showTitle: "Autumn tasting" });
    expect(all.orders[1]).toMatchObject({ showTitle: "Spring tasting", fulfilmentStatus: "packed", packedAt: expect.any(Number), carrier: null, trackingUrl: null });
    expect(all.orders[2]).toMatchObject({ fulfilmentStatus: "unfulfilled", packedAt: null, ref: "KOL_MEI", buyer: { phone: "+86 138 0000 0000" } });

    const ids = async (query: string) => (await json(await list(show, query))).orders.map((o: any) => o.id);
    expect(await ids(`?roomId=${show.room.id}`)).toEqual([b.order.id, a.order.id]);
    expect(await ids(`?roomId=${other.room.id}`)).toEqual([c.order.id]);
    expect(await ids("?fulfilmentStatus=packed")).toEqual([b.order.id]);
    expect(await ids("?fulfilmentStatus=unfulfilled&status=confirmed")).toEqual([c.order.id, a.order.id]);
    expect(await ids("?status=expired")).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids(`?from=${today}&to=${today}`)).toHaveLength(3);
    expect(await ids(`?to=2020-01-01`)).toEqual([]);
    expect(await ids(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);

    // A page at a time, newest first, each order once.
    const page1 = await json(await list(show, "?limit=2"));
    expect(page1.orders.map((o: any) => o.id)).toEqual([c.order.id, b.order.id]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await json(await list(show, `?limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`));
    expect(page2.orders.map((o: any) => o.id)).toEqual([a.order.id]);
    expect(page2.nextCursor).toBeNull();

    await expectError(await list(show, "?cursor=nonsense"), 400, "invalid_request");
    await expectError(await list(show, "?fulfilmentStatus=lost"), 400, "invalid_request");
    await expectError(await list(show, "?from=yesterday"), 400, "invalid_request");
    await expectError(await list(show, "?limit=0"), 400, "invalid_request");
  });

  it("exports the fulfilment columns in the CSV, formula-safe, with the same filters", async () => {
    const show = await createShow();
    const shipped = await buy(show, { shipping: true, name: "@SUM(A1)" });
    await buy(show, { name: "+Plain" });
    await step(show, shipped.order.id, { fulfilmentStatus: "shipped", carrier: "-SF Express", trackingUrl: "https://track.example.com/SF123" });
    const csv = await list(show, "?format=csv");
    expect(csv.headers.get("Content-Type")).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "order_id,number,room_id,created_at,status,payment,product_id,title,quantity,unit_price,total,currency,buyer_name,buyer_email,buyer_phone," +
        "fulfilment,address,ref,deal_id,show_title,fulfilment_status,carrier,tracking_url,packed_at,shipped_at,picked_up_at,cancelled_at,variant,sku,phase",
    );
    expect(lines).toHaveLength(3);
    const shippedLine = lines.find((line) => line.startsWith(shipped.order.id))!;
    expect(shippedLine).toContain(",'@SUM(A1),");
    expect(shippedLine).toMatch(/,shipped,'-SF Express,https:\/\/track\.example\.com\/SF123,,\d{4}-\d\d-\d\dT[^,]+Z,,,,,prelive$/);
    expect(lines.slice(1).find((line) => !line.startsWith(shipped.order.id))).toContain(",'+Plain,");
    const filtered = (await (await list(show, "?format=csv&fulfilmentStatus=shipped")).text()).trim().split("\r\n");
    expect(filtered).toHaveLength(2);
  });
});

describe("moving an order on", () => {
  it("packed then shipped with a carrier and tracking link; a repeat changes nothing; the history says who and when", async () => {
    const show = await createShow();
    const { order } = await buy(show, { shipping: true });
    const packed = await step(show, order.id, { fulfilmentStatus: "packed" });
    expect(packed.status).toBe(200);
    expect((await json(packed)).order).toMatchObject({ fulfilmentStatus: "packed", packedAt: expect.any(Number) });

    const shipped = await json(await step(show, order.id, { fulfilmentStatus: "shipped", carrier: "SF Express", trackingUrl: "https://track.example.com/SF1" }));
    expect(shipped.order).toMatchObject({ fulfilmentStatus: "shipped", carrier: "SF Express", trackingUrl: "https://track.example.com/SF1", shippedAt: expect.any(Number) });

    // The same request again: 200, the same order, no new step.
    const again = await step(show, order.id, { fulfilmentStatus: "shipped", carrier: "SF Express", trackingUrl: "https://track.example.com/SF1" });
    expect(again.status).toBe(200);
    const detail = (await json(await shopOrder(show, order.id))).order;
    expect(detail).toMatchObject({
      fulfilmentStatus: "shipped",
      buyer: { name: "Mei Lin", email: "mei@example.com", phone: "+86 138 0000 0000" },
      fulfilment: { type: "shipping", address },
      ref: "KOL_MEI",
      shippedAt: shipped.order.shippedAt,
    });
    expect(detail.history).toEqual([
      { status: "packed", at: expect.any(Number), actor: "api_key", carrier: null, trackingUrl: null },
      { status: "shipped", at: shipped.order.shippedAt, actor: "api_key", carrier: "SF Express", trackingUrl: "https://track.example.com/SF1" },
    ]);

    // Backwards, or to the other kind of hand-over, or cancelling what left: 409 with a reason, nothing changes.
    expect(await expectError(await step(show, order.id, { fulfilmentStatus: "packed" }), 409, "invalid_transition")).toMatch(/shipped/);
    expect(await expectError(await step(show, order.id, { fulfilmentStatus: "picked_up" }), 409, "invalid_transition")).toMatch(/shipped/);
    expect(await expectError(await cancel(show, order.id), 409, "invalid_transition")).toMatch(/shipped.*cannot be marked cancelled/);
    expect((await json(await shopOrder(show, order.id))).order.history).toHaveLength(2);
  });

  it("a shipped email the queue refused is owed: the answer is 503, and the repeat sends it once", async () => {
    const show = await createShow();
    const { order } = await buy(show, { shipping: true });
    const sent: any[] = [];
    let queueUp = false;
    const queue = {
      send: (message: any, options?: QueueSendOptions) => {
        if (!queueUp) return Promise.reject(new Error("queue unavailable"));
        sent.push(message);
        return env.EMAIL_QUEUE.send(message, options);
      },
    };
    const patch = (body: unknown) =>
      worker.fetch(
        new Request(`${BASE}/api/shops/${show.shop.id}/orders/${order.id}`, {
          method: "PATCH",
          headers: { Authorization: `Bearer ${show.apiKey}`, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        }),
        { ...env, EMAIL_QUEUE: queue } as unknown as Env,
        createExecutionContext(),
      );
    const ship = { fulfilmentStatus: "shipped", carrier: "SF Express", trackingUrl: "https://track.example.com/SF9" };
    expect(await expectError(await patch(ship), 503, "email_not_queued")).toMatch(/order is shipped.*Repeat this request/);
    // The step itself was taken, once.
    expect(await d1(order.id)).toMatchObject({ fulfilment_status: "shipped" });

    queueUp = true;
    expect((await patch(ship)).status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: "mei@example.com" });
    expect(sent[0].text).toContain("https://track.example.com/SF9");
    // Told now: a further repeat sends nothing more.
    expect((await patch(ship)).status).toBe(200);
    expect(sent).toHaveLength(1);
    expect((await json(await shopOrder(show, order.id))).order.history.map((h: { status: string }) => h.status)).toEqual(["shipped"]);
  });

  it("a step taken in the console names the signed-in member who took it", async () => {
    const show = await createShow();
    const { order } = await buy(show, { shipping: true });
    const cookie = await claimShop(show.apiKey);
    const res = await call(`/api/shops/${show.shop.id}/orders/${order.id}`, {
      method: "PATCH",
      headers: { Cookie: cookie, Origin: BASE },
      json: { fulfilmentStatus: "packed" },
    });
    expect(res.status).toBe(200);
    const me = await json(await call("/api/auth/me", { headers: { Cookie: cookie } }));
    expect((await json(res)).order.history).toEqual([expect.objectContaining({ status: "packed", actor: `account:${me.account.id}` })]);
  });

  it("a pickup order is packed (ready for pickup), then picked up; it is never shipped", async () => {
    const show = await createShow();
    const { order } = await buy(show);
    expect(await expectError(await step(show, order.id, { fulfilmentStatus: "shipped" }), 409, "invalid_transition")).toMatch(/picked up in store/);
    expect((await step(show, order.id, { fulfilmentStatus: "packed" })).status).toBe(200);
    const done = await json(await step(show, order.id, { fulfilmentStatus: "picked_up" }));
    expect(done.order).toMatchObject({ fulfilmentStatus: "picked_up", pickedUpAt: expect.any(Number) });
    expect((await step(show, order.id, { fulfilmentStatus: "picked_up" })).status).toBe(200);
  });

  it("refuses bad input with a clear 400, and unknown orders with 404", async () => {
    const show = await createShow();
    const { order } = await buy(show, { shipping: true });
    for (const body of [
      { fulfilmentStatus: "shipped", trackingUrl: "http://track.example.com/1" },
      { fulfilmentStatus: "shipped", trackingUrl: "javascript:alert(1)" },
      { fulfilmentStatus: "packed", carrier: "SF" },
      { fulfilmentStatus: "cancelled" },
      { fulfilmentStatus: "lost" },
      {},
    ]) {
      await expectError(await step(show, order.id, body), 400, "invalid_request");
    }
    expect((await d1(order.id))!.fulfilment_status).toBe("unfulfilled");
    const unknown = `o_${show.room.id.slice(2)}AAAAAAAAAA`;
    await expectError(await step(show, unknown, { fulfilmentStatus: "packed" }), 404, "not_found");
    await expectError(await shopOrder(show, "o_short"), 400, "invalid_request");
  });

  it("another shop's key gets 403; another shop's order under your own shop is 404; no key is 401", async () => {
    const show = await createShow();
    const rival = await createShow({ shopName: "Rival Tea" });
    const { order } = await buy(show);
    for (const res of [
      await shopOrder(show, order.id, rival.apiKey),
      await step(show, order.id, { fulfilmentStatus: "packed" }, rival.apiKey),
      await cancel(show, order.id, rival.apiKey),
      await call(`/api/shops/${show.shop.id}/orders`, { key: rival.apiKey }),
      await call(`/api/shops/${show.shop.id}/pickup`, { key: rival.apiKey }),
      await call(`/api/shops/${show.shop.id}/pickup`, { method: "PUT", key: rival.apiKey, json: store }),
    ]) {
      await expectError(res, 403, "forbidden");
    }
    await expectError(await call(`/api/shops/${rival.shop.id}/orders/${order.id}`, { key: rival.apiKey }), 404, "not_found");
    await expectError(await call(`/api/shops/${rival.shop.id}/orders/${order.id}/cancel`, { method: "POST", key: rival.apiKey }), 404, "not_found");
    await expectError(await call(`/api/shops/${show.shop.id}/orders/${order.id}`, { method: "PATCH", json: { fulfilmentStatus: "packed" } }), 401, "unauthorized");
    expect((await d1(order.id))!.fulfilment_status).toBe("unfulfilled");
    expect(await counters(show.room.id)).toContainEqual(expect.objectContaining({ id: show.products[0].id, sold: 1 }));
  });
});

describe("the room's outbox and the shop's columns", () => {
  it("a late outbox write (retried, with a newer version) never undoes what the shop did", async () => {
    const show = await createShow();
    const { order } = await buy(show, { shipping: true });
    await step(show, order.id, { fulfilmentStatus: "shipped", carrier: "SF Express", trackingUrl: "https://track.example.com/SF9" });
    const before = await d1(order.id);

    // The room writes the order again, as a retry after a D1 failure would: a newer version, queued, drained.
    await runInDurableObject(env.Room.getByName(show.room.id), async (_room, state) => {
      await state.storage.setAlarm(Date.now());
      state.storage.sql.exec("UPDATE orders SET version = version + 1, updated_at = updated_at + 1 WHERE id = ?", order.id);
      state.storage.sql.exec(
        "INSERT INTO outbox (topic, key, version, attempts, next_at) SELECT 'order', id, version, 3, 0 FROM orders WHERE id = ?",
        order.id,
      );
    });
    await drainOutbox(show.room.id);
    const after = await d1(order.id);
    expect(after!.version).toBe(before!.version + 1); // the room's write did land…
    expect(after).toMatchObject({ fulfilment_status: "shipped", carrier: "SF Express", tracking_url: "https://track.example.com/SF9", shipped_at: before!.shipped_at });
  });
});

describe("cancelling an order", () => {
  it("while the show runs: the units go back once, viewers see it, listed = available + held + sold holds", async () => {
    const show = await createShow({ stock: 5 });
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } });
    const { order } = await buy(show, { quantity: 2 });
    expect(await counters(show.room.id)).toContainEqual({ id: show.products[0].id, listed: 5, available: 3, held: 0, sold: 2 });
    const viewer = await open(show.room.id);
    await viewer.next("sync");

    const res = await cancel(show, order.id);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.unitsReturned).toBe(2);
    expect(body.order).toMatchObject({ fulfilmentStatus: "cancelled", cancelledAt: expect.any(Number) });
    expect(body.order.history).toEqual([expect.objectContaining({ status: "cancelled", actor: "api_key" })]);
    expect((await viewer.next("product", 1000)).product).toMatchObject({ id: show.products[0].id, left: 5 });
    expect(await counters(show.room.id)).toContainEqual({ id: show.products[0].id, listed: 5, available: 5, held: 0, sold: 0 });

    // Again (a retried request, a double tap): nothing more comes back.
    const again = await json(await cancel(show, order.id));
    expect(again.unitsReturned).toBe(0);
    expect(again.order.history).toHaveLength(1);
    // Even asked of the room directly, the units come back only once.
    const direct = await env.Room.getByName(show.room.id).cancelOrderByShop(order.id);
    expect(direct).toEqual({ returned: 0, showEnded: false });
    expect(await counters(show.room.id)).toContainEqual({ id: show.products[0].id, listed: 5, available: 5, held: 0, sold: 0 });

    // The room's word reaches D1 too (status), and the shop's cancellation stays.
    await drainOutbox(show.room.id);
    expect(await d1(order.id)).toMatchObject({ status: "cancelled", fulfilment_status: "cancelled" });
    await expectError(await step(show, order.id, { fulfilmentStatus: "packed" }), 409, "invalid_transition");
    viewer.ws.close();
  });

  it("a packed order can be cancelled too; after the show ended its units go back on sale in the replay", async () => {
    const show = await createShow({ stock: 5 });
    const packed = await buy(show);
    const later = await buy(show, { shipping: true });
    await step(show, packed.order.id, { fulfilmentStatus: "packed" });
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "ended" } });
    expect(await counters(show.room.id)).toContainEqual({ id: show.products[0].id, listed: 5, available: 3, held: 0, sold: 2 });

    for (const { order } of [packed, later]) {
      const body = await json(await cancel(show, order.id));
      expect(body.unitsReturned).toBe(1);
      expect(body.order.fulfilmentStatus).toBe("cancelled");
    }
    // The replay sells what the cancellations gave back, once.
    expect(await counters(show.room.id)).toContainEqual({ id: show.products[0].id, listed: 5, available: 5, held: 0, sold: 0 });
    expect(await env.Room.getByName(show.room.id).cancelOrderByShop(packed.order.id)).toEqual({ returned: 0, showEnded: true });
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.products[0].left).toBe(5);
  });
});

describe("the buyer's view of an order", () => {
  it("shows fulfilment, carrier and tracking link, the shop and how to reach it, the show; the store for pickup", async () => {
    const show = await createShow();
    const saved = await call(`/api/shops/${show.shop.id}/pickup`, {
      method: "PUT",
      key: show.apiKey,
      json: { ...store, contactEmail: "hello@lotus.example", contactPhone: "+86 21 5555 0000" },
    });
    expect(saved.status).toBe(200);
    expect((await json(await call(`/api/shops/${show.shop.id}/pickup`, { key: show.apiKey }))).store).toEqual({
      ...store,
      contactEmail: "hello@lotus.example",
      contactPhone: "+86 21 5555 0000",
    });

    const shipping = await buy(show, { shipping: true });
    const pickup = await buy(show);
    await step(show, shipping.order.id, { fulfilmentStatus: "shipped", carrier: "SF Express", trackingUrl: "https://track.example.com/SF5" });
    await step(show, pickup.order.id, { fulfilmentStatus: "packed" });

    const view = await json(await call(`/api/orders/${shipping.order.id}`, { key: shipping.orderToken }));
    expect(view).toMatchObject({
      order: { id: shipping.order.id, status: "confirmed", fulfilment: { type: "shipping", address } },
      progress: { fulfilmentStatus: "shipped", carrier: "SF Express", trackingUrl: "https://track.example.com/SF5", shippedAt: expect.any(Number) },
      shop: { id: show.shop.id, name: "Lotus Tea", contactEmail: "hello@lotus.example", contactPhone: "+86 21 5555 0000" },
      show: { id: show.room.id, title: "Spring tasting" },
      pickupStore: null,
    });
    const pickupView = await json(await call(`/api/orders/${pickup.order.id}`, { key: pickup.orderToken }));
    expect(pickupView).toMatchObject({ progress: { fulfilmentStatus: "packed", packedAt: expect.any(Number) }, pickupStore: store });
    // The buyer's view carries no history of who did what at the shop.
    expect(JSON.stringify(pickupView)).not.toContain("api_key");
    // The shop's key reads the same view.
    expect((await json(await call(`/api/orders/${pickup.order.id}`, { key: show.apiKey }))).pickupStore).toEqual(store);
  });

  it("before the shop set a store: the pickup store is null and the shop has no contact", async () => {
    const show = await createShow({ shopName: "New Shop" });
    const pickup = await buy(show);
    const view = await json(await call(`/api/orders/${pickup.order.id}`, { key: pickup.orderToken }));
    expect(view).toMatchObject({ progress: { fulfilmentStatus: "unfulfilled" }, shop: { name: "New Shop", contactEmail: null, contactPhone: null }, pickupStore: null });
  });

  it("the pickup store refuses what buyers could not use", async () => {
    const show = await createShow();
    const put = (json: unknown) => call(`/api/shops/${show.shop.id}/pickup`, { method: "PUT", key: show.apiKey, json });
    await expectError(await put({ ...store, contactEmail: "not-an-email" }), 400, "invalid_request");
    await expectError(await put({ ...store, hours: "" }), 400, "invalid_request");
    await expectError(await put({ ...store, address: { ...store.address, country: "China" } }), 400, "invalid_request");
    await expectError(await put({ hours: "9-5" }), 400, "invalid_request");
    expect((await json(await call(`/api/shops/${show.shop.id}/pickup`, { key: show.apiKey }))).store).toBeNull();
  });

  it("every new route is in the OpenAPI document", async () => {
    const doc = await json(await call("/api/openapi.json"));
    expect(Object.keys(doc.paths["/shops/{shopId}/orders/{orderId}"]).sort()).toEqual(["get", "patch"]);
    expect(doc.paths["/shops/{shopId}/orders/{orderId}/cancel"].post).toBeTruthy();
    expect(Object.keys(doc.paths["/shops/{shopId}/pickup"]).sort()).toEqual(["get", "put"]);
    expect(doc.paths["/shops/{shopId}/orders"].get.parameters.map((p: any) => p.name).sort()).toEqual(
      ["cursor", "format", "from", "fulfilmentStatus", "limit", "roomId", "shopId", "status", "to"],
    );
  });
});

describe("the buyer's emails", () => {
  const ctx = (over: Partial<OrderEmailContext> = {}): OrderEmailContext => ({
    order: {
      id: "o_Q8s2mK0vT5yH3nB6aZ91xQwE0p", number: 7, title: "Jasmine <pearls>", quantity: 2, totalCents: 3798, currency: "EUR",
      payment: "offline", buyer: { name: "Mei & Lin", email: "mei@example.com", phone: null }, fulfilment: { type: "shipping", address },
    },
    shop: { name: "Lotus Tea", contactEmail: "hello@lotus.example", contactPhone: null },
    show: { title: "Spring tasting" },
    origin: "https://shop.example.com",
    token: "ot_secret123",
    ...over,
  });

  it("confirmation: to the buyer, in English by default, the token in the link's fragment only, user text escaped", () => {
    const email = confirmationEmail(ctx());
    expect(email.to).toBe("mei@example.com");
    expect(email.subject).toBe("Order #7 confirmed · Lotus Tea");
    expect(email.text).toContain("Thank you for your order from Lotus Tea's show “Spring tasting”.");
    expect(email.text).toContain("Jasmine <pearls> × 2");
    expect(email.text).toContain("€37.98");
    expect(email.text).toContain("Pay on invoice");
    expect(email.text).not.toContain("Pay at pickup");
    expect(email.text).toContain("12 Tea Street\n310000 Hangzhou");
    expect(email.text).toContain("View your order: https://shop.example.com/o/o_Q8s2mK0vT5yH3nB6aZ91xQwE0p#token=ot_secret123");
    expect(email.text).toContain("hello@lotus.example");
    expect(email.html).toContain('<a href="https://shop.example.com/o/o_Q8s2mK0vT5yH3nB6aZ91xQwE0p#token=ot_secret123">');
    expect(email.html).not.toMatch(/\?[^"]*token/);
    expect(email.html).toContain("Jasmine &#60;pearls&#62;");
    expect(email.html).toContain("Mei &#38; Lin");
    expect(email.html).not.toContain("<pearls>");
  });

  it("in Simplified Chinese from the order's language; pay at pickup only for pickup", () => {
    const email = confirmationEmail(ctx({ language: "zh-CN,zh;q=0.9", order: { ...ctx().order, fulfilment: { type: "pickup", address: null } } }));
    expect(email.subject).toBe("订单 #7 已确认 · Lotus Tea");
    expect(email.text).toContain("感谢你在 Lotus Tea 的直播“Spring tasting”中下单。");
    expect(email.text).toContain("到店取货时付款");
    expect(email.text).not.toContain("凭账单付款");
    expect(email.html).toContain('<html lang="zh-CN">');
    expect(confirmationEmail(ctx({ language: "de-DE" })).subject).toBe("Order #7 confirmed · Lotus Tea");
    expect(confirmationEmail(ctx({ order: { ...ctx().order, payment: "stripe" } })).text).toContain("Paid by card.");
  });

  it("shipped: the carrier and tracking link; without a token the link is the bare order page", () => {
    const email = shippedEmail({ ...ctx({ token: null }), carrier: "SF Express", trackingUrl: "https://track.example.com/SF1" });
    expect(email.subject).toBe("Order #7 is on its way · Lotus Tea");
    expect(email.text).toContain("Carrier: SF Express");
    expect(email.text).toContain("Track your parcel: https://track.example.com/SF1");
    expect(email.text).toContain("View your order: https://shop.example.com/o/o_Q8s2mK0vT5yH3nB6aZ91xQwE0p\n");
    expect(email.text).not.toContain("token");
    const zh = shippedEmail({ ...ctx({ language: "zh" }), carrier: null, trackingUrl: null });
    expect(zh.subject).toBe("订单 #7 已发货 · Lotus Tea");
    expect(zh.text).not.toContain("查看物流");
  });

  it("ready for pickup: the store's address and opening hours", () => {
    const pickupOrder = { ...ctx().order, fulfilment: { type: "pickup" as const, address: null } };
    const email = readyForPickupEmail({ ...ctx({ order: pickupOrder }), store });
    expect(email.subject).toBe("Order #7 is ready for pickup · Lotus Tea");
    expect(email.text).toContain("Store:\n1 Lotus Lane\n200000 Shanghai");
    expect(email.text).toContain("Opening hours:\nMon–Fri 10:00–19:00\nSat 10:00–16:00");
    expect(email.text).toContain("Pay at pickup.");
    expect(email.html).toContain("Mon–Fri 10:00–19:00<br>Sat 10:00–16:00");
    const zh = readyForPickupEmail({ ...ctx({ order: pickupOrder, language: "zh-CN" }), store: null });
    expect(zh.subject).toBe("订单 #7 可以取货了 · Lotus Tea");
    expect(zh.text).toContain("商家会告诉你取货的地点和时间。");
  });
});
