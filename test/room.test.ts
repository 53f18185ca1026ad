import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_NAME, LIMITS } from "../durable-objects/protocol.ts";
import { RATES } from "../durable-objects/rate-limits.ts";
import { call, connect, createShow, json, open, ticketFor, warmUp } from "./helpers.ts";

const post = (path: string, json: unknown, key?: string) => call(path, { method: "POST", json, key });

// Warm-up: the first socket in a file pays for starting the runtime.
beforeAll(warmUp);

describe("joining a room", () => {
  it("sends the whole state first, with the room's sequence number", async () => {
    const show = await createShow({ stock: 4 });
    const viewer = await open(show.room.id);
    const sync = await viewer.next("sync");
    expect(sync).toMatchObject({ seq: 0, you: { role: "viewer" }, messages: [] });
    expect(sync.room).toMatchObject({ id: show.room.id, status: "scheduled", pinnedProductId: null });
    expect(sync.room.products.map((p: any) => p.left)).toEqual([4, 4]);
  });

  it("gives host and guest keys their roles and refuses a wrong key before a socket is opened", async () => {
    const show = await createShow();
    expect((await (await open(show.room.id, { key: show.hostKey })).next("sync")).you.role).toBe("host");
    expect((await (await open(show.room.id, { key: show.guestKey })).next("sync")).you.role).toBe("guest");
    const wrongKey = await call(`/api/rooms/${show.room.id}/tickets`, { method: "POST", key: "hk_not-the-key" });
    expect(wrongKey.status).toBe(401);
    expect((await wrongKey.json<any>()).error.code).toBe("unauthorized");
  });

  it("ignores a role header sent by the client", async () => {
    const show = await createShow();
    const { ticket } = await ticketFor(show.room.id);
    const url = `http://shop.test/parties/room/${show.room.id}?ticket=${ticket}`;
    const { exports } = await import("cloudflare:workers");
    const res = await exports.default.fetch(new Request(url, { headers: { Upgrade: "websocket", "x-room-role": "host", "x-room-viewer": "v_0000000000000000" } }));
    res.webSocket!.accept();
    const frame = await new Promise<any>((resolve) => res.webSocket!.addEventListener("message", (e: MessageEvent) => resolve(JSON.parse(e.data as string))));
    expect(frame.you.role).toBe("viewer");
    expect(frame.you.id).not.toBe("v_0000000000000000");
  });

  it("answers 404 when no show exists at that id, before any socket", async () => {
    const ticket = await call("/api/rooms/r_0000000000000000/tickets", { method: "POST" });
    expect(ticket.status).toBe(404);
    const socket = await connect("r_0000000000000000", { ticket: `tk_${"0".repeat(32)}` });
    expect(socket).toBeInstanceOf(Response);
    expect((socket as Response).status).toBe(404);
  });

  it("late joiners get the recent chat", async () => {
    const show = await createShow();
    const early = await open(show.room.id);
    await early.next("sync");
    for (const text of ["hello", "is the gaiwan glazed?"]) early.send({ type: "chat", text, name: "Mei" });
    await early.next("chat");
    await early.next("chat");
    const late = await open(show.room.id);
    const sync = await late.next("sync");
    expect(sync.seq).toBe(2);
    expect(sync.messages.map((m: any) => [m.seq, m.name, m.text])).toEqual([[1, "Mei", "hello"], [2, "Mei", "is the gaiwan glazed?"]]);
  });
});

describe("chat", () => {
  it("reaches every viewer with consecutive sequence numbers; text stays text", async () => {
    const show = await createShow();
    const a = await open(show.room.id);
    const b = await open(show.room.id);
    await a.next("sync");
    await b.next("sync");
    a.send({ type: "chat", text: "<img src=x onerror=alert(1)>" });
    a.send({ type: "chat", text: "  second  ", name: "" });
    const [first, second] = [await b.next("chat"), await b.next("chat")];
    expect(first.seq).toBe(1);
    expect(first.message).toMatchObject({ seq: 1, role: "viewer", text: "<img src=x onerror=alert(1)>", name: expect.stringMatching(/^Viewer \d{4}$/) });
    // The form pages read to say "Viewer" in their language.
    expect(DEFAULT_NAME.exec(first.message.name)?.[1]).toBe("Viewer");
    expect(second.seq).toBe(2);
    expect(second.message.text).toBe("second");
    expect((await a.next("chat")).message.id).toBe(first.message.id);
  });

  it("refuses invalid frames with an error event and broadcasts nothing", async () => {
    const show = await createShow();
    const a = await open(show.room.id);
    const b = await open(show.room.id);
    await a.next("sync");
    await b.next("sync");
    for (const bad of ["not json", { type: "chat" }, { type: "chat", text: "" }, { type: "chat", text: "x".repeat(LIMITS.chatText + 1) }, { type: "shout", text: "hi" }, { type: "chat", text: "hi", name: "n".repeat(LIMITS.displayName + 1) }]) {
      a.send(bad);
      expect((await a.next("error")).code).toBe("invalid_message");
    }
    a.send({ type: "chat", text: "x".repeat(LIMITS.chatText) });
    expect((await b.next("chat")).seq).toBe(1);
  });

  it("rate-limits each viewer with a clear error, never a silent drop", async () => {
    const show = await createShow();
    const a = await open(show.room.id);
    await a.next("sync");
    for (let i = 0; i < RATES.chat.burst + 2; i++) a.send({ type: "chat", text: `msg ${i}` });
    for (let i = 0; i < RATES.chat.burst; i++) await a.next("chat");
    const limited = await a.next("error");
    expect(limited).toMatchObject({ code: "rate_limited", retryAfterMs: expect.any(Number) });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    await a.next("error");
    // Another viewer has its own allowance.
    const b = await open(show.room.id);
    await b.next("sync");
    b.send({ type: "chat", text: "me too" });
    expect((await b.next("chat")).message.text).toBe("me too");
  });

  it("keeps a bounded history", async () => {
    const show = await createShow();
    const total = LIMITS.historyKept + 10;
    for (let sent = 0; sent < total; ) {
      const socket = await open(show.room.id);
      await socket.next("sync");
      const batch = Math.min(RATES.chat.burst, total - sent);
      for (let i = 0; i < batch; i++) socket.send({ type: "chat", text: `m${sent + i}` });
      for (let i = 0; i < batch; i++) await socket.next("chat");
      sent += batch;
      socket.ws.close();
    }
    const stub = env.Room.getByName(show.room.id);
    const kept = await runInDurableObject(stub, (_room, state) => state.storage.sql.exec("SELECT count(*) AS n FROM messages").one().n);
    expect(kept).toBe(LIMITS.historyKept);
    // The host: 210 lines in a few seconds is over the chat's sampling rate, and a viewer's history holds only the
    // sample (test/chat-sampling.test.ts); the host's holds every line.
    const late = await open(show.room.id, { key: show.hostKey });
    const sync = await late.next("sync");
    expect(sync.messages).toHaveLength(LIMITS.historyOnJoin);
    expect(sync.messages.at(-1).text).toBe(`m${total - 1}`);
  }, 30_000);
});

describe("host powers are checked in the room", () => {
  it("a viewer or guest cannot pin, change status or delete", async () => {
    const show = await createShow();
    for (const key of [undefined, show.guestKey]) {
      const socket = await open(show.room.id, key ? { key } : {});
      await socket.next("sync");
      for (const message of [{ type: "pin", productId: show.products[0].id }, { type: "status", status: "live" }, { type: "delete", messageId: "x" }]) {
        socket.send(message);
        expect((await socket.next("error")).code).toBe("forbidden");
      }
    }
    const state = (await (await call(`/api/rooms/${show.room.id}`)).json()) as any;
    expect(state.room).toMatchObject({ status: "scheduled", pinnedProductId: null });
  });

  it("the host deletes a message for everyone, and late joiners never see it", async () => {
    const show = await createShow();
    const host = await open(show.room.id, { key: show.hostKey });
    const viewer = await open(show.room.id);
    await host.next("sync");
    await viewer.next("sync");
    viewer.send({ type: "chat", text: "spam spam" });
    const { message } = await host.next("chat");
    expect(message.role).toBe("viewer");
    host.send({ type: "delete", messageId: message.id });
    expect(await viewer.next("chat_deleted")).toMatchObject({ seq: 2, messageId: message.id });
    host.send({ type: "delete", messageId: message.id });
    expect((await host.next("error")).code).toBe("not_found");
    const late = await open(show.room.id);
    expect((await late.next("sync")).messages).toEqual([]);
  });

  it("a pin over HTTP reaches connected viewers, in order with chat", async () => {
    const show = await createShow();
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    const productId = show.products[0].id;
    expect((await post(`/api/rooms/${show.room.id}/pin`, { productId }, show.hostKey)).status).toBe(200);
    expect(await viewer.next("pin", 1000)).toEqual({ type: "pin", seq: 1, productId });
    await post(`/api/rooms/${show.room.id}/status`, { status: "live" }, show.apiKey);
    expect(await viewer.next("status", 1000)).toEqual({ type: "status", seq: 2, status: "live" });
  });

  it("the host pins and goes live over the socket; an ended show closes chat", async () => {
    const show = await createShow();
    const host = await open(show.room.id, { key: show.hostKey });
    const viewer = await open(show.room.id);
    await host.next("sync");
    await viewer.next("sync");
    host.send({ type: "pin", productId: show.products[1].id });
    expect((await viewer.next("pin")).productId).toBe(show.products[1].id);
    host.send({ type: "pin", productId: "p_0000000000000000" });
    expect((await host.next("error")).code).toBe("not_found");
    host.send({ type: "status", status: "ended" });
    expect((await viewer.next("status")).status).toBe("ended");
    host.send({ type: "status", status: "live" });
    expect((await host.next("error")).code).toBe("invalid_transition");
    viewer.send({ type: "chat", text: "too late?" });
    expect((await viewer.next("error")).code).toBe("show_ended");
  });
});

describe("reconnecting", () => {
  it("replays exactly what a client missed: no gap, no duplicate", async () => {
    const show = await createShow();
    const host = await open(show.room.id, { key: show.hostKey });
    const viewer = await open(show.room.id);
    await host.next("sync");
    await viewer.next("sync");
    host.send({ type: "chat", text: "one" });
    const seen = await viewer.next("chat");
    viewer.ws.close();
    host.send({ type: "chat", text: "two" });
    await host.next("chat");
    await host.next("chat");
    host.send({ type: "pin", productId: show.products[0].id });
    await host.next("pin");

    const back = await open(show.room.id, { since: String(seen.seq) });
    const replay = await back.next("replay");
    expect(replay.seq).toBe(3);
    expect(replay.events.map((e: any) => [e.seq, e.type])).toEqual([[2, "chat"], [3, "pin"]]);
    expect(replay.events[0].message.text).toBe("two");
    host.send({ type: "chat", text: "three" });
    expect((await back.next("chat")).seq).toBe(4);
  });

  it("answers a resync request with the events after `since`", async () => {
    const show = await createShow();
    const a = await open(show.room.id);
    await a.next("sync");
    a.send({ type: "chat", text: "x" });
    a.send({ type: "chat", text: "y" });
    await a.next("chat");
    await a.next("chat");
    a.send({ type: "resync", since: 1 });
    expect((await a.next("replay")).events.map((e: any) => e.seq)).toEqual([2]);
  });

  it("sends the whole state when `since` is ahead of the room or older than its log", async () => {
    const show = await createShow();
    const ahead = await open(show.room.id, { since: "99" });
    expect((await ahead.next("sync")).seq).toBe(0);
    const stub = env.Room.getByName(show.room.id);
    // Pretend the log was trimmed: only events after 5 remain.
    await runInDurableObject(stub, (_room, state) => {
      state.storage.sql.exec("UPDATE room SET head_seq = 10 WHERE id = 1");
      for (let seq = 6; seq <= 10; seq++) {
        state.storage.sql.exec("INSERT INTO events (seq, body) VALUES (?, ?)", seq, JSON.stringify({ type: "pin", seq, productId: null }));
      }
    });
    expect((await (await open(show.room.id, { since: "2" })).next("sync")).seq).toBe(10);
    expect((await (await open(show.room.id, { since: "5" })).next("replay")).events).toHaveLength(5);
  });

  it("state and sockets survive the room being evicted from memory", async () => {
    const show = await createShow();
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    viewer.send({ type: "chat", text: "before eviction" });
    await viewer.next("chat");
    const stub = env.Room.getByName(show.room.id);
    await evictDurableObject(stub);
    // The hibernated socket still works, and numbering continues.
    viewer.send({ type: "chat", text: "after eviction" });
    expect((await viewer.next("chat")).seq).toBe(2);
    const late = await open(show.room.id);
    expect((await late.next("sync")).messages.map((m: any) => m.text)).toEqual(["before eviction", "after eviction"]);
  });
});

describe("presence and reactions", () => {
  it("counts viewers (not the host) as they come and go", async () => {
    const show = await createShow();
    const host = await open(show.room.id, { key: show.hostKey });
    await host.next("sync");
    const a = await open(show.room.id);
    const b = await open(show.room.id);
    await a.next("sync");
    await b.next("sync");
    let presence = await host.next("presence");
    while (presence.viewers !== 2) presence = await host.next("presence");
    a.ws.close();
    presence = await host.next("presence");
    while (presence.viewers !== 1) presence = await host.next("presence");
    expect((await (await call(`/api/rooms/${show.room.id}`)).json() as any).room.viewers).toBe(1);
  });

  it("viewers joining at one head of the log share its view of the show, each with the count and hearts as of its join", async () => {
    const show = await createShow();
    const a = await open(show.room.id);
    const first = await a.next("sync");
    a.send({ type: "react" });
    expect(await a.next("reactions")).toMatchObject({ total: 1 });
    const b = await open(show.room.id);
    const second = await b.next("sync");
    // No event between the two joins (hearts are not one): the same head, the same products and chat.
    expect(second.seq).toBe(first.seq);
    expect(second.room).toMatchObject({ viewers: 2, reactions: 1, products: first.room.products });
    expect(first.room).toMatchObject({ viewers: 1, reactions: 0 });
    // A pin moves the head: the next viewer's sync has it.
    await call(`/api/rooms/${show.room.id}/pin`, { method: "POST", key: show.hostKey, json: { productId: show.products[0].id } });
    const c = await open(show.room.id);
    expect((await c.next("sync")).room).toMatchObject({ pinnedProductId: show.products[0].id, viewers: 3 });
  });

  it("answers a leaving page's close at once, with or without a close code (a browser's close() sends none)", async () => {
    const show = await createShow();
    const pages = [await open(show.room.id), await open(show.room.id), await open(show.room.id, { key: show.hostKey })];
    for (const page of pages) await page.next("sync");
    pages[0]!.ws.close();
    pages[1]!.ws.close(1001, "going away");
    pages[2]!.ws.close();
    const timeout = new Promise((resolve) => setTimeout(() => resolve("no answer within 2 s"), 2000));
    const answers = await Promise.all(pages.map((page) => Promise.race([page.closed, timeout])));
    expect(answers).toEqual([{ code: 1000, reason: expect.any(String) }, { code: 1001, reason: expect.any(String) }, { code: 1000, reason: expect.any(String) }]);
  });

  it("keeps the count by joins and leaves: each newcomer's sync and the room's state say it right, guests counted, the host not", async () => {
    const show = await createShow();
    const host = await open(show.room.id, { key: show.hostKey });
    await host.next("sync");
    const a = await open(show.room.id);
    expect((await a.next("sync")).room.viewers).toBe(1);
    const b = await open(show.room.id);
    expect((await b.next("sync")).room.viewers).toBe(2);
    const guest = await open(show.room.id, { key: show.guestKey });
    expect((await guest.next("sync")).room.viewers).toBe(3);
    a.ws.close();
    let presence = await host.next("presence");
    while (presence.viewers !== 2) presence = await host.next("presence");
    const c = await open(show.room.id);
    expect((await c.next("sync")).room.viewers).toBe(3);
    // A pin carries the room's state: the same count, without walking the sockets again.
    const pinned = await call(`/api/rooms/${show.room.id}/pin`, { method: "POST", key: show.hostKey, json: { productId: show.products[0].id } });
    expect((await json(pinned)).room.viewers).toBe(3);
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.viewers).toBe(3);
    for (const socket of [b, c, guest]) socket.ws.close();
    presence = await host.next("presence");
    while (presence.viewers !== 0) presence = await host.next("presence");
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.viewers).toBe(0);
  });

  it("batches hearts (a frame per 200 ms, not one per heart) and keeps the total", async () => {
    const show = await createShow();
    const a = await open(show.room.id);
    const b = await open(show.room.id);
    await a.next("sync");
    await b.next("sync");
    for (let i = 0; i < 10; i++) a.send({ type: "react" });
    const frames = [];
    let total = 0;
    while (total < 10) {
      const frame = await b.next("reactions");
      frames.push(frame);
      total = frame.total;
    }
    expect(total).toBe(10);
    expect(frames.reduce((sum, f) => sum + f.added, 0)).toBe(10);
    // Ten hearts sent back to back land in one or two 200 ms windows, never ten frames.
    expect(frames.length).toBeLessThanOrEqual(2);
    expect((await (await call(`/api/rooms/${show.room.id}`)).json() as any).room.reactions).toBe(10);
    for (let i = 0; i < RATES.react.burst + 1; i++) a.send({ type: "react" });
    expect((await a.next("error")).code).toBe("rate_limited");
  });
});

describe("the room's storage refuses impossible stock", () => {
  it("rejects counters that do not add up or go negative", async () => {
    const show = await createShow({ stock: 2 });
    const stub = env.Room.getByName(show.room.id);
    const attempt = (sql: string) =>
      runInDurableObject(stub, (_room, state) => {
        try {
          state.storage.sql.exec(sql);
          return "accepted";
        } catch (error) {
          return String(error);
        }
      });
    expect(await attempt("UPDATE products SET available = available - 3")).toMatch(/CHECK constraint/);
    expect(await attempt("UPDATE products SET sold = sold + 1")).toMatch(/CHECK constraint/);
    expect(await attempt("UPDATE products SET available = available - 1, held = held + 1")).toBe("accepted");
  });
});
