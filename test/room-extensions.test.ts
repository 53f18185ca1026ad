/**
 * Room extensions: a developer's custom events (POST /api/rooms/{id}/events)
 * reaching every socket, what is refused and changes nothing, who may post,
 * idempotency, the per-room limit, the end of the show; and the room's
 * event stream (GET /api/rooms/{id}/events/stream): live, resumed exactly
 * after Last-Event-ID (even from far back in the log), never what only
 * moderators see, and closed after the end.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { appendEvent, headSeq } from "../durable-objects/event-log.ts";
import { LIMITS, PROTOCOL_VERSION } from "../durable-objects/protocol.ts";
import { call, createShow, expectError, json, open, warmUp } from "./helpers.ts";

beforeAll(warmUp);

type Show = Awaited<ReturnType<typeof createShow>>;

const post = (roomId: string, body: unknown, options: { key?: string; idempotencyKey?: string } = {}) =>
  call(`/api/rooms/${roomId}/events`, {
    method: "POST",
    key: options.key,
    headers: options.idempotencyKey ? { "Idempotency-Key": options.idempotencyKey } : {},
    json: body,
  });
const setStatus = (show: Show, status: "live" | "ended") => call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status } });
const head = (roomId: string) => runInDurableObject(env.Room.getByName(roomId), (_room, state) => headSeq(state.storage.sql));
/** A page of today's protocol, as room-model.ts opens it. */
const openPage = (roomId: string, options: { key?: string; since?: string } = {}) => open(roomId, { ...options, query: { protocol: String(PROTOCOL_VERSION) } });

type SseEvent = { id: number; event: string; data: any };

/** Reads an event stream as a developer's client does: frames split on blank lines, comments kept apart. */
function readStream(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const fields: string[] = [];
  let buffer = "";
  let done = false;
  const closed = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
      buffer += chunk.value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split("\n");
        for (const line of lines) if (line.startsWith(":")) comments.push(line);
        const value = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        if (value("retry")) fields.push(`retry: ${value("retry")}`);
        if (value("data") !== undefined) events.push({ id: Number(value("id")), event: value("event")!, data: JSON.parse(value("data")!) });
      }
    }
    done = true;
  })();
  return {
    events,
    comments,
    fields,
    closed,
    isClosed: () => done,
    /** Waits (bounded) until `count` events have arrived. */
    async until(count: number, timeoutMs = 3000): Promise<SseEvent[]> {
      const start = Date.now();
      while (events.length < count) {
        if (Date.now() - start > timeoutMs) throw new Error(`${events.length} of ${count} events within ${timeoutMs} ms: ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return events;
    },
    cancel: () => reader.cancel(),
  };
}

const stream = (roomId: string, options: { key?: string; lastEventId?: number; since?: number } = {}) =>
  call(`/api/rooms/${roomId}/events/stream${options.since === undefined ? "" : `?since=${options.since}`}`, {
    key: options.key,
    headers: options.lastEventId === undefined ? {} : { "Last-Event-ID": String(options.lastEventId) },
  });

describe("posting a custom event", () => {
  it("reaches every socket, viewer and host, with the same seq; a page of an older protocol gets its number alone", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const viewer = await openPage(roomId);
    const host = await openPage(roomId, { key: show.hostKey });
    const older = await open(roomId);
    await Promise.all([viewer.next("sync"), host.next("sync"), older.next("sync")]);

    const data = { question: "Which tea is smoked?", choices: ["Lapsang souchong", "Sencha"], nested: { n: 1, ok: true, none: null } };
    const res = await post(roomId, { type: "x-quiz", data }, { key: show.apiKey });
    expect(res.status).toBe(201);
    const posted = await json(res);
    expect(posted).toEqual({ id: expect.stringMatching(/^ev_/), seq: expect.any(Number), at: expect.any(Number) });

    const expected = { type: "custom", seq: posted.seq, id: posted.id, name: "x-quiz", data, at: posted.at };
    expect(await viewer.next("custom")).toEqual(expected);
    expect(await host.next("custom")).toEqual(expected);
    // A page loaded before custom events existed keeps its numbering and is sent nothing it cannot parse.
    expect(await older.next("private")).toEqual({ type: "private", seq: posted.seq });

    // A reconnecting page gets it in its replay too (and the older one its number).
    const again = await openPage(roomId, { since: String(posted.seq - 1) });
    expect((await again.next("replay")).events).toEqual([expected]);
    const olderAgain = await open(roomId, { since: String(posted.seq - 1) });
    expect((await olderAgain.next("replay")).events).toEqual([{ type: "private", seq: posted.seq }]);
  });

  it("takes the host key too, and a scheduled show (not live yet); data may be absent (null)", async () => {
    const show = await createShow();
    const viewer = await openPage(show.room.id);
    await viewer.next("sync");
    const res = await post(show.room.id, { type: "x-overlay.v2_test-1" }, { key: show.hostKey });
    expect(res.status).toBe(201);
    expect(await viewer.next("custom")).toMatchObject({ name: "x-overlay.v2_test-1", data: null, seq: (await json(res)).seq });
  });

  it("refuses bad input with a 4xx and changes nothing", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const before = await head(roomId);
    const key = show.apiKey;
    for (const type of ["quiz", "x-", "x-Quiz", "x-quiz!", `x-${"a".repeat(65)}`, "x-_quiz", 42, ""]) {
      await expectError(await post(roomId, { type, data: 1 }, { key }), 400, "invalid_request");
    }
    await expectError(await post(roomId, { data: 1 }, { key }), 400, "invalid_request");
    // Over 4 KB for the whole body, though far under the API's 64 KB.
    const big = await post(roomId, { type: "x-quiz", data: "x".repeat(4100) }, { key });
    await expectError(big, 413, "payload_too_large");
    // Just under 4 KB is taken.
    const fits = JSON.stringify({ type: "x-quiz", data: "" });
    const justUnder = await post(roomId, { type: "x-quiz", data: "y".repeat(4096 - fits.length) }, { key });
    expect(justUnder.status).toBe(201);
    const afterFits = await head(roomId);
    expect(afterFits).toBe(before + 1);
    const notJson = await call(`/api/rooms/${roomId}/events`, { method: "POST", key, headers: { "Content-Type": "application/json" }, body: "{type: x-quiz" });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).error.code).toMatch(/invalid/);
    const notJsonType = await call(`/api/rooms/${roomId}/events`, { method: "POST", key, headers: { "Content-Type": "text/plain" }, body: "hello" });
    expect(notJsonType.status).toBeGreaterThanOrEqual(400);
    expect(notJsonType.status).toBeLessThan(500);
    await expectError(await post("r_doesnotexist0000", { type: "x-quiz" }, { key }), 404, "not_found");
    expect(await head(roomId)).toBe(afterFits);
  });

  it("is the shop's or the host's: no key, another shop's key, a guest, a moderator or a viewer may not post", async () => {
    const show = await createShow();
    const other = await createShow({ shopName: "Another shop" });
    const roomId = show.room.id;
    await setStatus(show, "live");
    const before = await head(roomId);
    const body = { type: "x-quiz", data: { q: 1 } };
    await expectError(await post(roomId, body), 401, "unauthorized");
    await expectError(await post(roomId, body, { key: other.apiKey }), 403, "forbidden");
    await expectError(await post(roomId, body, { key: other.hostKey }), 401, "unauthorized");
    await expectError(await post(roomId, body, { key: show.guestKey }), 403, "forbidden");
    await expectError(await post(roomId, body, { key: show.moderatorKey }), 403, "forbidden");
    await expectError(await post(roomId, body, { key: "sk_notakeyatall000000000000000000" }), 401, "unauthorized");
    // A viewer has no key: its identity token opens nothing here.
    const viewer = await open(roomId);
    await viewer.next("sync");
    await expectError(await post(roomId, body, { key: viewer.viewer.token }), 401, "unauthorized");
    expect(await head(roomId)).toBe(before);

    for (const [key, status] of [[undefined, 401], [other.apiKey, 403], [show.guestKey, 403], [show.moderatorKey, 403], [viewer.viewer.token, 401]] as const) {
      const res = await stream(roomId, { key });
      expect(res.status).toBe(status);
      await res.body?.cancel();
    }
  });

  it("counts a retried post once with the same Idempotency-Key; another body with it is 422", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const viewer = await openPage(roomId);
    await viewer.next("sync");
    const before = await head(roomId);
    const idempotencyKey = crypto.randomUUID();
    const first = await post(roomId, { type: "x-bot", data: { line: "hi" } }, { key: show.apiKey, idempotencyKey });
    const second = await post(roomId, { type: "x-bot", data: { line: "hi" } }, { key: show.apiKey, idempotencyKey });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await json(second)).toEqual(await json(first));
    await expectError(await post(roomId, { type: "x-bot", data: { line: "bye" } }, { key: show.apiKey, idempotencyKey }), 422, "idempotency_key_reused");
    expect(await head(roomId)).toBe(before + 1);
    await viewer.next("custom");
    await expect(viewer.next("custom", 300)).rejects.toThrow();
    // Even after the end, a retry gets the answer it got.
    await setStatus(show, "ended");
    const late = await post(roomId, { type: "x-bot", data: { line: "hi" } }, { key: show.apiKey, idempotencyKey });
    expect(late.status).toBe(201);
    await expectError(await post(roomId, { type: "x-bot" }, { key: show.apiKey, idempotencyKey: "bad key!" }), 400, "invalid_request");
  });

  it("is limited per room: a burst of 10, then 429 with Retry-After, and nothing logged", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const before = await head(roomId);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await post(roomId, { type: "x-tick", data: i }, { key: show.apiKey })).status);
    expect(answers).toEqual(new Array(10).fill(201));
    const refused = await post(roomId, { type: "x-tick", data: 10 }, { key: show.hostKey });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect((await json(refused)).error.code).toBe("rate_limited");
    expect(await head(roomId)).toBe(before + 10);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await post(roomId, { type: "x-tick", data: 11 }, { key: show.apiKey })).status).toBe(201);
  });

  it("is refused once the show has ended (409 show_ended), and nothing is logged", async () => {
    const show = await createShow();
    await setStatus(show, "live");
    await setStatus(show, "ended");
    const before = await head(show.room.id);
    const message = await expectError(await post(show.room.id, { type: "x-quiz" }, { key: show.apiKey }), 409, "show_ended");
    expect(message).toMatch(/ended/);
    expect(await head(show.room.id)).toBe(before);
  });

  it("is in the OpenAPI document with its errors and examples", async () => {
    const doc = await json(await call("/api/openapi.json"));
    const postOp = doc.paths["/rooms/{roomId}/events"].post;
    expect(Object.keys(postOp.responses).sort()).toEqual(["201", "400", "401", "403", "404", "409", "413", "422", "429"]);
    expect(postOp.responses["429"].headers["Retry-After"]).toBeDefined();
    expect(doc.components.schemas.CustomEvent.example.type).toBe("x-quiz");
    const streamOp = doc.paths["/rooms/{roomId}/events/stream"].get;
    expect(streamOp.responses["200"].content["text/event-stream"].example).toContain("event: custom");
    expect(streamOp.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(["last-event-id", "since"]));
  });
});

describe("the event stream", () => {
  it("streams new events live, as a viewer reads them, with id: seq and a retry line", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    const res = await stream(roomId, { key: show.apiKey });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const sse = readStream(res);
    await setStatus(show, "live");
    const posted = await json(await post(roomId, { type: "x-quiz", data: { q: "?" } }, { key: show.hostKey }));
    const viewer = await open(roomId);
    await viewer.next("sync");
    viewer.send({ type: "chat", text: "hello", name: "Ana" });
    const events = await sse.until(3);
    expect(events[0]).toMatchObject({ event: "status", data: { type: "status", status: "live" } });
    expect(events[1]).toEqual({ id: posted.seq, event: "custom", data: { type: "custom", seq: posted.seq, id: posted.id, name: "x-quiz", data: { q: "?" }, at: posted.at } });
    expect(events[2]).toMatchObject({ event: "chat", data: { message: { text: "hello", author: null } } });
    expect(events.map((e) => e.id)).toEqual(events.map((e) => e.data.seq));
    expect(sse.fields).toContain("retry: 3000");
    await sse.cancel();
  });

  it("resumes exactly after Last-Event-ID (or ?since=): no gap, no duplicate, then live", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const seqs = [];
    for (const n of [1, 2, 3]) seqs.push((await json(await post(roomId, { type: "x-n", data: n }, { key: show.apiKey }))).seq);
    const resumed = readStream(await stream(roomId, { key: show.apiKey, lastEventId: seqs[0] }));
    expect((await resumed.until(2)).map((e) => e.data.data)).toEqual([2, 3]);
    const live = (await json(await post(roomId, { type: "x-n", data: 4 }, { key: show.apiKey }))).seq;
    const events = await resumed.until(3);
    expect(events.map((e) => e.id)).toEqual([seqs[1], seqs[2], live]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(resumed.events).toHaveLength(3);
    await resumed.cancel();

    // ?since= for a first connection; Last-Event-ID wins when both are sent, as a reconnecting client sends it.
    const since = readStream(await stream(roomId, { key: show.apiKey, since: seqs[1] }));
    expect((await since.until(2)).map((e) => e.id)).toEqual([seqs[2], live]);
    await since.cancel();
    const both = readStream(await call(`/api/rooms/${roomId}/events/stream?since=0`, { key: show.apiKey, headers: { "Last-Event-ID": String(seqs[2]) } }));
    expect((await both.until(1)).map((e) => e.id)).toEqual([live]);
    await both.cancel();
    await expectError(await stream(roomId, { key: show.apiKey, since: -1 }), 400, "invalid_request");
    await expectError(await call(`/api/rooms/${roomId}/events/stream`, { key: show.apiKey, headers: { "Last-Event-ID": "abc" } }), 400, "invalid_request");
  });

  it("resumes from further back than a socket's replay window, page by page, then live without a gap", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const from = await head(roomId);
    const count = LIMITS.replayWindow + 250;
    await runInDurableObject(env.Room.getByName(roomId), (_room, state) => {
      const sql = state.storage.sql;
      state.storage.transactionSync(() => {
        for (let i = 0; i < count; i++) {
          const seq = headSeq(sql) + 1;
          appendEvent(sql, { type: "custom", seq, id: `ev_${i}`, name: "x-bulk", data: i, at: Date.now() }, Date.now());
        }
      });
    });
    // A socket that far behind gets the whole state instead of a replay.
    const socket = await openPage(roomId, { since: String(from) });
    await socket.next("sync");
    const sse = readStream(await stream(roomId, { key: show.apiKey, lastEventId: from }));
    await sse.until(count, 10_000);
    const live = (await json(await post(roomId, { type: "x-n", data: "live" }, { key: show.apiKey }))).seq;
    const events = await sse.until(count + 1);
    expect(events.map((e) => e.id)).toEqual(Array.from({ length: count + 1 }, (_, i) => from + 1 + i));
    expect(events.at(-1)!.id).toBe(live);
    await sse.cancel();
  });

  it("never carries what only moderators see: blocked words, bans, authors", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const viewer = await open(roomId);
    await viewer.next("sync");
    viewer.send({ type: "chat", text: "spam spam", name: "Spammer" });
    const sse = readStream(await stream(roomId, { key: show.apiKey, since: 0 }));
    await sse.until(2);
    const moderate = (json: unknown) => call(`/api/rooms/${roomId}/moderation`, { method: "POST", key: show.hostKey, json });
    expect((await moderate({ action: "blocked_words", words: ["secretword"] })).status).toBe(200);
    expect((await moderate({ action: "ban", viewerId: viewer.viewer.id })).status).toBe(200);
    const last = (await json(await post(roomId, { type: "x-after", data: null }, { key: show.apiKey }))).seq;
    await sse.until(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sse.events.map((e) => e.event)).toEqual(["status", "chat", "custom"]);
    expect(sse.events.at(-1)!.id).toBe(last);
    const text = JSON.stringify(sse.events);
    expect(text).not.toContain("secretword");
    expect(text).not.toContain(viewer.viewer.id);
    await sse.cancel();
    // Read back from the log, the same.
    const again = readStream(await stream(roomId, { key: show.apiKey, since: 0 }));
    await again.until(3);
    expect(again.events.map((e) => e.event)).toEqual(["status", "chat", "custom"]);
    await again.cancel();
  });

  it("closes after the show ends and its last event is sent; a resume after the end closes too", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const sse = readStream(await stream(roomId, { key: show.apiKey }));
    await post(roomId, { type: "x-bye" }, { key: show.apiKey });
    await setStatus(show, "ended");
    await sse.closed;
    expect(sse.events.at(-1)).toMatchObject({ event: "status", data: { status: "ended" } });
    expect(sse.events.at(-1)!.id).toBe(await head(roomId));
    const late = readStream(await stream(roomId, { key: show.apiKey, lastEventId: sse.events[0]!.id }));
    await late.closed;
    expect(late.events.map((e) => e.event)).toEqual(sse.events.slice(1).map((e) => e.event));
  });

  it("lets go of a stream its reader cancelled", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    const sse = readStream(await stream(roomId, { key: show.apiKey }));
    await setStatus(show, "live");
    await sse.until(1);
    await sse.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The room keeps no stream for it: publishing still works and nothing is left open.
    expect((await post(roomId, { type: "x-n" }, { key: show.apiKey })).status).toBe(201);
    const open = await runInDurableObject(env.Room.getByName(roomId), (room) => (room as any).streamCount());
    expect(open).toBe(0);
  });
});
