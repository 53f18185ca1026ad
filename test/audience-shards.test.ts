// Audience shards (durable-objects/shards.ts, audience-shard.ts): a big show's viewers are placed on shards, which
// hear the Room over a link and give each viewer what the Room would, through an eviction, without gap or duplicate.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { BATCHES_SINCE } from "../durable-objects/protocol.ts";
import type { Room } from "../durable-objects/room.ts";
import { SHARD_HEADER, shardName } from "../durable-objects/shards.ts";
import { call, counters, createShow, json, open, warmUp, type TestSocket } from "./helpers.ts";

const roomStub = (roomId: string) => env.Room.getByName(roomId);
const shardStub = (roomId: string, index: number) => env.AudienceShard.getByName(shardName(roomId, index));

/** A show whose Room keeps one viewer itself and puts two on each shard; the host's socket and four viewers. */
async function bigShow() {
  const show = await createShow({ stock: 5 });
  await roomStub(show.room.id).planAudience({ from: 1, size: 2 });
  const host = await open(show.room.id, { key: show.hostKey });
  await host.next("sync");
  const viewers = [];
  for (let i = 0; i < 4; i++) {
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    viewers.push(viewer);
  }
  return { show, host, viewers };
}

/** The sequence numbers of the logged events a socket got after its first frame (a gap or repeat shows here). */
function eventSeqs(socket: TestSocket): number[] {
  const logged = new Set(["chat", "chat_deleted", "pin", "status", "details", "product", "deal", "stage", "chat_pinned", "slow_mode", "blocked_words", "restricted", "custom", "private"]);
  return socket.frames.filter((frame) => logged.has(frame.type)).map((frame) => frame.seq);
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`still not: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function presence(host: TestSocket, viewers: number): Promise<void> {
  await until(() => host.frames.some((frame) => frame.type === "presence" && frame.viewers === viewers), `presence of ${viewers}`);
}

beforeAll(warmUp);

describe("audience shards", () => {
  it("a small show keeps every socket in its Room: no shard is started", async () => {
    const show = await createShow();
    const viewers = [await open(show.room.id), await open(show.room.id), await open(show.room.id)];
    for (const viewer of viewers) await viewer.next("sync");
    await runInDurableObject(roomStub(show.room.id), (_room: Room, state) => {
      expect(state.getWebSockets("role:viewer")).toHaveLength(3);
      expect(state.getWebSockets("shard")).toHaveLength(0);
    });
    expect(await shardStub(show.room.id, 0).viewerCount()).toBe(0);
  });

  it("places viewers on shards in order once the Room holds its share, and counts the whole audience", async () => {
    const { show, host, viewers } = await bigShow();
    expect(await shardStub(show.room.id, 0).viewerCount()).toBe(2);
    expect(await shardStub(show.room.id, 1).viewerCount()).toBe(1);
    await runInDurableObject(roomStub(show.room.id), (_room: Room, state) => {
      expect(state.getWebSockets("role:viewer")).toHaveLength(1);
      expect(state.getWebSockets("shard")).toHaveLength(2);
    });
    // Each viewer's sync is the show as the Room's own viewers see it.
    const syncs = viewers.map((viewer) => viewer.frames[0]!);
    for (const sync of syncs) expect(sync).toMatchObject({ type: "sync", you: { role: "viewer", restriction: null }, room: { id: show.room.id, products: syncs[0]!.room.products } });
    // The presence the host sees is the whole audience: one here, three on shards.
    await presence(host, 4);
    await until(() => viewers.every((viewer) => viewer.frames.some((frame) => frame.type === "presence" && frame.viewers === 4)), "every viewer told of 4");
    // A viewer who leaves gets its close answered by its shard (released at once, not after a timeout).
    viewers[3]!.ws.close(1000, "bye");
    const answered = await Promise.race([viewers[3]!.closed, new Promise((resolve) => setTimeout(() => resolve(null), 3000))]);
    expect(answered).toMatchObject({ code: 1000 });
    await presence(host, 3);
  });

  it("a shard with viewers always has its alarm set: once for many joins, and again each time it runs", async () => {
    const show = await createShow();
    await roomStub(show.room.id).planAudience({ from: 1, size: 2 });
    const shard = shardStub(show.room.id, 0);
    const alarm = () => runInDurableObject(shard, (_shard, state) => state.storage.getAlarm());
    const inRoom = await open(show.room.id);
    await inRoom.next("sync");
    const first = await open(show.room.id);
    await first.next("sync");
    const set = await alarm();
    expect(set).not.toBeNull();
    // A later join does not set it again (in a join storm that was one alarm write per viewer).
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await open(show.room.id);
    await second.next("sync");
    expect(await shard.viewerCount()).toBe(2);
    expect(await alarm()).toBe(set);
    // Run, with viewers there, it checks the link and sets the next check.
    expect(await runDurableObjectAlarm(shard)).toBe(true);
    expect(await alarm()).toBeGreaterThan(set!);
  });

  it("every event reaches every viewer once, in order; a shard viewer's chat and purchase go through the Room", async () => {
    const { show, host, viewers } = await bigShow();
    const [direct, onShard] = [viewers[0]!, viewers[1]!];
    host.send({ type: "pin", productId: show.products[0].id });
    const pins = await Promise.all(viewers.map((viewer) => viewer.next("pin")));
    expect(new Set(pins.map((pin) => pin.seq)).size).toBe(1);

    onShard.send({ type: "chat", text: "Is the jasmine this year's?", ref: "line-1" });
    const sent = await onShard.next("chat_sent");
    expect(sent).toMatchObject({ ref: "line-1" });
    const seen = await host.next("chat");
    // The host sees who wrote it (for moderation); viewers, here and on shards, do not.
    expect(seen.message).toMatchObject({ id: sent.messageId, text: "Is the jasmine this year's?", author: onShard.viewer.id });
    // (The sender's line came before its `chat_sent`, as from the Room itself.)
    expect(onShard.frames.find((frame) => frame.type === "chat")!.message).toMatchObject({ id: sent.messageId, author: null });
    for (const viewer of viewers.filter((viewer) => viewer !== onShard)) expect((await viewer.next("chat")).message).toMatchObject({ id: sent.messageId, author: null });

    // A refusal is for the sender alone, on its shard.
    onShard.send({ type: "pin", productId: show.products[1].id, ref: "x" });
    expect(await onShard.next("error")).toMatchObject({ code: "forbidden" });

    const res = await call(`/api/rooms/${show.room.id}/orders`, {
      method: "POST",
      headers: { "Idempotency-Key": "shard-buy-1", "X-Viewer-Token": onShard.viewer.token },
      json: { productId: show.products[0].id, quantity: 2, buyer: { name: "Mei Lin", email: "mei@example.com" }, fulfilment: { type: "pickup" } },
    });
    expect(res.status).toBe(201);
    const again = await call(`/api/rooms/${show.room.id}/orders`, {
      method: "POST",
      headers: { "Idempotency-Key": "shard-buy-1", "X-Viewer-Token": onShard.viewer.token },
      json: { productId: show.products[0].id, quantity: 2, buyer: { name: "Mei Lin", email: "mei@example.com" }, fulfilment: { type: "pickup" } },
    });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await counters(show.room.id))[0]).toMatchObject({ available: 3, sold: 2 });
    for (const viewer of [direct, onShard]) {
      await until(() => viewer.frames.some((frame) => frame.type === "product" && frame.product.id === show.products[0].id && frame.product.left === 3), "the stock change");
    }
    const hostSeqs = eventSeqs(host);
    for (const viewer of viewers) {
      const seqs = eventSeqs(viewer);
      expect(seqs).toEqual(hostSeqs.slice(hostSeqs.length - seqs.length));
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
    }
  });

  it("a moderation decision reaches its viewer on a shard whole, and everyone else as a number", async () => {
    const { show, host, viewers } = await bigShow();
    const banned = viewers[1]!;
    host.send({ type: "ban", viewerId: banned.viewer.id });
    expect(await banned.next("restricted")).toMatchObject({ viewerId: banned.viewer.id, restriction: { kind: "ban" } });
    const other = await viewers[2]!.next("private");
    expect(other.seq).toBe(banned.frames.find((frame) => frame.type === "restricted")!.seq);
    banned.send({ type: "chat", text: "let me in", ref: "b" });
    expect(await banned.next("error")).toMatchObject({ code: "banned", ref: "b" });
    // A banned viewer who comes back on a shard is told at once.
    const back = await open(show.room.id, { viewerToken: banned.viewer.token });
    expect(await back.next("sync")).toMatchObject({ you: { restriction: { kind: "ban" } } });
    void show;
  });

  it("a sampled chat reaches a shard's viewers as the Room decided: a sample, their own lines, numbers for the rest", async () => {
    const { show, host, viewers } = await bigShow();
    await runInDurableObject(roomStub(show.room.id), (room: Room) => {
      const self = room as unknown as { env: Env };
      self.env = { ...self.env, CHAT_SAMPLE_PER_SECOND: "1" };
    });
    for (let line = 0; line < 3; line++) for (const [i, viewer] of viewers.entries()) viewer.send({ type: "chat", text: `line ${line} from ${i}` });
    await until(() => host.frames.filter((frame) => frame.type === "chat").length === 12, "all 12 lines at the host");
    const onShard = viewers[2]!;
    const hostChats = host.frames.filter((frame) => frame.type === "chat");
    await until(() => eventSeqs(onShard).filter((seq) => seq >= hostChats[0]!.seq).length === 12, "12 numbers on the shard");
    const got = new Map(onShard.frames.filter((frame) => frame.type === "chat" || frame.type === "private").map((frame) => [frame.seq, frame]));
    for (const chat of hostChats) {
      const mine = chat.message.author === onShard.viewer.id;
      const frame = got.get(chat.seq)!;
      // Its own lines always; another's as the Room decided (the host sees the decision in the log's event).
      expect(frame.type).toBe(mine || !chat.sampledOut ? "chat" : "private");
    }
    expect(hostChats.filter((chat) => chat.sampledOut).length).toBeGreaterThan(0);
  });

  it("a shard that is evicted resumes from its last event: its viewers miss nothing and get nothing twice", async () => {
    const { show, host, viewers } = await bigShow();
    const onShard = viewers[1]!;
    host.send({ type: "pin", productId: show.products[0].id });
    await onShard.next("pin");
    // The link drops (the Room restarted, say), then the shard is evicted too: only its storage and its viewers' sockets remain.
    await runInDurableObject(roomStub(show.room.id), (_room: Room, state) => state.getWebSockets("shard:0")[0]!.close(1012, "restarting"));
    await until(async () => (await runInDurableObject(roomStub(show.room.id), (_room: Room, state) => state.getWebSockets("shard:0").length)) === 0, "the link closed");
    await evictDurableObject(shardStub(show.room.id, 0));
    // While the shard is gone, the show goes on.
    host.send({ type: "pin", productId: show.products[1].id });
    host.send({ type: "pin", productId: null });
    await host.next("pin");
    await host.next("pin");
    await host.next("pin");
    expect(onShard.frames.filter((frame) => frame.type === "pin")).toHaveLength(1);
    // Its alarm (set when the link dropped) opens the link again from the last event it stored.
    expect(await runDurableObjectAlarm(shardStub(show.room.id, 0))).toBe(true);
    await until(() => onShard.frames.filter((frame) => frame.type === "pin").length === 3, "the pins made while the shard was away");
    expect(onShard.frames.filter((frame) => frame.type === "pin").map((frame) => frame.productId)).toEqual([show.products[0].id, show.products[1].id, null]);
    onShard.send({ type: "chat", text: "still here", ref: "after" });
    expect(await onShard.next("chat_sent")).toMatchObject({ ref: "after" });
    host.send({ type: "pin", productId: show.products[0].id });
    await onShard.next("pin");
    const seqs = eventSeqs(onShard);
    expect(seqs).toEqual(eventSeqs(host).slice(-seqs.length));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
  });

  it("the show's numbers keep a shard viewer's visit while it watches, close it when it leaves or its shard is gone, and open it again when the shard comes back", async () => {
    const { show, host, viewers } = await bigShow();
    const room = roomStub(show.room.id);
    const openVisits = () =>
      runInDurableObject(room, (_room: Room, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM numbers_visits WHERE left_at IS NULL").one().n);
    await presence(host, 4);
    // A count (the numbers close visits whose socket is gone): the shards' three viewers are watching, not gone.
    await room.countNumbers();
    expect(await openVisits()).toBe(4);
    viewers[2]!.ws.close(1000, "bye");
    await presence(host, 3);
    await room.countNumbers();
    expect(await openVisits()).toBe(3);
    // Shard 1's link is gone (its viewers' sockets with it, say): within its plan's lostMs it may come back, so its
    // viewer still counts; once that is over, its viewer has left.
    await room.planAudience({ from: 1, size: 2, lostMs: 300 });
    await runInDurableObject(room, (_room: Room, state) => state.getWebSockets("shard:1")[0]!.close(1012, "gone"));
    await until(async () => (await runInDurableObject(room, (_room: Room, state) => state.getWebSockets("shard:1").length)) === 0, "the link closed");
    await room.countNumbers();
    expect(await openVisits()).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await room.countNumbers();
    expect(await openVisits()).toBe(2);
    // But the shard lived on, and links again (its alarm, within a second) with its viewer still there: that viewer
    // is visiting again, and nobody else twice.
    await until(async () => (await runInDurableObject(room, (_room: Room, state) => state.getWebSockets("shard:1").length)) === 1, "the link again", 5000);
    await until(async () => (await room.countNumbers(), (await openVisits()) === 3), "the shard's viewer visiting again", 3000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await room.countNumbers();
    expect(await openVisits()).toBe(3);
    const visits = await runInDurableObject(room, (_room: Room, state) =>
      state.storage.sql.exec<{ shard: number | null; n: number }>("SELECT shard, count(*) AS n FROM numbers_visits WHERE left_at IS NULL GROUP BY shard ORDER BY shard").toArray(),
    );
    expect(visits).toEqual([{ shard: null, n: 1 }, { shard: 0, n: 1 }, { shard: 1, n: 1 }]);
  });

  it("a big audience is told its count less often: no more than ~2,000 presence frames a second in all", async () => {
    const show = await createShow();
    const host = await open(show.room.id, { key: show.hostKey });
    await host.next("sync");
    // A shard's link, as a shard opens it, reporting an audience of thousands that grows every 100 ms (a join storm).
    const res = await roomStub(show.room.id).fetch(`https://room/parties/room/${show.room.id}?since=0&_pk=shard_0`, { headers: { Upgrade: "websocket", [SHARD_HEADER]: "0" } });
    const link = res.webSocket!;
    link.accept();
    const start = Date.now();
    for (let i = 0; Date.now() - start < 3000; i++) {
      link.send(JSON.stringify({ t: "viewers", n: 4000 + i, joined: [], left: [] }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // 4,000 viewers: one count every 2 s (every half second, 6 in these 3 s, would be 8,000 frames a second).
    const counts = host.frames.filter((frame) => frame.type === "presence" && frame.viewers >= 4000);
    expect(counts.length).toBeGreaterThanOrEqual(1);
    expect(counts.length).toBeLessThanOrEqual(2);
    link.close(1000, "done");
  });

  it("what the Room sends within a few ms reaches a viewer as one frame, in order, on a shard or the Room; an older page gets it frame by frame", async () => {
    const show = await createShow();
    await roomStub(show.room.id).planAudience({ from: 2, size: 10 });
    const inRoom = await open(show.room.id, { query: { protocol: String(BATCHES_SINCE) } });
    const olderInRoom = await open(show.room.id, { query: { protocol: String(BATCHES_SINCE - 1) } });
    for (const viewer of [inRoom, olderInRoom]) await viewer.next("sync");
    const batched = await open(show.room.id, { query: { protocol: String(BATCHES_SINCE) } });
    const older = await open(show.room.id, { query: { protocol: String(BATCHES_SINCE - 1) } });
    for (const viewer of [batched, older]) await viewer.next("sync");
    expect(await shardStub(show.room.id, 0).viewerCount()).toBe(2);
    // Five events in one turn of the Room (a developer's posts, a burst of chat, an order's stock change…).
    await runInDurableObject(roomStub(show.room.id), (room: Room) => {
      for (let n = 0; n < 5; n++) expect(room.postEvent({ name: "x-quiz", data: { n }, idempotencyKey: null, requestHash: `h${n}` })).toMatchObject({ ok: true });
    });
    const customs = (socket: TestSocket) => socket.messages.map((message) => message.filter((frame) => frame.type === "custom"));
    const everyone = [batched, older, inRoom, olderInRoom];
    await until(() => everyone.every((viewer) => customs(viewer).flat().length === 5), "five events on each viewer");
    for (const viewer of everyone) {
      const got = customs(viewer).flat();
      expect(got.map((frame) => frame.data.n)).toEqual([0, 1, 2, 3, 4]);
      expect(got.map((frame) => frame.seq - got[0]!.seq)).toEqual([0, 1, 2, 3, 4]);
    }
    // One send for the five; an older page, one each.
    for (const viewer of [batched, inRoom]) expect(customs(viewer).filter((frames) => frames.length > 0).map((frames) => frames.length)).toEqual([5]);
    for (const viewer of [older, olderInRoom]) expect(customs(viewer).filter((frames) => frames.length > 0).map((frames) => frames.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it("a viewer that reconnects to its shard with `since` gets exactly the events it missed", async () => {
    const { show, host, viewers } = await bigShow();
    const pin = (productId: string | null) => host.send({ type: "pin", productId });
    pin(show.products[0].id);
    const first = await viewers[1]!.next("pin");
    viewers[1]!.ws.close(1000, "tunnel");
    pin(show.products[1].id);
    await host.next("pin");
    const back = await open(show.room.id, { viewerToken: viewers[1]!.viewer.token, since: String(first.seq) });
    const replay = await back.next("replay");
    expect(replay.events.map((event: { type: string; productId?: string }) => event.productId)).toEqual([show.products[1].id]);
    expect(replay.events[0].seq).toBe(first.seq + 1);
    // A resync on the shard is answered the same way.
    back.send({ type: "resync", since: first.seq });
    expect((await back.next("replay")).events.map((event: { seq: number }) => event.seq)).toEqual([first.seq + 1]);
    expect(await json(await call(`/api/rooms/${show.room.id}`))).toMatchObject({ room: { pinnedProductId: show.products[1].id } });
  });
});
