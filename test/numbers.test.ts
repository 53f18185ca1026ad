/**
 * The show's numbers: a scripted show with known answers (every figure
 * checked against the hand count below), the idempotent flush through the
 * outbox while D1 fails, the CSV tables, and who may read them.
 *
 * The show runs for real (API calls and sockets); then its times are set to
 * a script in the Room's own storage (the room clock has no seam: every
 * table keeps its times, so the test writes the times it means) and the
 * Room counts again.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Room } from "../durable-objects/room.ts";
import { FLUSH_EVERY_MS } from "../durable-objects/numbers.ts";
import { call, claimShop, createShow, drainOutbox, expectError, json, open, warmUp, type TestSocket } from "./helpers.ts";

const pickup = { type: "pickup" };
let keys = 0;
const order = (roomId: string, body: Record<string, unknown>) =>
  call(`/api/rooms/${roomId}/orders`, {
    method: "POST",
    json: { quantity: 1, fulfilment: pickup, ...body },
    headers: { "Idempotency-Key": `numbers-${Date.now()}-${++keys}` },
  });

/** A minute's start, far from today, so nothing the run itself counted can be mistaken for the script. */
const T = 28_333_333 * 60_000;
const S = 1000;

beforeAll(warmUp, 20_000);

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never: ${what}`);
}

async function sentChat(socket: TestSocket, text: string) {
  socket.send({ type: "chat", text, ref: `c${++keys}` });
  await socket.next("chat_sent");
}

/**
 * The script (seconds from T, a minute's start):
 *   -120 the page is visited with ?ref=mei (pre-live)       0 live
 *      5 A joins      10 pin mug      20 B joins      30 A chats     35 A sees the mug's card
 *     36 A opens its checkout      40 3 hearts      50 B buys 2 mugs (ref mei, 37.98)
 *     70 A chats     75 B chats     80 pin teapot     90 A leaves    100 ended    150 B leaves
 */
async function scriptedShow() {
  const show = await createShow();
  const [mug, teapot] = show.products as Array<{ id: string }>;
  const roomId = show.room.id as string;
  const stub = env.Room.getByName(roomId);
  const host = { method: "POST", key: show.hostKey } as const;

  await call(`/r/${roomId}?ref=mei`);
  await until(() => runInDurableObject(stub, (_r, state) => state.storage.sql.exec("SELECT 1 FROM numbers_actions WHERE what = 'visit'").toArray().length), (n) => n === 1, "the visit");
  await env.DB.prepare("INSERT INTO rsvps (id, room_id, email, locale, status, origin, created_at, confirmed_at) VALUES (?, ?, 'lin@example.com', 'en', 'active', 'http://shop.test', ?, ?)")
    .bind(`rv_numbers${String(++keys).padStart(6, "0")}`, roomId, T - 600 * S, T - 600 * S)
    .run();

  await call(`/api/rooms/${roomId}/status`, { ...host, json: { status: "live" } });
  const a = await open(roomId);
  await a.next("sync");
  await call(`/api/rooms/${roomId}/pin`, { ...host, json: { productId: mug!.id } });
  const b = await open(roomId);
  await b.next("sync");
  await sentChat(a, "Is the mug dishwasher safe?");
  a.send({ type: "track", what: "card", productId: mug!.id });
  a.send({ type: "track", what: "card", productId: mug!.id }); // the same viewer, the same minute: once
  a.send({ type: "track", what: "checkout", productId: mug!.id });
  for (let i = 0; i < 3; i++) a.send({ type: "react" });
  expect((await order(roomId, { productId: mug!.id, quantity: 2, ref: "MEI", buyer: { name: "Bo", email: "Bo@example.com" } })).status).toBe(201);
  await sentChat(a, "Lovely colour");
  await sentChat(b, "Ordered two!");
  await call(`/api/rooms/${roomId}/pin`, { ...host, json: { productId: teapot!.id } });
  a.ws.close();
  await call(`/api/rooms/${roomId}/status`, { ...host, json: { status: "ended" } });
  b.ws.close();
  await until(
    () => runInDurableObject(stub, (_r, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM numbers_visits WHERE left_at IS NULL").one().n),
    (n) => n === 0,
    "both visits end",
  );
  await until(
    () => runInDurableObject(stub, (_r, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM numbers_actions WHERE what != 'visit'").one().n),
    (n) => n === 2,
    "the card view and the checkout open",
  );

  // The last presence frame settles (it is written half a second after a leave).
  await new Promise((resolve) => setTimeout(resolve, 700));
  // The script's times, written where the Room keeps them.
  await runInDurableObject(stub, (room: Room, state) => {
    const sql = state.storage.sql;
    const chats = [30, 70, 75];
    const pins = [10, 80];
    for (const { seq, type, status } of sql.exec<{ seq: number; type: string; status: string | null }>(
      "SELECT seq, json_extract(body, '$.type') AS type, json_extract(body, '$.status') AS status FROM events ORDER BY seq",
    )) {
      const at = type === "chat" ? chats.shift()! : type === "pin" ? (pins.shift() ?? 100) : type === "status" ? (status === "live" ? 0 : 100) : 50;
      sql.exec("UPDATE events SET at = ? WHERE seq = ?", T + at * S, seq);
    }
    sql.exec("DELETE FROM tallies");
    for (const [second, hearts, viewers] of [[5, 0, 1], [20, 0, 2], [40, 3, null], [90, 0, 1], [150, 0, 0]] as const) {
      sql.exec("INSERT INTO tallies (second, hearts, viewers) VALUES (?, ?, ?)", (T + second * S) / 1000, hearts, viewers);
    }
    sql.exec("UPDATE numbers_visits SET joined_at = ?, left_at = ? WHERE viewer_id = ?", T + 5 * S, T + 90 * S, a.viewer.id);
    sql.exec("UPDATE numbers_visits SET joined_at = ?, left_at = ? WHERE viewer_id = ?", T + 20 * S, T + 150 * S, b.viewer.id);
    sql.exec("UPDATE numbers_actions SET at = ? WHERE what = 'visit'", T - 120 * S);
    sql.exec("UPDATE numbers_actions SET at = ? WHERE what = 'card'", T + 35 * S);
    sql.exec("UPDATE numbers_actions SET at = ? WHERE what = 'checkout'", T + 36 * S);
    sql.exec("UPDATE orders SET created_at = ?", T + 50 * S);
    room.countNumbers();
  });
  await drainOutbox(roomId);
  return { show, roomId, stub, mug: mug!.id, teapot: teapot!.id };
}

describe("a scripted show's numbers", () => {
  it("has every figure of the hand count", async () => {
    const { show, roomId, mug, teapot } = await scriptedShow();
    const res = await call(`/api/rooms/${roomId}/numbers`, { key: show.hostKey });
    expect(res.status).toBe(200);
    const { numbers } = await json(res);

    const zero = { visits: 0, peakViewers: 0, uniqueViewers: 0, averageWatchMs: 0, chatMessages: 0, hearts: 0, orders: 0, units: 0, revenueCents: 0, buyers: 0, conversion: 0 };
    // Live: A watched 5–90 s, B 20–100 s (165 s between two viewers); B bought.
    const live = { ...zero, peakViewers: 2, uniqueViewers: 2, averageWatchMs: 82_500, chatMessages: 3, hearts: 3, orders: 1, units: 2, revenueCents: 3798, buyers: 1, conversion: 0.5 };
    // Replay: B stayed on 100–150 s after the end.
    const replay = { ...zero, peakViewers: 1, uniqueViewers: 1, averageWatchMs: 50_000 };
    expect(numbers.phases).toEqual([{ phase: "prelive", ...zero, visits: 1 }, { phase: "live", ...live }, { phase: "replay", ...replay }]);
    expect(numbers.total).toEqual({ ...live, visits: 1, averageWatchMs: 107_500 });
    expect(numbers.rsvps).toEqual({ active: 1, pending: 0 });

    const minute = { peakViewers: 0, averageViewers: 0, uniqueViewers: 0, visits: 0, chatMessages: 0, hearts: 0, orders: 0, units: 0, revenueCents: 0 };
    expect(numbers.minutes).toEqual([
      { at: T - 120 * S, phase: "prelive", ...minute, visits: 1 },
      // 1 viewer 5–20 s, 2 viewers 20–60 s: 95 viewer-seconds.
      { at: T, phase: "live", ...minute, peakViewers: 2, averageViewers: 1.58, uniqueViewers: 2, chatMessages: 1, hearts: 3, orders: 1, units: 2, revenueCents: 3798 },
      // 2 viewers 60–90 s, 1 viewer 90–100 s: 70 viewer-seconds; then the show ended.
      { at: T + 60 * S, phase: "live", ...minute, peakViewers: 2, averageViewers: 1.17, uniqueViewers: 2, chatMessages: 2 },
      { at: T + 60 * S, phase: "replay", ...minute, peakViewers: 1, averageViewers: 0.33, uniqueViewers: 1 },
      { at: T + 120 * S, phase: "replay", ...minute, peakViewers: 1, averageViewers: 0.5, uniqueViewers: 1 },
    ]);
    expect(numbers.products).toEqual([
      // Pinned 10–80 s; seen, opened and bought in the first minute.
      { productId: mug, title: "Jasmine pearls", pinnedMs: 70_000, cardViews: 1, checkoutOpens: 1, orders: 1, units: 2, revenueCents: 3798 },
      // Pinned 80 s until the end at 100 s.
      { productId: teapot, title: "Gaiwan set", pinnedMs: 20_000, cardViews: 0, checkoutOpens: 0, orders: 0, units: 0, revenueCents: 0 },
    ]);
    expect(numbers.referrals).toEqual([{ code: "mei", visits: 1, orders: 1, units: 2, revenueCents: 3798 }]);
  });

  it("exports every table as CSV", async () => {
    const { show, roomId } = await scriptedShow();
    const csv = async (table: string) => {
      const res = await call(`/api/rooms/${roomId}/numbers.csv?table=${table}`, { key: show.hostKey });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/csv");
      expect(res.headers.get("content-disposition")).toContain(`numbers-${roomId}-${table}.csv`);
      return (await res.text()).trimEnd().split("\r\n");
    };
    const minutes = await csv("minutes");
    expect(minutes[0]).toBe("minute,phase,peak_viewers,average_viewers,unique_viewers,visits,chat_messages,hearts,orders,units,revenue");
    expect(minutes[2]).toBe(`${new Date(T).toISOString()},live,2,1.58,2,0,1,3,1,2,37.98`);
    expect(minutes).toHaveLength(6);
    expect(await csv("products")).toEqual([
      "product_id,title,pinned_seconds,card_views,checkout_opens,orders,units,revenue",
      `${show.products[0].id},Jasmine pearls,70,1,1,1,2,37.98`,
      `${show.products[1].id},Gaiwan set,20,0,0,0,0,0.00`,
    ]);
    expect(await csv("referrals")).toEqual(["code,visits,orders,units,revenue", "mei,1,1,2,37.98"]);
    const phases = await csv("phases");
    expect(phases[0]).toBe("phase,visits,peak_viewers,unique_viewers,average_watch_seconds,chat_messages,hearts,orders,units,revenue,buyers,conversion,rsvps");
    expect(phases.slice(1)).toEqual(["prelive,1,0,0,0,0,0,0,0,0.00,0,0,1", "live,0,2,2,83,3,3,1,2,37.98,1,0.5,", "replay,0,1,1,50,0,0,0,0,0.00,0,0,", "total,1,2,2,108,3,3,1,2,37.98,1,0.5,"]);
    await expectError(await call(`/api/rooms/${roomId}/numbers.csv?table=secrets`, { key: show.hostKey }), 400, "invalid_request");
  });
});

/** A live show with one viewer synced. */
async function liveShowWithViewer() {
  const show = await createShow();
  const roomId = show.room.id as string;
  await call(`/api/rooms/${roomId}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } });
  const viewer = await open(roomId);
  await viewer.next("sync");
  return { show, roomId, stub: env.Room.getByName(roomId), viewer };
}

describe("writing the numbers to D1", () => {
  it("counts once when the outbox retries after D1 failed", async () => {
    const { show, roomId, stub, viewer } = await liveShowWithViewer();
    await sentChat(viewer, "hello");
    await viewer.next("presence");
    await runInDurableObject(stub, (room: Room) => {
      const broken = { prepare: env.DB.prepare.bind(env.DB), batch: async () => { throw new Error("D1_ERROR: simulated outage"); } };
      (room as unknown as { env: Env }).env = { ...(room["env" as never] as Env), DB: broken as unknown as D1Database };
      room.countNumbers();
    });
    await runInDurableObject(stub, (_r, state) => state.storage.sql.exec("UPDATE outbox SET next_at = 0"));
    await runDurableObjectAlarm(stub);
    const queued = await runInDurableObject(stub, (_r, state) =>
      state.storage.sql.exec<{ attempts: number }>("SELECT attempts FROM outbox WHERE topic = 'numbers'").toArray(),
    );
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((entry) => entry.attempts > 0)).toBe(true);
    const read = async () => (await json(await call(`/api/rooms/${roomId}/numbers`, { key: show.hostKey }))).numbers.total;
    expect((await read()).chatMessages).toBe(0);

    // D1 is back: the queued rows are written, then written again (a retry of the same rows): still one chat line, one viewer.
    await runInDurableObject(stub, (room: Room) => {
      (room as unknown as { env: Env }).env = { ...(room["env" as never] as Env), DB: env.DB };
    });
    await drainOutbox(roomId);
    await runInDurableObject(stub, (_r, state) => state.storage.sql.exec("DELETE FROM numbers_sent"));
    await runInDurableObject(stub, (room: Room) => room.countNumbers());
    await drainOutbox(roomId);
    expect(await read()).toMatchObject({ chatMessages: 1, uniqueViewers: 1, peakViewers: 1 });
    viewer.ws.close();
  });

  it("a quiet live show still counts its watching each minute, by the room's alarm, with nothing else happening", async () => {
    const { show, roomId, stub, viewer } = await liveShowWithViewer();
    const read = async () => (await json(await call(`/api/rooms/${roomId}/numbers`, { key: show.hostKey }))).numbers.total;
    const counted = await until(read, (t) => t.uniqueViewers === 1, "the viewer in the numbers");
    expect(counted.averageWatchMs).toBeLessThan(30_000);
    // The room's alarm is set a second into the next minute, or a flush after the last count if that is later
    // (a count made in a minute's last second).
    const intoMinute = (alarm: number | null) => alarm! % 60_000;
    const alarm = await runInDurableObject(stub, (_r, state) => state.storage.getAlarm());
    expect(intoMinute(alarm)).toBeGreaterThanOrEqual(1_000);
    expect(intoMinute(alarm)).toBeLessThanOrEqual(FLUSH_EVERY_MS);
    expect(alarm!).toBeLessThanOrEqual(Date.now() + 61_000);
    // Three quiet minutes pass: the viewer has watched since three minutes earlier, and the last minute counted is that one.
    await runInDurableObject(stub, (_r, state) => {
      state.storage.sql.exec("UPDATE numbers_visits SET joined_at = joined_at - 180000");
      state.storage.sql.exec("UPDATE numbers_sent SET row = json_set(row, '$.minute', json_extract(row, '$.minute') - 180000) WHERE key LIKE 'm:%:live'");
    });
    // Past the flush after the last count, with no chat, heart, pin or order: only the alarm counts.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await runDurableObjectAlarm(stub);
    await drainOutbox(roomId);
    expect((await read()).averageWatchMs).toBeGreaterThanOrEqual(180_000);
    // The next count is armed again.
    const next = await runInDurableObject(stub, (_r, state) => state.storage.getAlarm());
    expect(intoMinute(next)).toBeGreaterThanOrEqual(1_000);
    expect(intoMinute(next)).toBeLessThanOrEqual(FLUSH_EVERY_MS);
    viewer.ws.close();
  });

  it("reaches GET …/numbers within seconds, without anyone asking for a count", async () => {
    const { show, roomId, viewer } = await liveShowWithViewer();
    await sentChat(viewer, "first!");
    const started = Date.now();
    const total = await until(
      async () => (await json(await call(`/api/rooms/${roomId}/numbers`, { key: show.hostKey }))).numbers.total,
      (t) => t.chatMessages === 1 && t.uniqueViewers === 1,
      "the chat line and the viewer in the numbers",
    );
    expect(total.peakViewers).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    viewer.ws.close();
  });
});

describe("the show page's visits", () => {
  it("count a person opening the link, not a chat app's preview robot, a search engine or a prefetch", async () => {
    const show = await createShow();
    const roomId = show.room.id as string;
    const visits = () =>
      runInDurableObject(env.Room.getByName(roomId), (_r, state) => state.storage.sql.exec<{ ref: string | null }>("SELECT ref FROM numbers_actions WHERE what = 'visit' ORDER BY id").toArray().map((r) => r.ref));
    const phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    const robots = [
      "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
      "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
      "WhatsApp/2.23.20.0",
      "TelegramBot (like TwitterBot)",
      "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    ];
    for (const agent of robots) expect((await call(`/r/${roomId}?ref=robot`, { headers: { "User-Agent": agent } })).status).toBe(200);
    // Chromium's speculative prefetch of a link, before any tap.
    await call(`/r/${roomId}?ref=prefetch`, { headers: { "User-Agent": phone, "Sec-Purpose": "prefetch" } });
    await call(`/r/${roomId}?ref=mei`, { headers: { "User-Agent": phone } });
    // A phone inside WeChat is a person, though its browser names the app.
    await call(`/r/${roomId}?ref=wechat`, { headers: { "User-Agent": `${phone} MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN` } });
    // So is one on a CUBOT phone, whose name ends in "bot".
    await call(`/r/${roomId}?ref=cubot`, { headers: { "User-Agent": "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36" } });
    await until(visits, (refs) => refs.length >= 3, "the three visits");
    expect(await visits()).toEqual(["mei", "wechat", "cubot"]);
  });
});

describe("who may read the numbers", () => {
  it("opens for the host key, the shop's key and its team; not for guests, moderators, other shops or nobody", async () => {
    const show = await createShow();
    const path = `/api/rooms/${show.room.id}/numbers`;
    expect((await call(path, { key: show.hostKey })).status).toBe(200);
    expect((await call(path, { key: show.apiKey })).status).toBe(200);
    const cookie = await claimShop(show.apiKey);
    expect((await call(path, { headers: { Cookie: cookie } })).status).toBe(200);
    await expectError(await call(path), 401, "unauthorized");
    await expectError(await call(path, { key: show.guestKey }), 403, "forbidden");
    await expectError(await call(path, { key: show.moderatorKey }), 403, "forbidden");
    const other = await createShow({ shopName: "Other tea" });
    await expectError(await call(path, { key: other.apiKey }), 403, "forbidden");
    await expectError(await call(path, { key: other.hostKey }), 401, "unauthorized");
    await expectError(await call(`${path}.csv?table=minutes`, { key: show.guestKey }), 403, "forbidden");
    await expectError(await call("/api/rooms/r_0000000000000000/numbers", { key: show.hostKey }), 404, "not_found");
  });

  it("takes a viewer's beacon with its token only, and checks what it says", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    const viewer = await open(roomId);
    await viewer.next("sync");
    const views = `/api/rooms/${roomId}/views`;
    const productId = show.products[0].id;
    expect((await call(views, { method: "POST", json: { what: "checkout", productId, viewerToken: viewer.viewer.token } })).status).toBe(202);
    await expectError(await call(views, { method: "POST", json: { what: "checkout", productId, viewerToken: "vt_v_0000000000000000.00000000000000000000000000000000" } }), 401, "unauthorized");
    await expectError(await call(views, { method: "POST", json: { what: "card", viewerToken: viewer.viewer.token } }), 400, "invalid_request");
    await expectError(await call(views, { method: "POST", json: { what: "sale", productId, viewerToken: viewer.viewer.token } }), 400, "invalid_request");
    await expectError(await call("/api/rooms/r_0000000000000000/views", { method: "POST", json: { what: "watch", viewerToken: viewer.viewer.token } }), 404, "not_found");
    const actions = await runInDurableObject(env.Room.getByName(roomId), (_r, state) =>
      state.storage.sql.exec("SELECT what, viewer_id, product_id FROM numbers_actions WHERE what != 'visit'").toArray(),
    );
    expect(actions).toEqual([{ what: "checkout", viewer_id: viewer.viewer.id, product_id: productId }]);
    viewer.ws.close();
  });
});
