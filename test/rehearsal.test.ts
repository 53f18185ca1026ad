/**
 * A show's private rehearsal: set up from the show's listing in a room of
 * its own (`r_….rehearsal`); its test orders touch none of the real show's
 * stock, D1 orders, the shop's lists, CSV or console figures, and email
 * nobody; a new run starts from scratch; and only the show's team may open
 * any of its doors (everyone else is told it is not public yet).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { CLOSE } from "../durable-objects/protocol.ts";
import { call, connect, counters, drainOutbox, expectError, joinAsViewer, json, open, warmUp } from "./helpers.ts";
import { browser, member, ownedShow, send, type Browser } from "./team-helpers.ts";

const buyer = { name: "Mei Lin", email: "mei@example.com" };
const pickup = { type: "pickup", address: null };
let nextKey = 0;
const idempotency = () => ({ "Idempotency-Key": `rehearsal-${Date.now()}-${nextKey++}` });

/** The owner's show, a week out, and its rehearsal started by the owner's session. */
async function rehearsed() {
  const show = await ownedShow();
  const startsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  expect((await send(show.owner, `/api/shops/${show.shop.id}/rooms/${show.room.id}`, { method: "PATCH", json: { startsAt } })).status).toBe(200);
  const res = await send(show.owner, `/api/rooms/${show.room.id}/rehearsal`, { json: {} });
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { ...show, startsAt, rehearsal: body.room, links: body.links, id: `${show.room.id}.rehearsal` };
}

function order(who: Browser | { key: string }, roomId: string, productId: string, quantity = 2) {
  const init = { json: { productId, quantity, buyer, fulfilment: pickup }, headers: idempotency() };
  return "key" in who ? call(`/api/rooms/${roomId}/orders`, { method: "POST", key: who.key, ...init }) : send(who, `/api/rooms/${roomId}/orders`, init);
}

beforeAll(warmUp, 30_000);

describe("a rehearsal", () => {
  it("is the show set up afresh from its listing: same title, start and products, fresh counters, its own links", async () => {
    const show = await rehearsed();
    expect(show.rehearsal).toMatchObject({ id: show.id, title: show.room.title, startsAt: show.startsAt, status: "scheduled", pinnedProductId: null });
    expect(show.rehearsal.products.map((p: any) => [p.id, p.left])).toEqual(show.products.map((p: any) => [p.id, 10]));
    expect(show.links).toEqual({ studio: `http://shop.test/studio/${show.id}`, viewer: `http://shop.test/r/${show.id}` });
    // The show itself still has its own page and nothing changed there.
    const real = await json(await call(`/api/rooms/${show.room.id}`));
    expect(real.room).toMatchObject({ id: show.room.id, status: "scheduled" });
  });

  it("takes test orders that never reach the real stock, D1, the shop's lists, CSV, console figures or anyone's inbox", async () => {
    const show = await rehearsed();
    const [tea] = show.products;
    expect((await send(show.owner, `/api/rooms/${show.id}/status`, { json: { status: "live" }, headers: { "X-Room-Role": "host" } })).status).toBe(200);
    // Every email the rehearsal's room hands to the email queue is kept here (and nothing else of its bindings changes).
    const emailed: unknown[] = [];
    const stub: DurableObjectStub = env.Room.getByName(show.id);
    await runInDurableObject(stub, (instance) => {
      const room = instance as unknown as { env: Env };
      const queue = { send: async (m: unknown) => void emailed.push(m), sendBatch: async (ms: unknown[]) => void emailed.push(...ms) };
      room.env = { ...room.env, EMAIL_QUEUE: queue as unknown as Env["EMAIL_QUEUE"] };
    });
    const res = await order(show.owner, show.id, tea.id);
    const placed = await json(res);
    expect(res.status, JSON.stringify(placed)).toBe(201);
    expect(placed.order).toMatchObject({ roomId: show.id, status: "confirmed", payment: "offline", test: true, quantity: 2 });
    await drainOutbox(show.id);

    expect((await counters(show.id))[0]).toMatchObject({ listed: 10, available: 8, sold: 2 });
    expect((await counters(show.room.id))[0]).toMatchObject({ listed: 10, available: 10, held: 0, sold: 0 });
    const inD1 = await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE shop_id = ?").bind(show.shop.id).first<{ n: number }>();
    expect(inD1!.n).toBe(0);
    expect((await json(await call(`/api/shops/${show.shop.id}/orders`, { key: show.apiKey }))).orders).toEqual([]);
    const csv = await (await call(`/api/shops/${show.shop.id}/orders?format=csv`, { key: show.apiKey })).text();
    expect(csv).not.toContain(placed.order.id);
    expect(csv).not.toContain(buyer.email);
    const { shows } = await json(await send(show.owner, `/api/shops/${show.shop.id}/rooms`));
    expect(shows).toHaveLength(1);
    expect(shows[0]).toMatchObject({ id: show.room.id, orders: 0, revenueCents: 0, status: "scheduled" });
    // No confirmation email went to the queue, though the outbox has drained.
    expect(emailed).toEqual([]);
    // The test order has no order page: it is not anywhere the order route looks.
    await expectError(await call(`/api/orders/${placed.order.id}`, { key: show.apiKey }), 404, "not_found");
    // The studio's list is the rehearsal's own (every order in it is a test order).
    const studio = await json(await send(show.owner, `/api/rooms/${show.id}/orders`, { headers: { "X-Room-Role": "host" } }));
    expect(studio.orders.map((o: any) => o.id)).toEqual([placed.order.id]);
    expect((await json(await send(show.owner, `/api/rooms/${show.room.id}/orders`, { headers: { "X-Room-Role": "host" } }))).orders).toEqual([]);
  });

  it("starts from scratch for a new run, and ends with its doors closed; the show is never wiped", async () => {
    const show = await rehearsed();
    const [tea] = show.products;
    await send(show.owner, `/api/rooms/${show.id}/status`, { json: { status: "live" }, headers: { "X-Room-Role": "host" } });
    expect((await order(show.owner, show.id, tea.id, 3)).status).toBe(201);
    const watching = await open(show.id, { key: show.hostKey });
    await watching.next("sync", 10_000);

    const again = await json(await call(`/api/rooms/${show.room.id}/rehearsal`, { method: "POST", key: show.hostKey, json: {} }));
    expect(again.room).toMatchObject({ status: "scheduled" });
    expect(again.room.products[0].left).toBe(10);
    // A host who came with the key keeps it in the studio link's fragment.
    expect(again.links.studio).toBe(`http://shop.test/studio/${show.id}#key=${show.hostKey}`);
    expect((await watching.closed).code).toBe(4409);
    expect((await json(await send(show.owner, `/api/rooms/${show.id}/orders`, { headers: { "X-Room-Role": "host" } }))).orders).toEqual([]);

    // A rehearsal is for a show that has not started.
    expect((await send(show.owner, `/api/rooms/${show.room.id}/rehearsal`, { method: "DELETE" })).status).toBe(200);
    await expectError(await send(show.owner, `/api/rooms/${show.id}`), 404, "not_found");
    expect((await call(`/api/rooms/${show.room.id}`)).status).toBe(200);
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } });
    await expectError(await call(`/api/rooms/${show.room.id}/rehearsal`, { method: "POST", key: show.hostKey, json: {} }), 409, "show_started");
    // Only a rehearsal's room may be wiped, even through the room's own RPC.
    expect(await env.Room.getByName(show.room.id).rehearse({ ...again.room, id: show.room.id } as any)).toMatchObject({ code: "invalid_request" });
  });

  it("is over when the show goes live: its room empties and its team's sockets close, with nothing of the show lost", async () => {
    const show = await rehearsed();
    await send(show.owner, `/api/rooms/${show.id}/status`, { json: { status: "live" }, headers: { "X-Room-Role": "host" } });
    const watching = await open(show.id, { key: show.hostKey });
    await watching.next("sync", 10_000);
    // The host goes live for real from the show's own studio: the rehearsal left running is ended by the show's room.
    expect((await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } })).status).toBe(200);
    await drainOutbox(show.room.id);
    expect((await watching.closed).code).toBe(4404);
    await expectError(await send(show.owner, `/api/rooms/${show.id}`), 404, "not_found");
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room).toMatchObject({ status: "live" });
  });

  it("is over when the show is cancelled", async () => {
    const show = await rehearsed();
    expect((await send(show.owner, `/api/shops/${show.shop.id}/rooms/${show.room.id}/cancel`, { method: "POST" })).status).toBe(200);
    await drainOutbox(show.room.id);
    await expectError(await send(show.owner, `/api/rooms/${show.id}`), 404, "not_found");
  });

  it("is started and ended by the show's hosts only", async () => {
    const show = await rehearsed();
    const moderator = await member(show.owner, show.shop.id, "moderator");
    const other = await ownedShow();
    await expectError(await call(`/api/rooms/${show.room.id}/rehearsal`, { method: "POST", json: {} }), 401, "unauthorized");
    await expectError(await call(`/api/rooms/${show.room.id}/rehearsal`, { method: "POST", key: show.guestKey, json: {} }), 403, "forbidden");
    await expectError(await call(`/api/rooms/${show.room.id}/rehearsal`, { method: "POST", key: show.moderatorKey, json: {} }), 403, "forbidden");
    await expectError(await send(moderator, `/api/rooms/${show.room.id}/rehearsal`, { json: {} }), 403, "forbidden");
    await expectError(await send(other.owner, `/api/rooms/${show.room.id}/rehearsal`, { json: {} }), 403, "forbidden");
    await expectError(await call(`/api/rooms/${show.room.id}/rehearsal`, { method: "DELETE", key: other.apiKey }), 403, "forbidden");
    expect((await call(`/api/rooms/${show.room.id}/rehearsal`, { method: "POST", key: show.apiKey, json: {} })).status).toBe(201);
  });
});

describe("who may open a rehearsal", () => {
  it("is the show's team; everyone else is told it is not public yet, at every door", async () => {
    const show = await rehearsed();
    const manager = await member(show.owner, show.shop.id, "manager");
    const host = await member(show.owner, show.shop.id, "host");
    const moderator = await member(show.owner, show.shop.id, "moderator");
    const other = await ownedShow();
    const team: Array<[string, Browser | { key: string }]> = [
      ["owner", show.owner], ["manager", manager], ["host (not assigned)", host], ["moderator", moderator],
      ["host key", { key: show.hostKey }], ["moderator key", { key: show.moderatorKey }], ["shop key", { key: show.apiKey }],
      ["guest key", { key: show.guestKey }],
    ];
    const outsiders: Array<[string, Browser | { key: string }]> = [
      ["another shop's owner", other.owner], ["signed out", browser()],
      ["another shop's key", { key: other.apiKey }], ["another show's host key", { key: other.hostKey }],
    ];
    const get = (who: Browser | { key: string }, path: string, init: { method?: string; json?: unknown } = {}) =>
      "key" in who ? call(path, { ...init, key: who.key }) : send(who, path, init);

    for (const [name, who] of team) {
      const res = await get(who, `/api/rooms/${show.id}`);
      expect([name, res.status]).toEqual([name, 200]);
      // The shop's API key opens no socket, in a rehearsal as in its show.
      if (name === "shop key") continue;
      const ticket = await get(who, `/api/rooms/${show.id}/tickets`, { method: "POST", json: {} });
      expect([name, ticket.status]).toEqual([name, 201]);
    }
    const doors = [
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}`),
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}/tickets`, { method: "POST", json: {} }),
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}/role`),
      (who: Browser | { key: string }) => order(who, show.id, show.products[0].id),
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}/pin`, { method: "POST", json: { productId: null } }),
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}/deals/end`, { method: "POST", json: {} }),
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}/moderation`),
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}/calls/ice-servers`),
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}/calls/sessions/new`, { method: "POST", json: {} }),
      (who: Browser | { key: string }) => get(who, `/api/rooms/${show.id}/stage/remove`, { method: "POST", json: {} }),
    ];
    for (const [name, who] of outsiders) {
      for (const [i, door] of doors.entries()) {
        const res = await door(who);
        const body = await json(res);
        expect([name, i, res.status, body.error?.code]).toEqual([name, i, 403, "not_public_yet"]);
      }
    }
    // A socket needs a ticket, and a ticket only comes through the doors above.
    const refused = await connect(show.id, { ticket: `tk_${"a".repeat(32)}` });
    expect(refused instanceof Response && refused.status).toBe(401);
    // A viewer's way in without a ticket is not a door to a rehearsal: closed at once, nothing said.
    const asViewer = await joinAsViewer(show.id);
    if (asViewer instanceof Response) throw new Error(`refused with ${asViewer.status}`);
    expect((await asViewer.closed).code).toBe(CLOSE.unauthorized);
    expect(asViewer.frames).toEqual([]);
    // Its page is served (it says "not public yet" itself); the show's own page is unchanged.
    expect((await call(`/r/${show.id}`)).status).toBe(200);
    expect((await call(`/studio/${show.id}`)).status).toBe(200);
    expect((await call(`/r/${show.room.id}.rehearsals`)).status).toBe(404);
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.status).toBe("scheduled");
  });

  it("has the show's guest and moderator links on its own address; a guest rehearses on the stage, and a new guest link counts in both", async () => {
    const show = await rehearsed();
    const { links } = await json(await call(`/api/rooms/${show.id}/links`, { key: show.hostKey }));
    expect(links).toEqual({
      viewer: `http://shop.test/r/${show.id}`,
      host: `http://shop.test/studio/${show.id}#key=${show.hostKey}`,
      guest: `http://shop.test/guest/${show.id}#key=${show.guestKey}`,
      moderator: `http://shop.test/mod/${show.id}#key=${show.moderatorKey}`,
    });
    // The guest opens the rehearsal's socket as a guest (the room checks the key, as in the show).
    const role = await json(await call(`/api/rooms/${show.id}/role`, { key: show.guestKey }));
    expect(role).toEqual({ role: "guest" });
    const guest = await open(show.id, { key: show.guestKey });
    expect((await guest.next("sync", 10_000)).you.role).toBe("guest");
    // A guest holds no host power there either.
    await expectError(await call(`/api/rooms/${show.id}/pin`, { method: "POST", key: show.guestKey, json: { productId: null } }), 403, "forbidden");
    // The host replaces the guest link from the rehearsal's studio: the old key stops in the rehearsal and the show.
    const replaced = await json(await call(`/api/rooms/${show.id}/guest-link`, { method: "POST", key: show.hostKey }));
    expect(replaced.links.guest.startsWith(`http://shop.test/guest/${show.id}#key=gk_`)).toBe(true);
    expect((await guest.closed).code).toBe(4403);
    const fresh = replaced.links.guest.split("#key=")[1];
    expect(fresh).not.toBe(show.guestKey);
    await expectError(await call(`/api/rooms/${show.id}/role`, { key: show.guestKey }), 403, "not_public_yet");
    expect(await json(await call(`/api/rooms/${show.id}/role`, { key: fresh }))).toEqual({ role: "guest" });
    expect(await json(await call(`/api/rooms/${show.room.id}/role`, { key: fresh }))).toEqual({ role: "guest" });
    expect((await call(`/api/rooms/${show.room.id}/role`, { key: show.guestKey })).status).toBe(401);
  });

  it("answers the routes that have no rehearsal with a clear 400", async () => {
    const show = await rehearsed();
    await expectError(await send(show.owner, `/api/rooms/${show.id}/rehearsal`, { json: {} }), 400, "invalid_request");
  });
});
