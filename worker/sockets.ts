/**
 * Routes a browser's WebSocket to its room, after deciding who it is.
 *
 * A socket comes in one of two ways:
 * - with a ticket (`?ticket=tk_…`, from POST /api/rooms/{id}/tickets), which
 *   is redeemed here, once: a host's, guest's or moderator's page trades its
 *   key for one, so keys never appear in the URL. A missing, used or expired
 *   ticket gets a 401 and never a connection.
 * - a viewer's, in one request (a KOL's audience arrives by the thousand
 *   within seconds): the subprotocol VIEWER_SOCKET, with the page's viewer
 *   token as a second offer if it has one (in a header, not the URL). The
 *   token is checked here; without a good one, a new identity is issued and
 *   the socket's first frame gives its token to the page. It is counted as a
 *   viewer's ticket would be: per address here, per identity in the room, or,
 *   on a big show, on its audience shard: there the Room answers with a lease
 *   of places on a shard (durable-objects/shards.ts), and this isolate sends
 *   the viewers after it straight there until the lease is used up or ends,
 *   so that in a join storm the Room is asked once per lease, not per viewer.
 *   A page cannot read the status of a refused handshake, so this way in is
 *   refused with a socket closed at once, with a code it can read (CLOSE:
 *   4404 no such room, 4429 too many, try later; 4401 a rehearsal, which
 *   only its team's tickets open) and the reason in words.
 *
 * Nothing about the socket comes from the client: the Worker chooses its
 * connection id (partyserver's `_pk`, which would otherwise be the client's,
 * and the socket's first tag) and tells the room the role and identity.
 */
import { routePartykitRequest } from "partyserver";
import { CLOSE, VIEWER_SOCKET } from "../durable-objects/protocol.ts";
import { randomBase62 } from "../durable-objects/random-ids.ts";
import { isRehearsal, ROOM_ADDRESS } from "../durable-objects/rehearsal.ts";
import { closedSocket, isRefusal, type Refusal } from "../durable-objects/refusal.ts";
import { PEER_HEADERS, type Room } from "../durable-objects/room.ts";
import type { Peer } from "../durable-objects/room-kit.ts";
import { LEASE, SHARD_HEADER, SHARD_ROOM_HEADER, shardName } from "../durable-objects/shards.ts";
import { sha256Hex } from "./digests.ts";
import { VIEWER_TICKET_POLICY } from "./rate-limits/api-rate-limits.ts";
import { findRoom } from "./room-directory.ts";
import { viewerIdentity } from "./viewer-identity.ts";

const TICKET = /^tk_[0-9A-Za-z]{32}$/;

const refuse = (status: number, code: string, message: string) => Response.json({ error: { code, message } }, { status });

/**
 * Who a socket is, where it goes (a shard's index, or null: the room), the token of an identity issued just now, and
 * whether its identity is still to be counted (a viewer sent on a lease: its shard counts it).
 */
type Admitted = Peer & { shard: number | null; token?: string; uncounted?: true };

/**
 * Per room, the places this isolate may still send viewers to (shards.ts, Lease), the Room's answer on its way, and
 * how many joins wait for a place: in a join storm, the Room is asked once per lease, not once per viewer. Bounded
 * as the room directory is.
 */
const leases = new Map<string, Leases>();
type Leases = { held: Held | null; asking: Promise<Answer> | null; waiting: number };
type Held = { shard: number; places: number; until: number };
type Answer = ReturnType<Room["admitViewer"]>;
const LEASED_ROOMS = 10_000;

export async function routeRoomSocket(request: Request, env: Env): Promise<Response | null> {
  const offered = (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim());
  const asViewer = offered[0] === VIEWER_SOCKET && !new URL(request.url).searchParams.has("ticket");
  const response = await routePartykitRequest(request, env, {
    async onBeforeConnect(req, lobby) {
      // A rehearsal (`r_….rehearsal`) is reached the same way; only its team is given tickets to it.
      const roomId = lobby.name.match(ROOM_ADDRESS)?.[1];
      if (lobby.className !== "Room" || !roomId || !(await findRoom(env.DB, roomId))) {
        return asViewer ? closedSocket(CLOSE.roomNotFound, "No such room.") : refuse(404, "not_found", "No such room.");
      }
      // A rehearsal's every door opens for its team only: its tickets are theirs (worker/auth.ts).
      if (asViewer && isRehearsal(lobby.name)) return closedSocket(CLOSE.unauthorized, "A rehearsal is its team's: its socket needs a ticket.");
      const url = new URL(req.url);
      if (url.searchParams.has("key")) {
        return refuse(400, "key_in_url", "Keys never go in a socket URL: trade the key for a ticket with POST /api/rooms/{roomId}/tickets.");
      }
      const admitted = asViewer ? await admitViewer(req, env, lobby.name, offered[1]) : await redeemTicket(env, lobby.name, url.searchParams.get("ticket") ?? "");
      if (admitted instanceof Response) return admitted;
      // Only this function says who a socket is: the client's id, role or identity headers are dropped.
      url.searchParams.delete("ticket");
      url.searchParams.set("_pk", `c_${randomBase62(16)}`);
      const headers = new Headers(req.headers);
      headers.set(PEER_HEADERS.role, admitted.role);
      headers.set(PEER_HEADERS.viewer, admitted.viewerId);
      if (admitted.token) headers.set(PEER_HEADERS.token, admitted.token);
      else headers.delete(PEER_HEADERS.token);
      if (admitted.uncounted) headers.set(PEER_HEADERS.uncounted, "1");
      else headers.delete(PEER_HEADERS.uncounted);
      headers.delete(SHARD_HEADER);
      headers.delete(SHARD_ROOM_HEADER);
      // No per-message compression: room frames are 20–200 bytes, and deflate cost a quarter more CPU per frame and
      // doubled the memory of each socket (bench/RESULTS.md).
      headers.delete("Sec-WebSocket-Extensions");
      if (admitted.shard === null) return new Request(url, { method: req.method, headers });
      // A big show's viewer: its socket goes to the audience shard the room chose (durable-objects/shards.ts).
      headers.set(SHARD_HEADER, String(admitted.shard));
      headers.set(SHARD_ROOM_HEADER, lobby.name);
      return env.AudienceShard.getByName(shardName(lobby.name, admitted.shard)).fetch(new Request(url, { method: req.method, headers }));
    },
    onBeforeRequest() {
      return refuse(426, "upgrade_required", "Rooms speak WebSocket here; use the HTTP API under /api for everything else.");
    },
  });
  // A browser that offered subprotocols drops a socket whose answer does not name one of them.
  if (!asViewer || response?.status !== 101) return response;
  const headers = new Headers(response.headers);
  headers.set("Sec-WebSocket-Protocol", VIEWER_SOCKET);
  return new Response(null, { status: 101, webSocket: response.webSocket, headers });
}

async function redeemTicket(env: Env, roomName: string, ticket: string): Promise<Admitted | Response> {
  if (!TICKET.test(ticket)) {
    return refuse(401, "unauthorized", `A room socket needs a ticket (POST /api/rooms/{roomId}/tickets, then ?ticket=…), or a viewer's subprotocol, ${VIEWER_SOCKET}.`);
  }
  const admitted = await env.Room.getByName(roomName).redeemTicket(await sha256Hex(ticket));
  return admitted ?? refuse(401, "unauthorized", "This ticket was used already or has expired; ask for a new one.");
}

/** A viewer in one request: its identity (the presented token's, or a new one), counted per address and per identity. */
async function admitViewer(req: Request, env: Env, roomName: string, token: string | undefined): Promise<Admitted | Response> {
  // As POST …/tickets is counted for a viewer (api-rate-limits.ts); a request without the header came from inside.
  const address = req.headers.get("CF-Connecting-IP");
  if (address && !(await env.VIEWER_TICKETS.limit({ key: address })).success) {
    return closedSocket(CLOSE.rateLimited, `Too many viewers from this address (at most ${VIEWER_TICKET_POLICY.quota} a minute).`);
  }
  const viewer = await viewerIdentity(env.DB, token);
  const issued = viewer.token === token ? {} : { token: viewer.token };
  const placed = await placeViewer(env, roomName, viewer.id);
  if (isRefusal(placed)) return closedSocket(placed.code === "rate_limited" ? CLOSE.rateLimited : CLOSE.roomNotFound, placed.message);
  return { role: "viewer", viewerId: viewer.id, shard: placed.shard, ...(placed.uncounted ? { uncounted: true as const } : {}), ...issued };
}

/**
 * Where a viewer goes: a place on a lease this isolate holds, or the Room's answer. One join per room asks at a time,
 * for as many places as joins are waiting then; the others wait for its answer and take its places. (Each asked for
 * itself before, in a storm: every answer's lease replaced the last, and the places it left unused counted as
 * viewers on their way, filling shards with viewers who never came.)
 */
async function placeViewer(env: Env, roomName: string, viewerId: string): Promise<{ shard: number | null; uncounted?: true } | Refusal> {
  let room = leases.get(roomName);
  if (!room) {
    if (leases.size >= LEASED_ROOMS) leases.delete(leases.keys().next().value!);
    leases.set(roomName, (room = { held: null, asking: null, waiting: 0 }));
  }
  room.waiting += 1;
  try {
    for (;;) {
      const held = room.held;
      if (held && held.places > 0 && held.until > Date.now()) {
        held.places -= 1;
        return { shard: held.shard, uncounted: true };
      }
      if (!room.asking) return await askRoom(env.Room.getByName(roomName), room, viewerId);
      const answer = await room.asking.catch(() => null);
      // No lease came of it (the Room takes its viewers itself, or refused): this viewer asks for itself.
      if (!answer || isRefusal(answer) || !("lease" in answer)) return await askRoom(env.Room.getByName(roomName), null, viewerId);
    }
  } finally {
    room.waiting -= 1;
  }
}

/**
 * The Room's word on one viewer, and places for the joins waiting (`room`: this join is the one asking for them, at
 * least a lease's worth; else for itself alone). The lease is held before any of them reads it: in the same callback
 * that settles the answer.
 */
async function askRoom(stub: DurableObjectStub<Room>, room: Leases | null, viewerId: string): Promise<{ shard: number | null; uncounted?: true } | Refusal> {
  const asking: Promise<Answer> = Promise.resolve(stub.admitViewer(viewerId, room ? Math.max(LEASE.places, room.waiting) : 1)).then(
    (placed) => {
      if (room?.asking !== asking) return placed;
      room.asking = null;
      if (!isRefusal(placed) && "lease" in placed && placed.lease.places > 0) {
        room.held = { shard: placed.shard, places: placed.lease.places, until: Date.now() + placed.lease.ms };
      }
      return placed;
    },
    (error: unknown) => {
      if (room?.asking === asking) room.asking = null;
      throw error;
    },
  );
  if (room) room.asking = asking;
  const placed = await asking;
  if (isRefusal(placed)) return placed;
  return "lease" in placed ? { shard: placed.shard, uncounted: true } : { shard: placed.shard };
}

