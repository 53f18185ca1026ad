/**
 * "Remind me": double opt-in, one-click unsubscribe, when each reminder goes
 * by the room's clock (start moved, cancelled, live, a product pinned, the
 * host's 10 minutes), exactly once per recipient across a restarted room
 * and a re-delivered queue message, and who may read the RSVPs.
 */
import { createExecutionContext, createMessageBatch, evictDurableObject, getQueueResult, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enqueue } from "../durable-objects/outbox.ts";
import { sendReminders } from "../durable-objects/reminder-sender.ts";
import { showRow } from "../durable-objects/show.ts";
import { sha256Hex } from "../worker/digests.ts";
import { deliverEmails } from "../worker/email/deliver-emails.ts";
import worker from "../worker/index.ts";
import { reminderEmail } from "../worker/reminders/reminder-emails.ts";
import { unsubscribeToken } from "../worker/reminders/rsvps.ts";
import { CLAIM_MS } from "../worker/reminders/send-once.ts";
import { visitorLang } from "../worker/visitor-lang.ts";
import { BASE, call, drainOutbox, expectError, json, scheduledShow, warmUp } from "./helpers.ts";
import { browser, invite, member, ownedShow, send } from "./team-helpers.ts";

const MINUTE = 60_000;
const inMinutes = (m: number) => new Date(Date.now() + m * MINUTE).toISOString();
let nextIp = 1;

/** Asks for a reminder as a browser would; returns the answer and the emails the Worker queued. */
async function askReminder(roomId: string, body: Record<string, unknown>) {
  const sent: any[] = [];
  const queue = { send: (message: any, options?: QueueSendOptions) => (sent.push(message), env.EMAIL_QUEUE.send(message, options)) };
  const res = await worker.fetch(
    new Request(`${BASE}/api/rooms/${roomId}/rsvps`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": `203.0.113.${nextIp++ % 250}` },
      body: JSON.stringify(body),
    }),
    { ...env, EMAIL_QUEUE: queue } as unknown as Env,
    createExecutionContext(),
  );
  return { res, sent };
}

const tokenIn = (email: { text: string }) => decodeURIComponent(/#confirm=([^\s]+)/.exec(email.text)![1]!);

/** Asks and confirms: an active RSVP. */
async function confirmed(roomId: string, email: string, extra: Record<string, unknown> = {}) {
  const { res, sent } = await askReminder(roomId, { email, ...extra });
  expect(res.status).toBe(202);
  const ok = await call("/api/rsvps/confirm", { method: "POST", json: { token: tokenIn(sent[0]) } });
  expect(ok.status).toBe(200);
  return env.DB.prepare("SELECT id FROM rsvps WHERE room_id = ? AND email = ?").bind(roomId, email.toLowerCase()).first<{ id: string }>().then((r) => r!.id);
}

const sends = (roomId: string) =>
  env.DB.prepare("SELECT recipient, kind, queued_at, sent_at FROM reminder_sends WHERE room_id = ? ORDER BY kind, recipient").bind(roomId).all<any>().then((r) => r.results);

/** Waits until the real queue consumer has sent every queued reminder of the room. */
async function allSent(roomId: string, expected: number) {
  for (let i = 0; i < 100; i++) {
    const rows = await sends(roomId);
    if (rows.length >= expected && rows.every((r) => r.sent_at !== null)) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`reminders not sent: ${JSON.stringify(await sends(roomId))}`);
}

const alarmOf = (roomId: string) => runInDurableObject(env.Room.getByName(roomId), (_room, state) => state.storage.getAlarm());
const runs = (roomId: string) =>
  runInDurableObject(env.Room.getByName(roomId), (_room, state) => state.storage.sql.exec<{ kind: string }>("SELECT kind FROM reminder_runs ORDER BY kind").toArray().map((r) => r.kind));

beforeAll(warmUp);

describe("POST /api/rooms/{roomId}/rsvps: double opt-in", () => {
  it("stores a pending RSVP with only the token's hash, and emails a link with the token in its fragment", async () => {
    const { room } = await scheduledShow(inMinutes(60 * 24));
    const { res, sent } = await askReminder(room.id, { email: "Mei@Example.com", locale: "zh-CN", timeZone: "Europe/Stockholm" });
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ status: "check_your_inbox" });
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe("mei@example.com");
    expect(sent[0].subject).toBe("确认你的提醒 · Winter tea, tasted live");
    const token = tokenIn(sent[0]);
    expect(sent[0].text).toContain(`${BASE}/remind#confirm=${token}`);
    const row = await env.DB.prepare("SELECT * FROM rsvps WHERE room_id = ?").bind(room.id).first<any>();
    expect(row).toMatchObject({ email: "mei@example.com", status: "pending", locale: "zh-CN", time_zone: "Europe/Stockholm", confirm_hash: await sha256Hex(token) });
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it("confirms once; the answer never tells whether the address was known", async () => {
    const { room } = await scheduledShow(inMinutes(60 * 24));
    const first = await askReminder(room.id, { email: "lin@example.com" });
    const again = await askReminder(room.id, { email: "lin@example.com" });
    const answer = await json(first.res);
    expect(await json(again.res)).toEqual(answer);
    // The newer link replaces the older one.
    await expectError(await call("/api/rsvps/confirm", { method: "POST", json: { token: tokenIn(first.sent[0]) } }), 404, "not_found");
    const ok = await call("/api/rsvps/confirm", { method: "POST", json: { token: tokenIn(again.sent[0]) } });
    expect(await json(ok)).toEqual({ rsvp: { roomId: room.id, productId: null, viewerLink: `${BASE}/r/${room.id}` } });
    await expectError(await call("/api/rsvps/confirm", { method: "POST", json: { token: tokenIn(again.sent[0]) } }), 404, "not_found");
    // Already confirmed: the same 202, and no email.
    const known = await askReminder(room.id, { email: "LIN@example.com" });
    expect({ status: known.res.status, body: await json(known.res), sent: known.sent.length }).toEqual({ status: 202, body: answer, sent: 0 });
    expect(await env.DB.prepare("SELECT status FROM rsvps WHERE room_id = ?").bind(room.id).all()).toMatchObject({ results: [{ status: "active" }] });
  });

  it("refuses bad input, unknown products, ended and cancelled shows with a clear 4xx, changing nothing", async () => {
    const { room, shop, apiKey } = await scheduledShow(inMinutes(60 * 24));
    await expectError((await askReminder(room.id, { email: "not-an-email" })).res, 400, "invalid_request");
    await expectError((await askReminder(room.id, { email: "a@example.com", timeZone: "Mars/Olympus" })).res, 400, "invalid_request");
    await expectError((await askReminder(room.id, { email: "a@example.com", locale: "fr" })).res, 400, "invalid_request");
    await expectError((await askReminder(room.id, { email: "a@example.com", productId: "p_0000000000000000" })).res, 404, "not_found");
    await expectError((await askReminder("r_0000000000000000", { email: "a@example.com" })).res, 404, "not_found");
    await expectError(await call("/api/rsvps/confirm", { method: "POST", json: {} }), 400, "invalid_request");
    const cancelled = await call(`/api/shops/${shop.id}/rooms/${room.id}/cancel`, { method: "POST", key: apiKey });
    expect(cancelled.status).toBe(200);
    await expectError((await askReminder(room.id, { email: "a@example.com" })).res, 409, "show_cancelled");
    const ended = await scheduledShow(inMinutes(60));
    await call(`/api/rooms/${ended.room.id}/status`, { method: "POST", key: ended.hostKey, json: { status: "live" } });
    await call(`/api/rooms/${ended.room.id}/status`, { method: "POST", key: ended.hostKey, json: { status: "ended" } });
    await expectError((await askReminder(ended.room.id, { email: "a@example.com" })).res, 409, "show_ended");
    expect(await env.DB.prepare("SELECT count(*) AS n FROM rsvps WHERE room_id IN (?, ?)").bind(room.id, ended.room.id).first()).toEqual({ n: 0 });
  });

  it("limits requests per address (5 per 15 minutes), like sign-in attempts", async () => {
    const { room } = await scheduledShow(inMinutes(60 * 24));
    for (let i = 0; i < 5; i++) expect((await askReminder(room.id, { email: "busy@example.com" })).res.status).toBe(202);
    const refused = await askReminder(room.id, { email: "busy@example.com" });
    await expectError(refused.res, 429, "rate_limited");
    expect(refused.sent).toHaveLength(0);
  });
});

describe("unsubscribe", () => {
  it("works from one POST without a session (RFC 8058 one-click) and as JSON; repeating it changes nothing", async () => {
    const { room } = await scheduledShow(inMinutes(60 * 24));
    const id = await confirmed(room.id, "out@example.com");
    const token = await unsubscribeToken(env.DB, id);
    const oneClick = await call(`/api/rsvps/unsubscribe?token=${encodeURIComponent(token)}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(await json(oneClick)).toEqual({ unsubscribed: true });
    expect(await env.DB.prepare("SELECT status FROM rsvps WHERE id = ?").bind(id).first()).toEqual({ status: "unsubscribed" });
    expect((await call("/api/rsvps/unsubscribe", { method: "POST", json: { token } })).status).toBe(200);
    await expectError(await call(`/api/rsvps/unsubscribe?token=${encodeURIComponent(token.slice(0, -1) + (token.endsWith("0") ? "1" : "0"))}`, { method: "POST" }), 404, "not_found");
    await expectError(await call("/api/rsvps/unsubscribe", { method: "POST" }), 400, "invalid_request");
  });

  it("is in every reminder: List-Unsubscribe and List-Unsubscribe-Post headers, and a link in the body", async () => {
    const email = reminderEmail(
      { to: "a@example.com", locale: "en", timeZone: "Europe/Stockholm", origin: "https://shop.example", show: { roomId: "r_x", title: "Tea", startsAt: "2027-01-15T12:00:00Z", shopName: "Lotus" } },
      "soon",
      "us_rv_x.abc",
    );
    expect(email.headers).toEqual({ "List-Unsubscribe": "<https://shop.example/api/rsvps/unsubscribe?token=us_rv_x.abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    expect(email.text).toContain("https://shop.example/remind#unsubscribe=us_rv_x.abc");
    expect(email.text).toContain("1:00 PM GMT+1");
    // The consumer hands the headers to Email Service.
    const got: any[] = [];
    const batch = createMessageBatch("shop-along-email", [{ id: "h1", timestamp: new Date(), attempts: 1, body: { ...email, from: "shop-along@localhost" } }]);
    await deliverEmails(batch, { ...env, EMAIL: { send: async (m: any) => void got.push(m) } } as unknown as Env);
    expect(got[0].headers).toEqual(email.headers);
  });
});

describe("when reminders go, by the room's clock", () => {
  it("arms the room 15 minutes before the start; a start moved by the console moves it; a cancelled show sends none", async () => {
    const start = Date.now() + 24 * 60 * MINUTE;
    const { room, shop, apiKey } = await scheduledShow(new Date(start).toISOString());
    expect(await alarmOf(room.id)).toBe(start - 15 * MINUTE);
    const later = start + 60 * MINUTE;
    const moved = await call(`/api/shops/${shop.id}/rooms/${room.id}`, { method: "PATCH", key: apiKey, json: { startsAt: new Date(later).toISOString() } });
    expect(moved.status).toBe(200);
    expect(await alarmOf(room.id)).toBe(later - 15 * MINUTE);
    await confirmed(room.id, "cancel@example.com");
    await call(`/api/shops/${shop.id}/rooms/${room.id}/cancel`, { method: "POST", key: apiKey });
    // Even when the old alarm fires at the old time, nothing is due.
    await runInDurableObject(env.Room.getByName(room.id), (_room, state) => state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(env.Room.getByName(room.id));
    expect(await runs(room.id)).toEqual([]);
    expect(await sends(room.id)).toEqual([]);
  });

  it("sends the 15-minute reminder once the time comes, and to an RSVP confirmed after it", async () => {
    const { room, shop, apiKey } = await scheduledShow(inMinutes(60));
    const early = await confirmed(room.id, "early@example.com");
    // The start moves to 14 minutes from now: the reminder is due at once.
    const start = inMinutes(14);
    await call(`/api/shops/${shop.id}/rooms/${room.id}`, { method: "PATCH", key: apiKey, json: { startsAt: start } });
    await runDurableObjectAlarm(env.Room.getByName(room.id));
    await drainOutbox(room.id);
    const soon = `soon@${Date.parse(start)}`;
    expect((await allSent(room.id, 1)).map((r) => [r.recipient, r.kind])).toEqual([[early, soon]]);
    const late = await confirmed(room.id, "late@example.com");
    await drainOutbox(room.id);
    const rows = await allSent(room.id, 2);
    expect(rows.map((r) => [r.recipient, r.kind]).sort()).toEqual([[early, soon], [late, soon]].sort());
  });

  it("a start moved later after its reminder went gets a reminder of its own, 15 minutes before the new start", async () => {
    const first = inMinutes(14);
    const { room, shop, apiKey } = await scheduledShow(first);
    const rsvp = await confirmed(room.id, "moved@example.com");
    await runDurableObjectAlarm(env.Room.getByName(room.id));
    await drainOutbox(room.id);
    expect(await allSent(room.id, 1)).toHaveLength(1);
    // The brand pushes the show back an hour: the viewer needs to hear "15 minutes" again, before the new start.
    const later = Date.now() + 74 * MINUTE;
    expect((await call(`/api/shops/${shop.id}/rooms/${room.id}`, { method: "PATCH", key: apiKey, json: { startsAt: new Date(later).toISOString() } })).status).toBe(200);
    expect(await alarmOf(room.id)).toBe(later - 15 * MINUTE);
    // Moving it back to 14 minutes away makes the new one due at once: it is sent, with the new start in it.
    const sooner = new Date(Date.now() + 14 * MINUTE).toISOString();
    await call(`/api/shops/${shop.id}/rooms/${room.id}`, { method: "PATCH", key: apiKey, json: { startsAt: sooner } });
    await runDurableObjectAlarm(env.Room.getByName(room.id));
    await drainOutbox(room.id);
    const rows = await allSent(room.id, 2);
    expect(rows.map((r) => [r.recipient, r.kind]).sort()).toEqual([[rsvp, `soon@${Date.parse(first)}`], [rsvp, `soon@${Date.parse(sooner)}`]].sort());
  });

  it("sends \"we're live\" at go-live, and a product's alert when the host pins it while live (to that product's RSVPs only)", async () => {
    const { room, product, hostKey } = await scheduledShow(inMinutes(60 * 24));
    const show = await confirmed(room.id, "show@example.com");
    const forProduct = await confirmed(room.id, "product@example.com", { productId: product.id });
    // A pin before the show is live alerts nobody.
    await call(`/api/rooms/${room.id}/pin`, { method: "POST", key: hostKey, json: { productId: product.id } });
    await call(`/api/rooms/${room.id}/pin`, { method: "POST", key: hostKey, json: { productId: null } });
    await call(`/api/rooms/${room.id}/status`, { method: "POST", key: hostKey, json: { status: "live" } });
    await drainOutbox(room.id);
    expect((await allSent(room.id, 1)).map((r) => [r.recipient, r.kind])).toEqual([[show, "live"]]);
    await call(`/api/rooms/${room.id}/pin`, { method: "POST", key: hostKey, json: { productId: product.id } });
    await drainOutbox(room.id);
    expect((await allSent(room.id, 2)).map((r) => [r.recipient, r.kind])).toEqual([[show, "live"], [forProduct, `product:${product.id}`]]);
    // Pinned again: nobody hears of it twice.
    await call(`/api/rooms/${room.id}/pin`, { method: "POST", key: hostKey, json: { productId: null } });
    await call(`/api/rooms/${room.id}/pin`, { method: "POST", key: hostKey, json: { productId: product.id } });
    await drainOutbox(room.id);
    expect(await sends(room.id)).toHaveLength(2);
  });

  it("emails each host assigned to the show 10 minutes before the start", async () => {
    const t = await ownedShow();
    const host = await member(t.owner, t.shop.id, "host");
    await env.DB.prepare("UPDATE accounts SET email = ? WHERE id = ?").bind(`host-${host.accountId}@example.com`, host.accountId).run();
    const res = await call(`/api/shops/${t.shop.id}/rooms`, { method: "POST", key: t.apiKey, json: { title: "Soon", startsAt: inMinutes(9), products: [{ productId: t.products[0].id, stock: 1 }] } });
    const { room } = await json(res);
    expect((await send(t.owner, `/api/shops/${t.shop.id}/team/shows/${room.id}/hosts`, { json: { accountId: host.accountId } })).status).toBe(200);
    await runDurableObjectAlarm(env.Room.getByName(room.id));
    await drainOutbox(room.id);
    const rows = await allSent(room.id, 1);
    expect(rows.map((r) => [r.recipient, r.kind])).toEqual([[`host:${host.accountId}`, `host@${Date.parse(room.startsAt)}`]]);
  });

  it("a host assigned after the host's reminder went (9 minutes before the start) gets it too, once; one assigned earlier gets nothing early", async () => {
    const t = await ownedShow();
    const first = await member(t.owner, t.shop.id, "host");
    const late = await member(t.owner, t.shop.id, "host");
    for (const h of [first, late]) await env.DB.prepare("UPDATE accounts SET email = ? WHERE id = ?").bind(`host-${h.accountId}@example.com`, h.accountId).run();
    const made = await call(`/api/shops/${t.shop.id}/rooms`, { method: "POST", key: t.apiKey, json: { title: "Soon", startsAt: inMinutes(60), products: [{ productId: t.products[0].id, stock: 1 }] } });
    const { room } = await json(made);
    const assign = (accountId: string) => send(t.owner, `/api/shops/${t.shop.id}/team/shows/${room.id}/hosts`, { json: { accountId } });
    // An hour out: assigning a host sends nothing yet.
    expect((await assign(first.accountId)).status).toBe(200);
    await drainOutbox(room.id);
    expect(await sends(room.id)).toEqual([]);
    // The start moves to 9 minutes away: the host's reminder goes, to the one host assigned then.
    const startsAt = inMinutes(9);
    expect((await call(`/api/shops/${t.shop.id}/rooms/${room.id}`, { method: "PATCH", key: t.apiKey, json: { startsAt } })).status).toBe(200);
    await runDurableObjectAlarm(env.Room.getByName(room.id));
    await drainOutbox(room.id);
    expect((await allSent(room.id, 1)).map((r) => r.recipient)).toEqual([`host:${first.accountId}`]);
    // A second host assigned now still needs to hear it; the first does not hear it twice.
    expect((await assign(late.accountId)).status).toBe(200);
    await drainOutbox(room.id);
    const rows = await allSent(room.id, 2);
    expect(rows.map((r) => [r.recipient, r.kind]).sort()).toEqual([[`host:${first.accountId}`, `host@${Date.parse(startsAt)}`], [`host:${late.accountId}`, `host@${Date.parse(startsAt)}`]].sort());
    expect((await assign(late.accountId)).status).toBe(200);
    await drainOutbox(room.id);
    expect(await sends(room.id)).toHaveLength(2);
  });
});

describe("the host's reminder", () => {
  it("is written in the language the host last used the site in", async () => {
    const t = await ownedShow();
    const { token } = await invite(t.owner, t.shop.id, "host");
    const host = browser();
    // A host who reads Chinese accepts the invite from a Chinese browser (or with the site switched to Chinese).
    const res = await send(host, `/api/shops/${t.shop.id}/team/invites/accept`, { json: { token, displayName: "Mei" }, headers: { "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5" } });
    expect(res.status).toBe(201);
    const { accountId } = await json(res);
    expect(await env.DB.prepare("SELECT locale FROM accounts WHERE id = ?").bind(accountId).first()).toEqual({ locale: "zh-CN" });
    await env.DB.prepare("UPDATE accounts SET email = ? WHERE id = ?").bind(`mei-${accountId}@example.com`, accountId).run();
    // Planned an hour out, so that nothing is due before the host is assigned and the room's queue is watched.
    const made = await call(`/api/shops/${t.shop.id}/rooms`, { method: "POST", key: t.apiKey, json: { title: "新茶品鉴", startsAt: inMinutes(60), products: [{ productId: t.products[0].id, stock: 1 }] } });
    const { room } = await json(made);
    expect((await send(t.owner, `/api/shops/${t.shop.id}/team/shows/${room.id}/hosts`, { json: { accountId } })).status).toBe(200);
    const queued: any[] = [];
    await runInDurableObject(env.Room.getByName(room.id), (instance) => {
      const target = instance as unknown as { env: Env };
      const queue = { send: async (m: unknown) => void queued.push(m), sendBatch: async (ms: Array<{ body: unknown }>) => void queued.push(...ms.map((m) => m.body)) };
      target.env = { ...target.env, EMAIL_QUEUE: queue as unknown as Env["EMAIL_QUEUE"] };
    });
    // The start moves to 9 minutes from now: the host's reminder is due at once.
    expect((await call(`/api/shops/${t.shop.id}/rooms/${room.id}`, { method: "PATCH", key: t.apiKey, json: { startsAt: inMinutes(9) } })).status).toBe(200);
    await runDurableObjectAlarm(env.Room.getByName(room.id));
    await drainOutbox(room.id);
    expect(queued).toHaveLength(1);
    expect(queued[0].subject).toBe("你的直播 10 分钟后开始：新茶品鉴");
    // Switched back to English on the site: the next email is in English.
    expect(visitorLang(new Request(BASE, { headers: { Cookie: "lang=en", "Accept-Language": "zh-CN" } }))).toBe("en");
  });
});

describe("exactly once", () => {
  it("a room killed after recording the recipients and before queueing their emails still sends each one, once", async () => {
    const { room } = await scheduledShow(inMinutes(60 * 24));
    const ids = [await confirmed(room.id, "k1@example.com"), await confirmed(room.id, "k2@example.com")];
    const stub = env.Room.getByName(room.id);
    const queued: any[] = [];
    await runInDurableObject(stub, async (_room, state) => {
      const sql = state.storage.sql;
      // The reminder is in the outbox (as the clock leaves it), not yet due again.
      enqueue(sql, "reminder", "soon", 1, undefined, Date.now() + 60 * MINUTE);
      const down = { ...env, EMAIL_QUEUE: { sendBatch: () => Promise.reject(new Error("the runtime died here")) } } as unknown as Env;
      await expect(sendReminders({ db: env.DB, sql, show: showRow(sql)!, env: down }, { topic: "reminder", key: "soon", version: 1, payload: null, attempts: 0 })).rejects.toThrow();
      // And once more where queueing worked but marking them queued did not: their emails are on the queue already.
      const half = { ...env, EMAIL_QUEUE: { sendBatch: async (b: any[]) => void queued.push(...b.map((m) => m.body)) } } as unknown as Env;
      const failingMarks = new Proxy(env.DB, { get: (db, p) => (p === "batch" ? () => Promise.reject(new Error("killed")) : (db as any)[p].bind(db)) });
      await expect(sendReminders({ db: failingMarks as D1Database, sql, show: showRow(sql)!, env: half }, { topic: "reminder", key: "soon", version: 1, payload: null, attempts: 0 })).rejects.toThrow();
    });
    expect((await sends(room.id)).map((r) => [r.queued_at, r.sent_at])).toEqual([[null, null], [null, null]]);
    await evictDurableObject(stub);
    // After the restart the outbox runs the reminder again: every recorded recipient is queued.
    await drainOutbox(room.id);
    const rows = await allSent(room.id, 2);
    expect(rows.map((r) => r.recipient).sort()).toEqual([...ids].sort());
    // The copies queued before the "crash" arrive too: the consumer sends neither again.
    const sentNow: any[] = [];
    const batch = createMessageBatch("shop-along-email", queued.map((body, i) => ({ id: `dup${i}`, timestamp: new Date(), attempts: 1, body })));
    await deliverEmails(batch, { ...env, EMAIL: { send: async (m: any) => void sentNow.push(m) } } as unknown as Env);
    expect(sentNow).toEqual([]);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks.sort()).toEqual(["dup0", "dup1"]);
    expect(queued.map((e) => e.to).sort()).toEqual(["k1@example.com", "k2@example.com"]);
  });

  it("a re-delivered message is sent once; a send in flight elsewhere waits; a failed one is taken over", async () => {
    const { room } = await scheduledShow(inMinutes(60 * 24));
    const id = await confirmed(room.id, "r1@example.com");
    await env.DB.prepare("INSERT INTO reminder_sends (room_id, recipient, kind, recorded_at, queued_at) VALUES (?, ?, 'live', ?, ?)").bind(room.id, id, Date.now(), Date.now()).run();
    const body = (kind: string) => ({ from: "shop-along@localhost", to: "r1@example.com", subject: "We're live", text: "…", once: { recipient: id, kind } });
    const got: any[] = [];
    const ok = { ...env, EMAIL: { send: async (m: any) => void got.push(m) } } as unknown as Env;
    const down = { ...env, EMAIL: { send: () => Promise.reject(new Error("Email Service unavailable")) } } as unknown as Env;
    const deliver = async (target: Env, id: string, kind = "live") => {
      const batch = createMessageBatch("shop-along-email", [{ id, timestamp: new Date(), attempts: 1, body: body(kind) }]);
      await deliverEmails(batch, target);
      return getQueueResult(batch, createExecutionContext());
    };
    // Failed: retried, and the claim is given back.
    expect((await deliver(down, "a")).retryMessages.map((m) => m.msgId)).toEqual(["a"]);
    // Another delivery holds it (claimed just now): this one waits for the lease.
    await env.DB.prepare("UPDATE reminder_sends SET claimed_at = ? WHERE recipient = ?").bind(Date.now(), id).run();
    const busy = await deliver(ok, "b");
    expect(busy.retryMessages.map((m) => m.msgId)).toEqual(["b"]);
    // That delivery died: after the lease, the next takes over and sends.
    await env.DB.prepare("UPDATE reminder_sends SET claimed_at = ? WHERE recipient = ?").bind(Date.now() - CLAIM_MS - 1, id).run();
    expect((await deliver(ok, "c")).explicitAcks).toEqual(["c"]);
    expect((await deliver(ok, "d")).explicitAcks).toEqual(["d"]);
    expect(got).toHaveLength(1);
    expect((await env.DB.prepare("SELECT sent_at FROM reminder_sends WHERE recipient = ?").bind(id).first<any>()).sent_at).toEqual(expect.any(Number));
 
    // Unsubscribed after its email was queued: it is not sent.
    await env.DB.prepare("INSERT INTO reminder_sends (room_id, recipient, kind, recorded_at, queued_at) VALUES (?, ?, 'soon', ?, ?)").bind(room.id, id, Date.now(), Date.now()).run();
    expect((await call("/api/rsvps/unsubscribe", { method: "POST", json: { token: await unsubscribeToken(env.DB, id) } })).status).toBe(200);
    const late = await deliver(ok, "e", "soon");
    expect(late.explicitAcks).toEqual(["e"]);
    expect(got).toHaveLength(1);
  });
});

describe("who sees the RSVPs", () => {
  it("owners and managers get the list and CSV; hosts and moderators, other shops and the signed-out do not; the studio gets counts", async () => {
    const t = await ownedShow();
    const manager = await member(t.owner, t.shop.id, "manager");
    const host = await member(t.owner, t.shop.id, "host");
    const moderator = await member(t.owner, t.shop.id, "moderator");
    const stranger = (await ownedShow()).owner;
    await send(t.owner, `/api/shops/${t.shop.id}/team/shows/${t.room.id}/hosts`, { json: { accountId: host.accountId } });
    await confirmed(t.room.id, "first@example.com");
    await confirmed(t.room.id, "b@example.com");
    await askReminder(t.room.id, { email: "pending@example.com" });
    const path = `/api/shops/${t.shop.id}/rooms/${t.room.id}/rsvps`;
    for (const who of [t.owner, manager]) {
      const list = await json(await send(who, path));
      expect(list.rsvps).toMatchObject({ active: 2, pending: 1 });
      expect(list.rsvps.series.at(-1).count).toBe(2);
      expect(list.emails.map((e: any) => e.email)).toEqual(["first@example.com", "b@example.com"]);
    }
    const csv = await send(t.owner, path, { headers: { Accept: "text/csv" } });
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("email,product_id,locale,confirmed_at");
    expect(lines[1]).toMatch(/^first@example.com,,en,\d{4}-/);
    expect((await (await send(manager, `${path}.csv`)).text()).split("\r\n")).toHaveLength(4);
    expect((await call(`${path}?format=csv`, { key: t.apiKey })).status).toBe(200);
    for (const [who, status] of [[host, 403], [moderator, 403], [stranger, 403], [browser(), 401]] as const) {
      expect((await send(who, path)).status).toBe(status);
      expect((await send(who, `${path}.csv`)).status).toBe(status);
    }
    // The studio: counts with the host's credential, never the addresses.
    const studio = await json(await call(`/api/rooms/${t.room.id}/rsvps`, { key: t.hostKey }));
    expect(studio).toEqual({ rsvps: expect.objectContaining({ active: 2, pending: 1 }) });
    expect(JSON.stringify(studio)).not.toContain("@");
    expect((await send(host, `/api/rooms/${t.room.id}/rsvps`)).status).toBe(200);
    expect((await send(moderator, `/api/rooms/${t.room.id}/rsvps`)).status).toBe(403);
    expect((await send(stranger, `/api/rooms/${t.room.id}/rsvps`)).status).toBe(403);
    expect((await call(`/api/rooms/${t.room.id}/rsvps`, { key: t.moderatorKey })).status).toBe(403);
    expect((await call(`/api/rooms/${t.room.id}/rsvps`)).status).toBe(401);
    // The console's list of shows carries the count.
    const shows = await json(await send(t.owner, `/api/shops/${t.shop.id}/rooms`));
    expect(shows.shows.find((s: any) => s.id === t.room.id).rsvps).toBe(2);
  });
});
