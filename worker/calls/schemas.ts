/**
 * The subset of the Calls (Realtime SFU) HTTP API that the room's proxy
 * accepts from browsers: the same shapes as Calls, plus two fields of ours on
 * published tracks (`kind`, `source`) that the proxy keeps and strips before
 * forwarding.
 */
import { z } from "@hono/zod-openapi";
import { RoomAddress } from "../schemas.ts";

const SessionDescription = z
  .object({
    type: z.enum(["offer", "answer"]),
    sdp: z.string().max(60_000).refine((sdp) => sdp.trimStart().startsWith("v=0"), "not an SDP (it must start with v=0)"),
  })
  .openapi("SessionDescription");

const TrackName = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "1–64 letters, digits, _ . : -");
const SessionId = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, "not a Calls session id");

export const LocalTrack = z.object({
  location: z.literal("local"),
  mid: z.string().max(32),
  trackName: TrackName,
  kind: z.enum(["audio", "video"]).openapi({ description: "Ours, not Calls': how viewers should play it." }),
  source: z.enum(["camera", "screen"]).default("camera"),
  paused: z.boolean().optional().openapi({ description: "Ours, not Calls': published turned off (camera off), so viewers show a poster." }),
});
export const RemoteTrack = z.object({
  location: z.literal("remote"),
  sessionId: SessionId,
  trackName: TrackName,
  mid: z.string().max(32).optional(),
});

export const NewSession = z
  .object({
    sessionDescription: SessionDescription.optional(),
  })
  .openapi("CallsNewSession");
export const NewTracks = z
  .object({
    sessionDescription: SessionDescription.optional(),
    tracks: z.array(z.discriminatedUnion("location", [LocalTrack, RemoteTrack])).min(1).max(16),
  })
  .refine((body) => body.tracks.every((t) => t.location === "local") || body.tracks.every((t) => t.location === "remote"), "publish and pull in separate requests")
  .openapi("CallsNewTracks");
export const Renegotiate = z.object({ sessionDescription: SessionDescription }).openapi("CallsRenegotiate");
export const CloseTracks = z
  .object({
    sessionDescription: SessionDescription.optional(),
    tracks: z.array(z.object({ mid: z.string().max(32) })).min(1).max(16),
    force: z.boolean().optional(),
  })
  .openapi("CallsCloseTracks");

/** Ours, not Calls': a publisher says which of its tracks it turned off (camera off) or on again. */
export const PauseTracks = z
  .object({
    tracks: z.array(z.object({ mid: z.string().max(32) })).min(1).max(16),
    paused: z.boolean(),
  })
  .openapi("PauseTracks");

export const CallsParams = z.object({
  roomId: RoomAddress.openapi({ param: { name: "roomId", in: "path" } }),
  sessionId: SessionId.openapi({ param: { name: "sessionId", in: "path" } }),
});
export const RemoveFromStage = z.object({ sessionId: SessionId }).openapi("RemoveFromStage");

/** What Calls answers is passed through as is. */
export const CallsAnswer = z.record(z.string(), z.unknown()).openapi("CallsAnswer", { description: "The Calls API's answer, passed through." });
export const SessionOpened = z
  .object({
    sessionId: z.string(),
    sessionDescription: SessionDescription.optional(),
    sessionToken: z.string().openapi({ description: "Send as `X-Session-Token` on every later call for this session." }),
  })
  .openapi("CallsSessionOpened");
export const IceServers = z
  .object({ iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() })) })
  .openapi("IceServers");
