/**
 * Moderation that sticks: every power of the host and moderators (delete,
 * time out, ban, slow mode, blocked words, a pinned message), each refusal
 * (viewers and guests cannot moderate; the people running the show cannot be
 * kept out), bans that survive a reconnect, timeouts that end by the room's
 * clock, and every decision in the event log, read only by whom it is for.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { history } from "../durable-objects/event-log.ts";
import { LIMITS, MODERATION } from "../durable-objects/protocol.ts";
import { call, createShow, json, open, warmUp, type TestSocket } from "./helpers.ts";

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/** The next chat message with this text on a socket (earlier ones are passed over). */
async function chatSaying(socket: TestSocket, text: string) {
  for (;;) {
    const frame = await socket.next("chat");
    if (frame.message.text === text) return frame.message;
  }
}
const moderate = (roomId: string, body: unknown, key?: string) => call(`/api/rooms/${roomId}/moderation`, { method: "POST", json: body, key });

// Warm-up: the first socket in a file pays for starting the runtime.
beforeAll(warmUp);

/** A show with its host and a viewer who said something, so the host has the viewer's author id. */
async function showWithViewer() {
  const show = await createShow();
  const host = await open(show.room.id, { key: show.hostKey });
  const viewer = await open(show.room.id);
  await host.next("sync");
  await viewer.next("sync");
  viewer.send({ type: "chat", text: "hello from the audience", name: "Ana" });
  const { message } = await host.next("chat");
  await viewer.next("chat");
  return { show, host, viewer, message, stub: env.Room.getByName(show.room.id) };
}

async function buy(roomId: string, productId: string) {
  return call(`/api/rooms/${roomId}/orders`, {
    method: "POST",
    headers: { "Idempotency-Key": crypto.randomUUID() },
    json: { productId, quantity: 1, buyer: { name: "Ana", email: "ana@example.com" }, fulfilment: { type: "pickup" } },
  });
}

describe("who may moderate", () => {
  it("a viewer or a guest cannot; nothing changes", async () => {
    const { show, message } = await showWithViewer();
    const frames = [
      { type: "delete", messageId: message.id },
      { type: "pin_message", messageId: message.id },
      { type: "timeout", viewerId: message.author },
      { type: "ban", viewerId: message.author },
      { type: "unban", viewerId: message.author },
      { type: "slow_mode", seconds: 10 },
      { type: "blocked_words", words: ["hello"] },
    ];
    expect(frames.map((f) => f.type).sort()).toEqual([...MODERATION].sort());
    for (const key of [undefined, show.guestKey]) {
      const socket = await open(show.room.id, key ? { key } : {});
      await socket.next("sync");
      for (const frame of frames) {
        socket.send(frame);
        expect((await socket.next("error")).code).toBe("forbidden");
      }
    }
    const { chat, moderation } = await json(await call(`/api/rooms/${show.room.id}/moderation`, { key: show.hostKey }));
    expect(chat).toEqual({ slowModeSeconds: 0, pinned: null });
    expect(moderation).toEqual({ blockedWords: [], restricted: [] });
    const late = await open(show.room.id);
    expect((await late.next("sync")).messages.map((m: any) => m.id)).toEqual([message.id]);
  });

  it("the moderator link gives the moderator role, which moderates from the chat but does not run the show", async () => {
    const { show, viewer, message } = await showWithViewer();
    expect(show.links.moderator).toMatch(new RegExp(`^http://shop.test/mod/${show.room.id}#key=mk_[0-9A-Za-z]{32}$`));
    expect((await json(await call(`/api/rooms/${show.room.id}/role`, { key: show.moderatorKey }))).role).toBe("moderator");
    const mod = await open(show.room.id, { key: show.moderatorKey });
    const sync = await mod.next("sync");
    expect(sync.you).toMatchObject({ role: "moderator", restriction: null });
    expect(sync.moderation).toEqual({ blockedWords: [], restricted: [] });
    mod.send({ type: "slow_mode", seconds: 10 });
    expect((await viewer.next("slow_mode")).seconds).toBe(10);
    mod.send({ type: "ban", viewerId: message.author });
    expect((await viewer.next("restricted")).restriction).toEqual({ kind: "ban", until: null });
    // The show's own controls stay the host's.
    for (const frame of [{ type: "pin", productId: show.products[0].id }, { type: "status", status: "live" }]) {
      mod.send(frame);
      expect((await mod.next("error")).code).toBe("forbidden");
    }
    // Moderators are staff, not audience.
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.viewers).toBe(1);
  });

  it("over HTTP: the host key, a moderator key or the shop's API key; not a guest or nobody", async () => {
    const { show, viewer, message } = await showWithViewer();
    const roomId = show.room.id;
    const banned = await moderate(roomId, { action: "ban", viewerId: message.author }, show.apiKey);
    expect(banned.status).toBe(200);
    expect((await json(banned)).moderation.restricted).toEqual([
      { viewerId: message.author, name: "Ana", restriction: { kind: "ban", until: null } },
    ]);
    expect((await viewer.next("restricted")).restriction.kind).toBe("ban");
    // A banned viewer is not timed out by mistake: lift the ban first.
    const timeout = await moderate(roomId, { action: "timeout", viewerId: message.author }, show.hostKey);
    expect(timeout.status).toBe(409);
    expect((await json(timeout)).error.code).toBe("invalid_transition");
    const slow = await moderate(roomId, { action: "slow_mode", seconds: 30 }, show.hostKey);
    expect((await json(slow)).chat.slowModeSeconds).toBe(30);
    const pinned = await json(await moderate(roomId, { action: "pin_message", messageId: message.id }, show.hostKey));
    expect(pinned.chat.pinned).toMatchObject({ id: message.id, text: "hello from the audience", author: message.author });
    const words = await json(await moderate(roomId, { action: "blocked_words", words: [" spam ", "SPAM", "垃圾"] }, show.hostKey));
    expect(words.moderation.blockedWords).toEqual(["spam", "垃圾"]);
    const read = await json(await call(`/api/rooms/${roomId}/moderation`, { key: show.apiKey }));
    expect(read).toEqual({ chat: pinned.chat, moderation: words.moderation });

    const error = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect((await json(res)).error.code).toBe(code);
    };
    await error(await moderate(roomId, { action: "unban", viewerId: message.author }, show.guestKey), 403, "forbidden");
    await error(await moderate(roomId, { action: "unban", viewerId: message.author }), 401, "unauthorized");
    await error(await moderate(roomId, { action: "unban", viewerId: message.author }, "mk_" + "0".repeat(32)), 401, "unauthorized");
    await error(await call(`/api/rooms/${roomId}/moderation`, { key: show.guestKey }), 403, "forbidden");
    // The moderator link's key moderates over HTTP too (and reads the rules); it still runs nothing else.
    const unbanned = await moderate(roomId, { action: "unban", viewerId: message.author }, show.moderatorKey);
    expect(unbanned.status).toBe(200);
    expect((await json(unbanned)).moderation.restricted).toEqual([]);
    expect((await call(`/api/rooms/${roomId}/moderation`, { key: show.moderatorKey })).status).toBe(200);
    await error(await call(`/api/rooms/${roomId}/pin`, { method: "POST", json: { productId: null }, key: show.moderatorKey }), 403, "forbidden");
    await error(await moderate(roomId, { action: "ban", viewerId: "someone" }, show.hostKey), 400, "invalid_request");
    await error(await moderate(roomId, { action: "slow_mode", seconds: LIMITS.slowModeMaxSeconds + 1 }, show.hostKey), 400, "invalid_request");
    await error(await moderate(roomId, { action: "shout" }, show.hostKey), 400, "invalid_request");
    await error(await moderate(roomId, { action: "blocked_words", words: ["x".repeat(LIMITS.blockedWordLength + 1)] }, show.hostKey), 400, "invalid_request");
    await error(await moderate(roomId, { action: "pin_message", messageId: "gone" }, show.hostKey), 404, "not_found");
    await error(await moderate(roomId, { action: "delete", messageId: "gone" }, show.hostKey), 404, "not_found");
  });

  it("the host, guests and moderators cannot be timed out or banned", async () => {
    const { show, host } = await showWithViewer();
    const guest = await open(show.room.id, { key: show.guestKey });
    const mod = await open(show.room.id, { key: show.moderatorKey });
    await guest.next("sync");
    await mod.next("sync");
    for (const socket of [host, guest, mod]) {
      socket.send({ type: "chat", text: "one of the crew" });
      const { message } = await host.next("chat");
      host.send({ type: "ban", viewerId: message.author });
      expect((await host.next("error")).code).toBe("forbidden");
      mod.send({ type: "timeout", viewerId: message.author });
      expect((await mod.next("error")).code).toBe("forbidden");
    }
    expect((await json(await call(`/api/rooms/${show.room.id}/moderation`, { key: show.hostKey }))).moderation.restricted).toEqual([]);
  });
});

describe("bans", () => {
  it("keep a viewer out of the chat across reconnects; they still watch, send hearts and buy; nobody else learns who", async () => {
    const { show, host, viewer, message } = await showWithViewer();
    const other = await open(show.room.id);
    await other.next("sync");
    host.send({ type: "ban", viewerId: message.author });
    const told = await viewer.next("restricted");
    expect(told).toEqual({ type: "restricted", seq: told.seq, viewerId: viewer.viewer.id, name: "Ana", restriction: { kind: "ban", until: null } });
    expect((await host.next("restricted")).seq).toBe(told.seq);
    expect(await other.next("private")).toEqual({ type: "private", seq: told.seq });

    viewer.send({ type: "chat", text: "let me back in" });
    expect(await viewer.next("error")).toMatchObject({ code: "banned", message: expect.stringContaining("still watch") });

    // A reload: the same browser (its viewer token), a new ticket, a new socket.
    viewer.ws.close();
    const back = await open(show.room.id, { viewerToken: viewer.viewer.token });
    const sync = await back.next("sync");
    expect(sync.you).toEqual({ id: viewer.viewer.id, role: "viewer", restriction: { kind: "ban", until: null } });
    expect(sync.moderation).toBeUndefined();
    expect(sync.room.title).toBe("Spring tasting");
    back.send({ type: "chat", text: "and now?" });
    expect((await back.next("error")).code).toBe("banned");
    back.send({ type: "react" });
    expect((await host.next("reactions")).total).toBe(1);
    expect((await buy(show.room.id, show.products[0].id)).status).toBe(201);
    await settle();
    expect(other.frames.filter((f) => f.type === "chat")).toEqual([]);

    // Resuming from before the ban replays it: whole to the viewer, as a number to anyone else.
    const resumed = await open(show.room.id, { viewerToken: viewer.viewer.token, since: String(told.seq - 1) });
    const replay = await resumed.next("replay");
    expect(replay.you.restriction).toEqual({ kind: "ban", until: null });
    expect(replay.events.find((e: any) => e.seq === told.seq)).toMatchObject({ type: "restricted", viewerId: viewer.viewer.id });
    const stranger = await open(show.room.id, { since: String(told.seq - 1) });
    expect((await stranger.next("replay")).events.find((e: any) => e.seq === told.seq)).toEqual({ type: "private", seq: told.seq });

    host.send({ type: "unban", viewerId: message.author });
    expect((await back.next("restricted")).restriction).toBeNull();
    back.send({ type: "chat", text: "thanks!" });
    expect((await host.next("chat")).message).toMatchObject({ text: "thanks!", author: viewer.viewer.id });
    // Another viewer reads the name, not who it is.
    expect((await other.next("chat")).message).toMatchObject({ text: "thanks!", author: null });
  });
});

describe("timeouts", () => {
  it("last five minutes by the room's clock, then the chat takes the viewer again", async () => {
    const { show, host, viewer, message, stub } = await showWithViewer();
    const before = Date.now();
    host.send({ type: "timeout", viewerId: message.author });
    const told = await viewer.next("restricted");
    expect(told.restriction.kind).toBe("timeout");
    expect(told.restriction.until).toBeGreaterThanOrEqual(before + LIMITS.timeoutMs);
    expect(told.restriction.until).toBeLessThanOrEqual(Date.now() + LIMITS.timeoutMs);
    viewer.send({ type: "chat", text: "hello?" });
    const refused = await viewer.next("error");
    expect(refused.code).toBe("timed_out");
    expect(refused.retryAfterMs).toBeGreaterThan(LIMITS.timeoutMs - 5_000);
    // The room's alarm comes by the end (sooner while the show is live and watched: its numbers count each minute).
    expect(await runInDurableObject(stub, (_room, state) => state.storage.getAlarm())).toBeLessThanOrEqual(told.restriction.until!);
    const reloaded = await open(show.room.id, { viewerToken: viewer.viewer.token });
    expect((await reloaded.next("sync")).you.restriction).toEqual(told.restriction);

    // Five minutes pass on the room's clock: the timeout's end is moved to just now.
    await runInDurableObject(stub, (_room, state) => state.storage.sql.exec("UPDATE restrictions SET until = ?", Date.now() - 1));
    // The chat compares times itself, before the clock has even announced the end…
    viewer.send({ type: "chat", text: "back already" });
    expect((await host.next("chat")).message.text).toBe("back already");
    // …and the alarm announces it to the viewer and the moderators.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await viewer.next("restricted")).toMatchObject({ viewerId: viewer.viewer.id, restriction: null });
    expect((await host.next("restricted")).restriction).toBeNull();
    expect((await json(await call(`/api/rooms/${show.room.id}/moderation`, { key: show.hostKey }))).moderation.restricted).toEqual([]);
    const later = await open(show.room.id, { viewerToken: viewer.viewer.token });
    expect((await later.next("sync")).you.restriction).toBeNull();
  });
});

describe("slow mode", () => {
  it("paces each viewer (not the host); everyone is told, late joiners too", async () => {
    const { show, host, viewer, stub } = await showWithViewer();
    const other = await open(show.room.id);
    await other.next("sync");
    host.send({ type: "slow_mode", seconds: 30 });
    expect(await viewer.next("slow_mode")).toMatchObject({ seconds: 30 });
    expect((await other.next("slow_mode")).seconds).toBe(30);
    // The viewer spoke a moment ago: the next message waits for the rest of the 30 s.
    viewer.send({ type: "chat", text: "again" });
    const refused = await viewer.next("error");
    expect(refused).toMatchObject({ code: "slow_mode", message: expect.stringContaining("30 s") });
    expect(refused.retryAfterMs).toBeGreaterThan(25_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(30_000);
    // Another viewer has their own pace, and the host none.
    other.send({ type: "chat", text: "first from me" });
    expect((await host.next("chat")).message.text).toBe("first from me");
    other.send({ type: "chat", text: "second from me" });
    expect((await other.next("error")).code).toBe("slow_mode");
    host.send({ type: "chat", text: "host one" });
    host.send({ type: "chat", text: "host two" });
    await host.next("chat");
    expect((await host.next("chat")).message.text).toBe("host two");
    expect((await (await open(show.room.id)).next("sync")).chat.slowModeSeconds).toBe(30);

    // 30 s later (the pace is kept in storage, so an evicted room remembers it too).
    await runInDurableObject(stub, (_room, state) => state.storage.sql.exec("UPDATE chat_pace SET last_at = last_at - 30000"));
    viewer.send({ type: "chat", text: "now I may" });
    await chatSaying(other, "now I may");
    host.send({ type: "slow_mode", seconds: 0 });
    await viewer.next("slow_mode");
    viewer.send({ type: "chat", text: "and again" });
    await chatSaying(other, "and again");
  });
});

describe("blocked words", () => {
  it("refuse a viewer's message for its sender only, saying why; only moderators see the list", async () => {
    const { show, host, viewer } = await showWithViewer();
    const other = await open(show.room.id);
    await other.next("sync");
    host.send({ type: "blocked_words", words: ["Spam", "垃圾", "spam "] });
    const set = await host.next("blocked_words");
    expect(set.words).toEqual(["Spam", "垃圾"]);
    expect(await viewer.next("private")).toEqual({ type: "private", seq: set.seq });

    for (const text of ["buy SPAM now", "spam", "这是垃圾广告", "ｓｐａｍ!"]) {
      viewer.send({ type: "chat", text });
      expect(await viewer.next("error")).toMatchObject({ code: "blocked_word", message: expect.stringContaining("not allow") });
    }
    // Whole words in spaced scripts; the host is not filtered.
    viewer.send({ type: "chat", text: "spammer? no, a classic" });
    expect((await other.next("chat")).message.text).toBe("spammer? no, a classic");
    host.send({ type: "chat", text: "no spam here, promise" });
    expect((await other.next("chat")).message.text).toBe("no spam here, promise");
    await settle();
    expect(other.frames.filter((f) => f.type === "chat").map((f) => f.message.text)).toEqual(["spammer? no, a classic", "no spam here, promise"]);

    const late = await (await open(show.room.id)).next("sync");
    expect(late.moderation).toBeUndefined();
    expect(JSON.stringify(late)).not.toContain("垃圾");
    expect((await (await open(show.room.id, { key: show.hostKey })).next("sync")).moderation.blockedWords).toEqual(["Spam", "垃圾"]);
    // A list longer than the room allows is refused.
    host.send({ type: "blocked_words", words: Array.from({ length: LIMITS.blockedWords + 1 }, (_, i) => `w${i}`) });
    expect((await host.next("error")).code).toBe("invalid_message");
  });
});

describe("the pinned message", () => {
  it("sits on top for everyone, late joiners too; deleting it unpins it", async () => {
    const { show, host, viewer, message } = await showWithViewer();
    host.send({ type: "pin_message", messageId: message.id });
    expect((await viewer.next("chat_pinned")).message).toMatchObject({ id: message.id, text: "hello from the audience", name: "Ana" });
    const late = await open(show.room.id);
    expect((await late.next("sync")).chat).toEqual({ slowModeSeconds: 0, pinned: { ...message, author: null } });
    host.send({ type: "pin_message", messageId: "not-a-message" });
    expect((await host.next("error")).code).toBe("not_found");

    host.send({ type: "delete", messageId: message.id });
    expect((await late.next("chat_deleted")).messageId).toBe(message.id);
    expect((await late.next("chat_pinned")).message).toBeNull();
    expect((await (await open(show.room.id)).next("sync")).chat.pinned).toBeNull();

    // Pin another, then unpin.
    host.send({ type: "chat", text: "Gaiwan set: 20% off tonight" });
    const { message: offer } = await viewer.next("chat");
    host.send({ type: "pin_message", messageId: offer.id });
    expect((await viewer.next("chat_pinned")).message.id).toBe(offer.id);
    host.send({ type: "pin_message", messageId: null });
    expect((await viewer.next("chat_pinned")).message).toBeNull();
  });
});

describe("the event log", () => {
  it("keeps every decision with the room clock's time, whole", async () => {
    const { show, host, message, stub } = await showWithViewer();
    const start = Date.now();
    for (const frame of [
      { type: "slow_mode", seconds: 10 },
      { type: "blocked_words", words: ["spam"] },
      { type: "pin_message", messageId: message.id },
      { type: "timeout", viewerId: message.author },
      { type: "ban", viewerId: message.author },
      { type: "unban", viewerId: message.author },
      { type: "delete", messageId: message.id },
    ]) host.send(frame);
    await host.next("chat_pinned");
    await host.next("chat_pinned");
    const log = await runInDurableObject(stub, (_room, state) => history(state.storage.sql));
    expect(log.map((e) => e.event.type)).toEqual([
      "chat", "slow_mode", "blocked_words", "chat_pinned", "restricted", "restricted", "restricted", "chat_deleted", "chat_pinned",
    ]);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.slice(1).every((e) => e.at !== null && e.at >= start && e.at <= Date.now())).toBe(true);
    expect(log.filter((e) => e.event.type === "restricted").map((e) => (e.event as any).restriction?.kind ?? null)).toEqual(["timeout", "ban", null]);
    expect(log[4]!.event).toMatchObject({ viewerId: message.author, name: "Ana" });
    // Who decided each: the host's browser; the viewer's own line was nobody's decision.
    expect(log[0]!.by).toBeNull();
    const hostId = (await runInDurableObject(stub, (_room, state) => history(state.storage.sql)))[1]!.by;
    expect(log.slice(1).every((e) => e.by?.role === "host" && e.by.viewerId === hostId?.viewerId)).toBe(true);
    expect(hostId?.viewerId).toMatch(/^v_/);
    expect(hostId?.viewerId).not.toBe(message.author);
  });

  it("names the moderator who decided (socket or HTTP), in the log only: viewers never learn who", async () => {
    const { show, viewer, message, stub } = await showWithViewer();
    const mod = await open(show.room.id, { key: show.moderatorKey });
    const modId = (await mod.next("sync")).you.id;
    mod.send({ type: "timeout", viewerId: message.author });
    expect((await viewer.next("restricted")).restriction.kind).toBe("timeout");
    expect((await moderate(show.room.id, { action: "unban", viewerId: message.author }, show.moderatorKey)).status).toBe(200);
    expect((await moderate(show.room.id, { action: "slow_mode", seconds: 5 }, show.apiKey)).status).toBe(200);
    const unbanned = await viewer.next("restricted");
    const slow = await viewer.next("slow_mode");
    const log = await runInDurableObject(stub, (_room, state) => history(state.storage.sql));
    expect(log.slice(1).map((e) => [e.event.type, e.by])).toEqual([
      ["restricted", { role: "moderator", viewerId: modId }],
      ["restricted", { role: "moderator", viewerId: null }],
      ["slow_mode", { role: "shop", viewerId: null }],
    ]);
    for (const frame of [unbanned, slow, ...viewer.frames]) expect(JSON.stringify(frame)).not.toContain(modId);
  });
});

describe("moderator links of rooms from before them", () => {
  it("are made when the host asks for the links again, and then open the room", async () => {
    const show = await createShow();
    await env.DB.prepare("UPDATE rooms SET moderator_key_hash = NULL WHERE id = ?").bind(show.room.id).run();
    expect(await (await call(`/api/rooms/${show.room.id}/role`, { key: show.moderatorKey })).status).toBe(401);
    const { links } = await json(await call(`/api/rooms/${show.room.id}/links`, { key: show.hostKey }));
    expect(links.moderator).toBe(show.links.moderator);
    expect((await json(await call(`/api/rooms/${show.room.id}/role`, { key: show.moderatorKey }))).role).toBe("moderator");
  });
});
