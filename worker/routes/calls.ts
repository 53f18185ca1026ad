/**
 * The room's proxy to Cloudflare Calls (Realtime SFU): the browser speaks the
 * Calls API under /api/rooms/{roomId}/calls, and the Worker adds the app
 * secret. Only host and guest sessions may publish; viewers may pull only the
 * tracks the room has on its stage; a session is usable only with the token
 * it was opened with.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { askedRoomRole, bearerKey, hashKey, requireHost, requireRoom } from "../auth.ts";
import { callsConfig, callsFetch, iceServers, relayError, type CallsConfig, type CallsResponse } from "../calls/calls-api.ts";
import { CallsAnswer, CallsParams, CloseTracks, IceServers, NewSession, NewTracks, PauseTracks, RemoveFromStage, Renegotiate, SessionOpened } from "../calls/schemas.ts";
import { ApiError } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { roleForKey } from "../room-directory.ts";
import { RoomBody, RoomAddressParams, RoomRoleHeader, StageTrack, ViewerTokenHeader } from "../schemas.ts";
import { randomBase62 } from "../../durable-objects/random-ids.ts";
import { validationHook } from "../validation.ts";
import { verifyViewerToken } from "../viewer-identity.ts";

export const calls = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });


function config(c: Context<AppEnv>): CallsConfig {
  const found = callsConfig(c.env);
  if (!found) throw new ApiError(503, "video_unavailable", "Video is not configured: set CALLS_APP_ID and CALLS_APP_SECRET (npm start runs a local relay).");
  return found;
}

/** Passes Calls' answer through with its status; a relay error becomes ours, `{error: {code, message}}`. */
function relay(c: Context<AppEnv>, answer: CallsResponse) {
  const error = relayError(answer);
  if (error) throw error;
  return c.json(answer.body, answer.status as 200);
}

/** The role of the session named in the path, proven by its X-Session-Token. */
async function sessionRole(c: Context<AppEnv>, roomId: string, sessionId: string) {
  const token = c.req.header("X-Session-Token");
  if (!token) throw new ApiError(401, "unauthorized", "Send the sessionToken you got when opening this session as X-Session-Token.");
  const role = await c.get("roomStub").callsSessionRole(sessionId, await hashKey(token));
  if (role === null) throw new ApiError(403, "forbidden", "This session was not opened with this token in this room.");
  if (role === "revoked") throw new ApiError(403, "removed_from_stage", "The host removed you from the stage.");
  return role;
}

const sessionHeaders = { security: [{ sessionToken: [] }] };

calls.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/calls/ice-servers",
    tags: ["Video"],
    summary: "ICE servers for this room's video",
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams },
    responses: { 200: jsonContent(IceServers, "STUN/TURN servers (TURN credentials when configured)"), ...errorResponses(400, 404) },
  }),
  async (c) => c.json({ iceServers: await iceServers(c.env, callsConfig(c.env)) }, 200),
);

calls.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/calls/sessions/new",
    tags: ["Video"],
    summary: "Open a Calls session",
    description:
      "Calls' `sessions/new`. With the host or guest key as Bearer (or a host's session cookie with `X-Room-Role: host`) the session may publish; without a key it may only pull. Returns a `sessionToken` for the session's later calls. " +
      "A publisher sends its `X-Viewer-Token` (from its socket ticket): when all its pages have been gone for 20 s, its tracks leave the stage.",
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams, headers: ViewerTokenHeader.extend(RoomRoleHeader.shape), body: jsonBody(NewSession) },
    responses: { 201: jsonContent(SessionOpened, "The session"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const calls = config(c);
    const keyRole = (await askedRoomRole(c, c.get("room"))) ?? (await roleForKey(c.get("room"), bearerKey(c), c.get("roomStub")));
    if (!keyRole) throw new ApiError(401, "unauthorized", "This key does not open this room.");
    // Moderators watch as viewers do: the stage is the host's and the guests'.
    const role = keyRole === "moderator" ? "viewer" : keyRole;
    const state = (await c.get("roomStub").getState())!;
    if (state.status === "ended") throw new ApiError(409, "show_ended", "This show has ended.");
    const publisher = role === "viewer" ? null : await verifyViewerToken(c.env.DB, c.req.valid("header")["x-viewer-token"]);
    if (role !== "viewer") {
      // A publisher is someone: its identity owns its tracks, and a guest the host removed stays removed.
      if (!publisher) throw new ApiError(401, "unauthorized", "A publishing session needs the X-Viewer-Token of the page (from its socket ticket).");
      // Only guests: the host may take its own old session off the stage (a reloaded studio does) and publish again.
      if (role === "guest" && (await c.get("roomStub").removedFromStage(role, publisher))) {
        throw new ApiError(403, "removed_from_stage", "The host removed you from the stage.");
      }
    }
    const answer = await callsFetch(calls, "POST", "/sessions/new", c.req.valid("json"));
    const error = relayError(answer);
    if (error) throw error;
    if (typeof answer.body.sessionId !== "string") throw new ApiError(502, "relay_error", "The video relay opened no session (its answer has no sessionId).");
    const sessionToken = `st_${randomBase62(32)}`;
    await c.get("roomStub").openCallsSession(answer.body.sessionId, role, await hashKey(sessionToken), publisher);
    return c.json({ ...answer.body, sessionId: answer.body.sessionId, sessionToken }, 201);
  },
);

calls.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/calls/sessions/{sessionId}/tracks/new",
    tags: ["Video"],
    summary: "Publish (host, guests) or pull (anyone) tracks",
    description: "Calls' `tracks/new`. Local tracks need a host or guest session and name their `kind` and `source`; remote tracks must be on the room's stage.",
    ...sessionHeaders,
    middleware: [requireRoom()] as const,
    request: { params: CallsParams, body: jsonBody(NewTracks) },
    responses: { 200: jsonContent(CallsAnswer, "Calls' answer"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { roomId, sessionId } = c.req.valid("param");
    const body = c.req.valid("json");
    const calls = config(c);
    const role = await sessionRole(c, roomId, sessionId);
    const publishing = body.tracks[0]!.location === "local";
    if (publishing) {
      if (role !== "host" && role !== "guest") throw new ApiError(403, "forbidden", "Only the host and guests publish; viewers pull.");
      const state = (await c.get("roomStub").getState())!;
      if (state.status === "ended") throw new ApiError(409, "show_ended", "This show has ended.");
    } else {
      const remote = body.tracks.flatMap((t) => (t.location === "remote" ? [{ sessionId: t.sessionId, trackName: t.trackName }] : []));
      const unknown = await c.get("roomStub").unannounced(remote);
      if (unknown.length) throw new ApiError(403, "not_on_stage", `Not on this room's stage: ${unknown.map((t) => t.trackName).join(", ")}.`);
    }
    // Our fields stay here; Calls gets its own shape.
    const forwarded = {
      ...(body.sessionDescription ? { sessionDescription: body.sessionDescription } : {}),
      tracks: body.tracks.map((t) => (t.location === "local" ? { location: t.location, mid: t.mid, trackName: t.trackName } : t)),
    };
    const answer = await callsFetch(calls, "POST", `/sessions/${sessionId}/tracks/new`, forwarded);
    if (publishing && answer.status < 300) {
      const published = (answer.body.tracks as Array<{ mid?: string; trackName?: string; errorCode?: string }> | undefined) ?? [];
      const ours = new Map(body.tracks.map((t) => [t.trackName, t]));
      const live = published.flatMap((t) => {
        const mine = t.trackName ? ours.get(t.trackName) : undefined;
        return !t.errorCode && t.mid && mine?.location === "local"
          ? [{ mid: t.mid, trackName: mine.trackName, kind: mine.kind, source: mine.source, paused: mine.paused ?? false }]
          : [];
      });
      if (live.length) await c.get("roomStub").publish(sessionId, live);
    }
    return relay(c, answer);
  },
);

calls.openapi(
  createRoute({
    method: "put",
    path: "/{roomId}/calls/sessions/{sessionId}/renegotiate",
    tags: ["Video"],
    summary: "Renegotiate a session",
    ...sessionHeaders,
    middleware: [requireRoom()] as const,
    request: { params: CallsParams, body: jsonBody(Renegotiate) },
    responses: { 200: jsonContent(CallsAnswer, "Calls' answer"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const { roomId, sessionId } = c.req.valid("param");
    const calls = config(c);
    await sessionRole(c, roomId, sessionId);
    return relay(c, await callsFetch(calls, "PUT", `/sessions/${sessionId}/renegotiate`, c.req.valid("json")));
  },
);

calls.openapi(
  createRoute({
    method: "put",
    path: "/{roomId}/calls/sessions/{sessionId}/tracks/close",
    tags: ["Video"],
    summary: "Close tracks (they leave the stage)",
    ...sessionHeaders,
    middleware: [requireRoom()] as const,
    request: { params: CallsParams, body: jsonBody(CloseTracks) },
    responses: { 200: jsonContent(CallsAnswer, "Calls' answer"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const { roomId, sessionId } = c.req.valid("param");
    const body = c.req.valid("json");
    const calls = config(c);
    await sessionRole(c, roomId, sessionId);
    const answer = await callsFetch(calls, "PUT", `/sessions/${sessionId}/tracks/close`, body);
    // 404: the relay no longer knows the session (it restarted, or cleaned the session up after a
    // connection loss). Its tracks cannot be pulled any more, so they leave the stage all the same;
    // this is how a publisher that reconnects on a new session takes the dead one's tracks away.
    if (answer.status < 300 || answer.status === 404) await c.get("roomStub").unpublish(sessionId, body.tracks.map((t) => t.mid));
    return relay(c, answer);
  },
);

calls.openapi(
  createRoute({
    method: "put",
    path: "/{roomId}/calls/sessions/{sessionId}/tracks/pause",
    tags: ["Video"],
    summary: "Turn published tracks off or on (camera off), ours",
    description:
      "Not a Calls call: the relay is not asked. A turned-off camera keeps sending black frames (nobody renegotiates); " +
      "this tells the room, so that viewers show the publisher's poster instead, and hear its microphone as before. Host and guest sessions only.",
    ...sessionHeaders,
    middleware: [requireRoom()] as const,
    request: { params: CallsParams, body: jsonBody(PauseTracks) },
    responses: { 200: jsonContent(z.object({ stage: z.array(StageTrack) }), "The stage after the change"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const { roomId, sessionId } = c.req.valid("param");
    const { tracks, paused } = c.req.valid("json");
    const role = await sessionRole(c, roomId, sessionId);
    if (role !== "host" && role !== "guest") throw new ApiError(403, "forbidden", "Only the host and guests publish, so only they turn tracks off.");
    return c.json({ stage: await c.get("roomStub").pauseTracks(sessionId, tracks.map((t) => t.mid), paused) }, 200);
  },
);

calls.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/calls/sessions/{sessionId}",
    tags: ["Video"],
    summary: "A session's tracks and their state",
    ...sessionHeaders,
    middleware: [requireRoom()] as const,
    request: { params: CallsParams },
    responses: { 200: jsonContent(CallsAnswer, "Calls' answer"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { roomId, sessionId } = c.req.valid("param");
    const calls = config(c);
    await sessionRole(c, roomId, sessionId);
    return relay(c, await callsFetch(calls, "GET", `/sessions/${sessionId}`));
  },
);

calls.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/stage/remove",
    tags: ["Video"],
    summary: "Remove someone from the stage (host)",
    description: "Their tracks leave the stage for every viewer, are closed at the relay, and their session may not publish again.",
    security: [{ bearer: [] }],
    middleware: [requireHost()] as const,
    request: { params: RoomAddressParams, body: jsonBody(RemoveFromStage) },
    responses: { 200: jsonContent(RoomBody, "The room after the change"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const { sessionId } = c.req.valid("json");
    const mids = await c.get("roomStub").removeFromStage(sessionId);
    const calls = callsConfig(c.env);
    if (calls && mids.length) await callsFetch(calls, "PUT", `/sessions/${sessionId}/tracks/close`, { tracks: mids.map((mid) => ({ mid })), force: true });
    return c.json({ room: (await c.get("roomStub").getState())! }, 200);
  },
);
