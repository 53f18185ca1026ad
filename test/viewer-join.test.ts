// A viewer joins in one request (worker/sockets.ts): the viewer subprotocol, with the page's viewer token as the
// second offer, instead of a ticket first. A KOL's audience arrives by the thousand; each join is one request.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { CLOSE, VIEWER_SOCKET, VIEWER_TOKEN } from "../durable-objects/protocol.ts";
import type { Room } from "../durable-objects/room.ts";
import { LEASE, shardName } from "../durable-objects/shards.ts";
import { call, connect, createShow, expectError, joinAsViewer, json, open, warmUp, type TestSocket } from "./helpers.ts";

async function joined(socket: TestSocket | Response): Promise<TestSocket> {
  if (socket instanceof Response) throw new Error(`socket refused: ${socket.status} ${await socket.text()}`);
  return socket;
}

/** Every call the Room answers on admitViewer, counted (on its class, which its RPC calls go through) until `restore`. */
async function countAsks(room: DurableObjectStub<Room>) {
  const asks = { count: 0, restore: async () => {} };
  await runInDurableObject(room, (instance: Room) => {
    const prototype = Object.getPrototypeOf(instance) as Room;
    const admit = prototype.admitViewer;
    prototype.admitViewer = function (this: Room, ...args: Parameters<Room["admitViewer"]>) {
      asks.count += 1;
      return admit.apply(this, args);
    };
    asks.restore = () => runInDurableObject(room, () => void (prototype.admitViewer = admit));
  });
  return asks;
}

beforeAll(warmUp);

describe("a viewer joining in one request", () => {
  it("is given an identity with its first frame, keeps it with its token, and is answered with the viewer subprotocol", async () => {
    const show = await createShow();
    const first = await joined(await joinAsViewer(show.room.id));
    expect(first.protocol).toBe(VIEWER_SOCKET);
    const sync = await first.next("sync");
    expect(sync.you).toMatchObject({ role: "viewer", restriction: null });
    expect(sync.room).toMatchObject({ id: show.room.id, status: "scheduled" });
    // The token signs the id the socket has.
    expect(sync.you.token).toMatch(VIEWER_TOKEN);
    expect(VIEWER_TOKEN.exec(sync.you.token)![1]).toBe(sync.you.id);
    first.ws.close();

    // With its token, the page is the same viewer, and is not given a token again.
    const again = await joined(await joinAsViewer(show.room.id, { viewerToken: sync.you.token }));
    const resync = await again.next("sync");
    expect(resync.you.id).toBe(sync.you.id);
    expect(resync.you).not.toHaveProperty("token");
    // A ticket for that token names the same viewer: the two ways in agree.
    const ticket = await json(await call(`/api/rooms/${show.room.id}/tickets`, { method: "POST", headers: { "X-Viewer-Token": sync.you.token } }));
    expect(ticket.viewer.id).toBe(sync.you.id);
    again.ws.close();
  });

  it("gets a new identity for a token that is not ours, and is never more than a viewer, whatever it sends", async () => {
    const show = await createShow();
    const forged = `vt_v_${"A".repeat(16)}.${"0".repeat(32)}`;
    const headers = { "x-room-role": "host", "x-room-viewer": `v_${"B".repeat(16)}`, "x-room-viewer-token": forged, "x-room-shard": "0", "x-room-viewer-uncounted": "1" };
    const socket = await joined(await joinAsViewer(show.room.id, { viewerToken: forged, headers }));
    const sync = await socket.next("sync");
    expect(sync.you.role).toBe("viewer");
    expect(sync.you.id).not.toBe(`v_${"A".repeat(16)}`);
    expect(sync.you.id).not.toBe(`v_${"B".repeat(16)}`);
    expect(sync.you.token).not.toBe(forged);
    expect(VIEWER_TOKEN.exec(sync.you.token)![1]).toBe(sync.you.id);
    // A viewer may not pin.
    socket.send({ type: "pin", productId: show.products[0].id });
    expect((await socket.next("error")).code).toBe("forbidden");
    socket.ws.close();
  });

  it("is told of a room that does not exist by a close code a page can read; a key in the URL, or neither ticket nor subprotocol, is a JSON error", async () => {
    const show = await createShow();
    // A page cannot read a refused handshake's status: the socket opens, and closes at once with 4404.
    const none = await joined(await joinAsViewer("r_0000000000000000"));
    expect(none.protocol).toBe(VIEWER_SOCKET);
    expect(await none.closed).toEqual({ code: CLOSE.roomNotFound, reason: "No such room." });
    expect(none.frames).toEqual([]);
    const keyed = await connect(show.room.id, { key: show.hostKey }, { "Sec-WebSocket-Protocol": VIEWER_SOCKET });
    await expectError(keyed as Response, 400, "key_in_url");
    const bare = await connect(show.room.id);
    expect(await expectError(bare as Response, 401, "unauthorized")).toContain(VIEWER_SOCKET);
    // Another subprotocol first is not the viewer's way in: it needs a ticket.
    const other = await connect(show.room.id, {}, { "Sec-WebSocket-Protocol": `chat, ${VIEWER_SOCKET}` });
    await expectError(other as Response, 401, "unauthorized");
  });

  it("is limited per identity as its tickets are: 10 at once, then closed with 4429; another viewer is not affected", async () => {
    const show = await createShow();
    const first = await joined(await joinAsViewer(show.room.id));
    const token = (await first.next("sync")).you.token as string;
    const sockets = [first];
    for (let i = 0; i < 9; i++) sockets.push(await joined(await joinAsViewer(show.room.id, { viewerToken: token })));
    const refused = await joined(await joinAsViewer(show.room.id, { viewerToken: token }));
    expect(await refused.closed).toMatchObject({ code: CLOSE.rateLimited, reason: expect.stringContaining("Too many sockets for this viewer") });
    expect(refused.frames).toEqual([]);
    const other = await joined(await joinAsViewer(show.room.id));
    await other.next("sync");
    for (const socket of [...sockets, other]) socket.ws.close();
  });

  it("on a big show, asks the Room once for a lease of places on a shard, not once per viewer; the shard limits each identity", async () => {
    const show = await createShow();
    const room = env.Room.getByName(show.room.id);
    await room.planAudience({ from: 0, size: 100 });
    const asks = await countAsks(room);
    try {
      const sockets: TestSocket[] = [];
      for (let i = 0; i < 10; i++) {
        const socket = await joined(await joinAsViewer(show.room.id));
        await socket.next("sync");
        sockets.push(socket);
      }
      expect(asks.count).toBe(1);
      expect(await env.AudienceShard.getByName(shardName(show.room.id, 0)).viewerCount()).toBe(10);
      // The shard counts a leased viewer's sockets as the Room would: 10 at once, then 4429.
      const token = sockets[0]!.frames[0]!.you.token as string;
      for (let i = 0; i < 9; i++) sockets.push(await joined(await joinAsViewer(show.room.id, { viewerToken: token })));
      for (const socket of sockets.slice(10)) await socket.next("sync");
      const refused = await joined(await joinAsViewer(show.room.id, { viewerToken: token }));
      expect(await refused.closed).toMatchObject({ code: CLOSE.rateLimited, reason: expect.stringContaining("Too many sockets for this viewer") });
      expect(refused.frames).toEqual([]);
      expect(await env.AudienceShard.getByName(shardName(show.room.id, 0)).viewerCount()).toBe(19);
      for (const socket of sockets) socket.ws.close();
    } finally {
      await asks.restore();
    }
  });

  it("in a join storm, the viewers waiting for the Room's answer share its lease: the Room is asked once per lease, no shard fills with viewers who never come", async () => {
    const show = await createShow();
    const room = env.Room.getByName(show.room.id);
    await room.planAudience({ from: 0, size: 200 });
    const asks = await countAsks(room);
    try {
      // 100 viewers open the link at once (a KOL posted it): each joins in one request, all in flight together.
      const sockets = await Promise.all(Array.from({ length: 100 }, async () => joined(await joinAsViewer(show.room.id))));
      await Promise.all(sockets.map((socket) => socket.next("sync", 10_000)));
      // A lease is at least 32 places (shards.ts, LEASE), more when more wait: at most 4 answers for 100 viewers.
      // Before, each waiting viewer asked for itself, and the unused places of every lease counted as viewers on their
      // way: 2,000 of them in this storm.
      expect(asks.count).toBeLessThanOrEqual(Math.ceil(100 / 32));
      expect(await env.AudienceShard.getByName(shardName(show.room.id, 0)).viewerCount()).toBe(100);
      // The 101st goes to the same shard: its places are not taken by viewers who never came.
      const next = await joined(await joinAsViewer(show.room.id));
      await next.next("sync");
      expect(await env.AudienceShard.getByName(shardName(show.room.id, 0)).viewerCount()).toBe(101);
      for (const socket of [...sockets, next]) socket.ws.close();
    } finally {
      await asks.restore();
    }
  });

  it("a lease is as big as the joins waiting for it, within bounds; a viewer asking for itself alone gets no lease", async () => {
    const show = await createShow();
    const room = env.Room.getByName(show.room.id);
    await room.planAudience({ from: 0, size: 2000 });
    const lease = async (want: number) => {
      const answer = await room.admitViewer(`v_${"a".repeat(16)}`, want);
      return "lease" in answer ? answer.lease.places : null;
    };
    expect(await lease(100)).toBe(99);
    expect(await lease(1)).toBe(0);
    expect(await lease(10_000)).toBe(LEASE.most - 1);
    expect(await lease(Number.NaN)).toBe(LEASE.places - 1);
  });

  it("goes to an audience shard on a big show, which gives the new identity's token with its first frame", async () => {
    const show = await createShow();
    await env.Room.getByName(show.room.id).planAudience({ from: 0, size: 10 });
    const host = await open(show.room.id, { key: show.hostKey });
    await host.next("sync");
    host.send({ type: "pin", productId: show.products[1].id });
    await host.next("pin");
    const viewer = await joined(await joinAsViewer(show.room.id));
    expect(viewer.protocol).toBe(VIEWER_SOCKET);
    const sync = await viewer.next("sync");
    expect(VIEWER_TOKEN.exec(sync.you.token)![1]).toBe(sync.you.id);
    expect(await env.AudienceShard.getByName(shardName(show.room.id, 0)).viewerCount()).toBe(1);
    await runInDurableObject(env.Room.getByName(show.room.id), (_room: Room, state) => expect(state.getWebSockets("role:viewer")).toHaveLength(0));
    // It gets the room's events there: the host pins.
    host.send({ type: "pin", productId: show.products[0].id });
    expect((await viewer.next("pin")).productId).toBe(show.products[0].id);
    // Coming back with its token and the last event: the events it missed, and no new identity.
    viewer.ws.close();
    const back = await joined(await joinAsViewer(show.room.id, { viewerToken: sync.you.token, since: String(sync.seq) }));
    const replay = await back.next("replay");
    expect(replay.you).toMatchObject({ id: sync.you.id, role: "viewer" });
    expect(replay.you).not.toHaveProperty("token");
    expect(replay.events.map((event: { type: string }) => event.type)).toEqual(["pin"]);
    back.ws.close();
    host.ws.close();
  });
});
