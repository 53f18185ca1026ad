/**
 * Chat sampling in the room (durable-objects/chat-sampling.ts): above the
 * room's rate a plain viewer is sent a sample of the chat (the numbers of the
 * rest as `private`, with no gap), always the host's lines and always its
 * own; the host gets every line whole. The decision is the log's: a reconnect
 * replay, a joining viewer's history, the event stream and the replay
 * timeline all agree with what was sent live.
 *
 * Each show here runs at a low rate set on its room (its CHAT_SAMPLE_PER_SECOND,
 * as wrangler.toml's [vars] set it for every room); many viewers chat at once,
 * each within its own rate limit (rate-limits.ts).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { anyViewer, eventFor, history } from "../durable-objects/event-log.ts";
import { LIMITS } from "../durable-objects/protocol.ts";
import { RATES } from "../durable-objects/rate-limits.ts";
import { call, createShow, json, open, warmUp, type TestSocket } from "./helpers.ts";

beforeAll(warmUp);

type Frame = TestSocket["frames"][number];
type Show = Awaited<ReturnType<typeof createShow>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RATE = 2;

/** Sets this room's sampling rate, as its [vars] would (the room reads it for each message). */
async function sampleAt(show: Show, rate: string) {
  await runInDurableObject(env.Room.getByName(show.room.id), (room) => {
    const self = room as unknown as { env: Env };
    self.env = { ...self.env, CHAT_SAMPLE_PER_SECOND: rate };
  });
}

/** Waits (bounded) until the socket has a frame numbered `seq` or later. */
async function upTo(socket: TestSocket, seq: number, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!socket.frames.some((f) => f.seq >= seq && f.type !== "presence" && f.type !== "reactions")) {
    if (Date.now() - start > timeoutMs) throw new Error(`no frame numbered ${seq} within ${timeoutMs} ms: ${JSON.stringify(socket.frames.slice(-8))}`);
    await sleep(10);
  }
}

/** The logged events after `from` (chat lines and the rest) a socket was sent, by seq, once each. */
function eventsOf(socket: TestSocket, from: number, to: number): Frame[] {
  return socket.frames.filter((f) => f.seq > from && f.seq <= to && (f.type === "chat" || f.type === "private"));
}

/** A live show at RATE, its host, a viewer who only watches, and `chatters` viewers, all synced. */
async function busyShow(chatters: number, rate = String(RATE)) {
  const show = await createShow();
  await sampleAt(show, rate);
  await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } });
  const host = await open(show.room.id, { key: show.hostKey });
  const watcher = await open(show.room.id);
  const talkers = await Promise.all(Array.from({ length: chatters }, () => open(show.room.id)));
  const syncs = await Promise.all([host, watcher, ...talkers].map((s) => s.next("sync")));
  return { show, host, watcher, talkers, head: Math.max(...syncs.map((s) => s.seq)) };
}

/**
 * Every talker sends `each` lines as fast as it may (its burst), and the host two lines among them: first every
 * talker's first line (so that every author is new to the sampler then, whatever order the sockets deliver in), then the rest.
 */
async function flood(room: Awaited<ReturnType<typeof busyShow>>, each: number = RATES.chat.burst) {
  const { host, talkers, head } = room;
  for (let k = 0; k < each; k++) {
    talkers.forEach((talker, i) => talker.send({ type: "chat", text: `viewer ${i} line ${k}`, name: `V${i}` }));
    if (k === 1 || k === each - 1) host.send({ type: "chat", text: `host line ${k}` });
    if (k === 0) await upTo(host, head + talkers.length);
  }
  const total = talkers.length * each + 2;
  const last = head + total;
  await upTo(host, last);
  await upTo(room.watcher, last);
  return { from: head, to: last, total };
}

describe("chat sampling", () => {
  it("above the rate: a viewer gets a sample and numbers with no gap, every host line and its own; the host gets all", async () => {
    const room = await busyShow(16);
    const { from, to, total } = await flood(room);

    // The host: every line, whole (with its author).
    const hostChat = eventsOf(room.host, from, to);
    expect(hostChat.map((f) => f.type)).toEqual(new Array(total).fill("chat"));
    expect(hostChat.every((f) => typeof f.message.author === "string")).toBe(true);

    // The watcher: one frame per number, in order (no gap: no resync), a chat line or its number alone.
    const seen = eventsOf(room.watcher, from, to);
    expect(seen.map((f) => f.seq)).toEqual(Array.from({ length: total }, (_, i) => from + 1 + i));
    const shown = seen.filter((f) => f.type === "chat");
    const privates = seen.filter((f) => f.type === "private");
    expect(privates.length).toBeGreaterThan(total / 2);
    expect(privates.every((f) => Object.keys(f).sort().join() === "seq,type")).toBe(true);
    // At most the bucket (3 s worth) and what refilled while the flood lasted, by the room's clock.
    const times = hostChat.map((f) => f.message.at as number);
    const lasted = (Math.max(...times) - Math.min(...times)) / 1000;
    expect(shown.filter((f) => f.message.role === "viewer").length).toBeLessThanOrEqual(3 * RATE + RATE * lasted);
    expect(shown.filter((f) => f.message.role === "host").map((f) => f.message.text)).toEqual(["host line 1", `host line ${RATES.chat.burst - 1}`]);
    expect(shown.every((f) => f.message.author === null)).toBe(true);
    // Fair: while others wait, nobody is shown twice (a viewer shown in the last 5 s may not take the last tokens).
    const shownAuthors = shown.filter((f) => f.message.role === "viewer").map((f) => f.message.name);
    expect(new Set(shownAuthors).size).toBe(shownAuthors.length);

    // Each talker: all of its own lines, and the same sample of the others' as the watcher.
    const shownSeqs = new Set(shown.map((f) => f.seq));
    for (const [i, talker] of room.talkers.entries()) {
      await upTo(talker, to);
      const frames = eventsOf(talker, from, to);
      expect(frames.map((f) => f.seq)).toEqual(seen.map((f) => f.seq));
      const own = frames.filter((f) => f.type === "chat" && f.message.name === `V${i}`).map((f) => f.message.text);
      expect(own).toEqual(Array.from({ length: RATES.chat.burst }, (_, k) => `viewer ${i} line ${k}`));
      const others = frames.filter((f) => f.type === "chat" && f.message.name !== `V${i}`).map((f) => f.seq);
      expect(others.every((seq) => shownSeqs.has(seq))).toBe(true);
    }

    // The log recorded exactly these decisions.
    const logged = await runInDurableObject(env.Room.getByName(room.show.room.id), (_room, state) =>
      history(state.storage.sql, from).filter((row) => row.seq <= to),
    );
    expect(logged.filter((row) => row.event.type === "chat" && row.event.sampledOut).map((row) => row.seq)).toEqual(privates.map((f) => f.seq));
  });

  it("at or below the rate every line reaches every viewer; above it, lines are sampled", async () => {
    const room = await busyShow(4);
    // Two lines a second from four viewers in turn (each viewer well within its own rate limit).
    const lines = 8;
    for (let k = 0; k < lines; k++) {
      room.talkers[k % 4]!.send({ type: "chat", text: `calm ${k}` });
      await sleep(1000 / RATE + 20);
    }
    await upTo(room.watcher, room.head + lines);
    const calm = eventsOf(room.watcher, room.head, room.head + lines);
    expect(calm.map((f) => f.type === "chat" && f.message.text)).toEqual(Array.from({ length: lines }, (_, k) => `calm ${k}`));

    // The same viewers, all at once (four lines each: the last calm ones took from their bursts): now only a sample.
    const busy = await flood({ ...room, head: room.head + lines }, RATES.chat.burst - 1);
    const sampled = eventsOf(room.watcher, busy.from, busy.to);
    expect(sampled.length).toBe(busy.total);
    expect(sampled.filter((f) => f.type === "private").length).toBeGreaterThan(0);
  });

  it("a reconnect replay, a joining viewer's history, the event stream and the replay timeline agree with the live decision", async () => {
    const room = await busyShow(12);
    const { from, to } = await flood(room);
    const live = eventsOf(room.watcher, from, to);
    const shownIds = live.filter((f) => f.type === "chat").map((f) => f.message.id);
    expect(live.some((f) => f.type === "private")).toBe(true);

    // A viewer that reconnects from before the flood is sent the same frames, private for private.
    const again = await open(room.show.room.id, { since: String(from) });
    const replay = await again.next("replay");
    expect(replay.events.filter((e: Frame) => e.seq <= to)).toEqual(live);
    // A talker that reconnects gets its own lines back, sampled out or not.
    const talker = room.talkers[3]!;
    const back = await open(room.show.room.id, { since: String(from), viewerToken: talker.viewer.token });
    const own = (await back.next("replay")).events.filter((e: Frame) => e.type === "chat" && e.message.name === "V3");
    expect(own.map((e: Frame) => e.message.text)).toEqual(Array.from({ length: RATES.chat.burst }, (_, k) => `viewer 3 line ${k}`));

    // Joining afresh: a viewer's history holds only the lines viewers were shown; a talker's its own too; the host's all.
    const joined = await open(room.show.room.id);
    const joinedIds = (await joined.next("sync")).messages.map((m: Frame) => m.id);
    expect(joinedIds).toEqual(shownIds);
    const talkerJoin = await open(room.show.room.id, { viewerToken: talker.viewer.token });
    const talkerHistory = (await talkerJoin.next("sync")).messages;
    expect(talkerHistory.filter((m: Frame) => m.name === "V3").length).toBe(RATES.chat.burst);
    expect(talkerHistory.filter((m: Frame) => m.name !== "V3").every((m: Frame) => shownIds.includes(m.id))).toBe(true);
    const hostJoin = await open(room.show.room.id, { key: room.show.hostKey });
    expect((await hostJoin.next("sync")).messages.length).toBe(Math.min(LIMITS.historyOnJoin, to - from));

    // The show ends: its event stream (read to its end) and its replay timeline carry the sample only.
    await call(`/api/rooms/${room.show.room.id}/status`, { method: "POST", key: room.show.hostKey, json: { status: "ended" } });
    const streamed = await (await call(`/api/rooms/${room.show.room.id}/events/stream?since=${from}`, { key: room.show.apiKey })).text();
    const streamedChat = [...streamed.matchAll(/^event: chat\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!).message.id);
    expect(streamedChat).toEqual(shownIds);
    const { timeline } = await json(await call(`/api/rooms/${room.show.room.id}/replay/events`));
    const timed = timeline.events.filter((e: { seq: number }) => e.seq > from && e.seq <= to).map((e: { event: Frame }) => e.event);
    expect(timed).toEqual(live);
    // Every reader above asked eventFor: so would an audience shard.
    const logged = await runInDurableObject(env.Room.getByName(room.show.room.id), (_room, state) => history(state.storage.sql, from).filter((row) => row.seq <= to));
    expect(logged.map((row) => eventFor(row.event, anyViewer))).toEqual(live);
  });

  it("at rate 0 nothing is sampled", async () => {
    const room = await busyShow(12, "0");
    const { from, to, total } = await flood(room);
    const seen = eventsOf(room.watcher, from, to);
    expect(seen.filter((f) => f.type === "chat").length).toBe(total);
  });
});
