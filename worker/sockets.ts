/**
 * Routes a browser's WebSocket to its room, after deciding who it is.
 * Authentication happens here, before the room accepts the socket: a wrong
 * key gets a 401 and never a connection.
 */
import { routePartykitRequest } from "partyserver";
import { ROLE_HEADER } from "../durable-objects/room.ts";
import { hashKey } from "./auth.ts";
import { ROOM_ID } from "./ids.ts";

const refuse = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

export function routeRoomSocket(request: Request, env: Env): Promise<Response | null> {
  return routePartykitRequest(request, env, {
    async onBeforeConnect(req, lobby) {
      if (lobby.className !== "Room" || !ROOM_ID.test(lobby.name)) {
        return refuse(404, "not_found", "No such room.");
      }
      const headers = new Headers(req.headers);
      // Only this function may say who a socket is; drop whatever the client sent.
      headers.delete(ROLE_HEADER);
      const key = new URL(req.url).searchParams.get("key");
      if (key) {
        const { exists, role } = await env.Room.getByName(lobby.name).roleFor(await hashKey(key));
        // An unknown room is left to the room itself, which closes with 4404 so
        // the client can tell "no such show" from a network error.
        if (exists && !role) return refuse(401, "unauthorized", "This key does not open this room.");
        if (role) headers.set(ROLE_HEADER, role);
      }
      return new Request(req, { headers });
    },
    onBeforeRequest() {
      return refuse(426, "upgrade_required", "Rooms speak WebSocket here; use the HTTP API under /api for everything else.");
    },
  });
}
