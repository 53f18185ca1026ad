/**
 * Who is recording: only a publisher of the room (the host, by its host key
 * or a team member's session that runs the show, or a guest by the current
 * guest key), and as whom (the page's viewer identity, which stays the same
 * across reloads; the stage knows publishers by it too). A viewer, a
 * moderator, another room's key or nobody is refused.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { askedRoomRole, bearerKey, requireRoom } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { roleForKey } from "../room-directory.ts";
import { verifyViewerToken } from "../viewer-identity.ts";

export type Publisher = { role: "host" | "guest"; id: string };

/** Puts the publisher on the context (`publisher`); 401/403 for anyone else. */
export function requirePublisher() {
  return createMiddleware<AppEnv>(async function requirePublisher(c, next) {
    await requireRoom()(c, async () => undefined);
    const room = c.get("room");
    const role = (await askedRoomRole(c, room)) ?? (await roleForKey(room, bearerKey(c), c.get("roomStub")));
    if (!role || role === "viewer") {
      throw new ApiError(401, "unauthorized", "Recording takes the host key (hk_...) or guest key (gk_...) as a Bearer token, or a host's session with X-Room-Role: host.");
    }
    if (role !== "host" && role !== "guest") throw new ApiError(403, "forbidden", "Only the host and guests on the stage record; a moderator does not.");
    const id = await verifyViewerToken(c.env.DB, c.req.header("X-Viewer-Token"));
    if (!id) throw new ApiError(401, "unauthorized", "A recording page sends its X-Viewer-Token (from its socket ticket): a take belongs to one publisher.");
    c.set("publisher", { role, id });
    await next();
  });
}
