/**
 * Routes a browser's WebSocket to its room, after deciding who it is.
 *
 * A socket needs a ticket (`?ticket=tk_…`, from POST /api/rooms/{id}/tickets),
 * which is redeemed here, once, before the room accepts the socket: a
 * missing, used or expired ticket gets a 401 and never a connection. Nothing
 * about the socket comes from the client: the Worker chooses its connection
 * id (partyserver's `_pk`, which would otherwise be the client's, and the
 * socket's first tag) and tells the room the role and identity the ticket
 * holds. Keys never appear in the URL.
 */
import { routePartykitRequest } from "partyserver";
import { randomBase62 } from "../durable-objects/random-ids.ts";
import { ROOM_ADDRESS } from "../durable-objects/rehearsal.ts";
import { PEER_HEADERS } from "../durable-objects/room.ts";
import { SHARD_HEADER, SHARD_ROOM_HEADER, shardName } from "../durable-objects/shards.ts";
import { sha256Hex } from "./digests.ts";
import { findRoom } from "./room-directory.ts";

const TICKET = /^tk_[0-9A-Za-z]{32}$/;

const refuse = (status: number, code: string, message: string) => Response.json({ error: { code, message } }, { status });

export function routeRoomSocket(request: Request, env: Env): Promise<Response | null> {
  return routePartykitRequest(request, env, {
    async onBeforeConnect(req, lobby) {
      // A rehearsal (`r_….rehearsal`) is reached the same way; only its team is given tickets to it.
      const roomId = lobby.name.match(ROOM_ADDRESS)?.[1];
      if (lobby.className !== "Room" || !roomId || !(await findRoom(env.DB, roomId))) {
        return refuse(404, "not_found", "No such room.");
      }
      const url = new URL(req.url);
      const ticket = url.searchParams.get("ticket") ?? "";
      if (url.searchParams.has("key")) {
        return refuse(400, "key_in_url", "Keys never go in a socket URL: trade the key for a ticket with POST /api/rooms/{roomId}/tickets.");
      }
      if (!TICKET.test(ticket)) return refuse(401, "unauthorized", "A room socket needs a ticket: POST /api/rooms/{roomId}/tickets, then ?ticket=….");
      const admitted = await env.Room.getByName(lobby.name).redeemTicket(await sha256Hex(ticket));
      if (!admitted) return refuse(401, "unauthorized", "This ticket was used already or has expired; ask for a new one.");
      // Only this function says who a socket is: the client's id, role or identity headers are dropped.
      url.searchParams.delete("ticket");
      url.searchParams.set("_pk", `c_${randomBase62(16)}`);
      const headers = new Headers(req.headers);
      headers.set(PEER_HEADERS.role, admitted.role);
      headers.set(PEER_HEADERS.viewer, admitted.viewerId);
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
}
