/**
 * The Room's batched frames (durable-objects/room-frames.ts): what the Room
 * has for its own sockets within a few milliseconds goes out as one frame
 * each (pages of BATCHES_SINCE or later), in order per socket, with each
 * socket reading its own version of every event.
 */
import { describe, expect, it } from "vitest";
import { BATCHES_SINCE, type RoomEvent } from "../durable-objects/protocol.ts";
import { RoomFrames } from "../durable-objects/room-frames.ts";
import type { Peer } from "../durable-objects/room-kit.ts";
import type { ShardLink } from "../durable-objects/shards.ts";
import { createShow, open } from "./helpers.ts";

describe("the Room's own sockets", () => {
  it("a chat line and its sender's `chat_sent` come in one frame, line first; each reads the line as it may", async () => {
    const show = await createShow();
    const query = { protocol: String(BATCHES_SINCE) };
    const host = await open(show.room.id, { key: show.hostKey, query });
    const author = await open(show.room.id, { query });
    const other = await open(show.room.id, { query });
    for (const socket of [host, author, other]) await socket.next("sync");
    author.send({ type: "chat", text: "Is the gaiwan porcelain?", name: "Mei", ref: "line-1" });
    const sent = await author.next("chat_sent");
    const carried = author.messages.find((message) => message.some((frame) => frame.type === "chat_sent"))!;
    expect(carried.map((frame) => frame.type)).toEqual(["chat", "chat_sent"]);
    expect(carried[0]!.message).toMatchObject({ id: sent.messageId, author: null });
    // The host reads who wrote it (moderation); another viewer does not.
    expect((await host.next("chat")).message).toMatchObject({ id: sent.messageId, author: author.viewer.id });
    expect((await other.next("chat")).message).toMatchObject({ id: sent.messageId, author: null });
  });
});

/** A socket as partyserver hands it to RoomFrames: who it is, and what it was sent. */
function socket(state: Peer | ShardLink | null) {
  const sent: string[] = [];
  return { state, sent, send: (text: string) => void sent.push(text), close: () => {} };
}

const custom = (seq: number): RoomEvent => ({ type: "custom", seq, name: "x-quiz", data: { seq } }) as RoomEvent;

describe("RoomFrames", () => {
  it("a socket that joins while frames wait gets none of them (its sync covers them), then its own, then what comes after", () => {
    const before = socket({ role: "viewer", viewerId: "v_before", protocol: BATCHES_SINCE });
    const sockets = [before];
    const frames = new RoomFrames(() => sockets);
    frames.event(custom(1));
    frames.all(JSON.stringify({ type: "presence", seq: 1, viewers: 2 }));
    const joining = socket(null);
    sockets.push(joining);
    frames.joined(joining);
    joining.state = { role: "viewer", viewerId: "v_joining", protocol: BATCHES_SINCE };
    frames.to(joining, JSON.stringify({ type: "sync", seq: 1 }));
    frames.event(custom(2));
    frames.flush();
    expect(before.sent.map((text) => JSON.parse(text).map((frame: RoomEvent) => frame.type))).toEqual([["custom", "presence", "custom"]]);
    expect(joining.sent.map((text) => JSON.parse(text).map((frame: RoomEvent) => [frame.type, frame.seq]))).toEqual([[["sync", 1], ["custom", 2]]]);
  });

  it("a frame for one socket goes at once when nothing waits; an older page and a shard's link get one frame per message", () => {
    const older = socket({ role: "viewer", viewerId: "v_older" });
    const link = socket({ shard: 0, viewers: 10 });
    const frames = new RoomFrames(() => [older, link]);
    frames.to(older, JSON.stringify({ type: "error", seq: 0 }));
    expect(older.sent).toHaveLength(1);
    frames.event(custom(1));
    frames.event(custom(2));
    frames.flush();
    // A page of protocol 1 reads a developer's event as `private` (protocol.ts, EVENT_SINCE); the link reads it whole.
    expect(older.sent.slice(1).map((text) => JSON.parse(text))).toEqual([{ type: "private", seq: 1 }, { type: "private", seq: 2 }]);
    expect(link.sent.map((text) => JSON.parse(text).data)).toEqual([{ seq: 1 }, { seq: 2 }]);
  });
});
