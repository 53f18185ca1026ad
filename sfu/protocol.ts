// The wire shapes of the Cloudflare Calls (Realtime SFU) HTTP API subset that
// this local SFU speaks, and the validation of what arrives. Field names and
// nesting follow production Calls exactly: the browser talks to either one
// through the Worker's proxy and must not be able to tell them apart.
import { z } from "zod";

export const SessionDescription = z.object({
  type: z.enum(["offer", "answer"]),
  sdp: z.string().refine((sdp) => sdp.trimStart().startsWith("v=0"), "not an SDP (it must start with v=0)"),
});
export type SessionDescription = z.infer<typeof SessionDescription>;

const Simulcast = z.object({
  preferredRid: z.string().optional(),
  priorityOrdering: z.string().optional(),
  ridNotAvailable: z.string().optional(),
});

/** One entry of `tracks` in `POST sessions/{id}/tracks/new`. */
export const TrackObject = z.object({
  location: z.enum(["local", "remote"]),
  mid: z.string().nullish(),
  sessionId: z.string().optional(),
  trackName: z.string().optional(),
  kind: z.enum(["audio", "video"]).optional(),
  bidirectionalMediaStream: z.boolean().optional(),
  simulcast: Simulcast.optional(),
});
export type TrackObject = z.infer<typeof TrackObject>;

export const NewSessionRequest = z.object({
  sessionDescription: SessionDescription.optional(),
});
export type NewSessionRequest = z.infer<typeof NewSessionRequest>;

export const TracksRequest = z.object({
  sessionDescription: SessionDescription.optional(),
  tracks: z.array(TrackObject).min(1).max(64),
  autoDiscover: z.boolean().optional(),
});
export type TracksRequest = z.infer<typeof TracksRequest>;

export const RenegotiateRequest = z.object({
  sessionDescription: SessionDescription,
});
export type RenegotiateRequest = z.infer<typeof RenegotiateRequest>;

export const CloseTracksRequest = z.object({
  sessionDescription: SessionDescription.optional(),
  tracks: z.array(z.object({ mid: z.string() })).min(1).max(64),
  force: z.boolean().optional(),
});
export type CloseTracksRequest = z.infer<typeof CloseTracksRequest>;

/** Calls reports failures as these two fields, at the top level of a body or on one item. */
export type ErrorFields = { errorCode: string; errorDescription: string };

export type TrackResult = {
  location: "local" | "remote";
  mid?: string;
  sessionId?: string;
  trackName?: string;
} & Partial<ErrorFields>;

export type NewSessionResponse = {
  sessionId: string;
  sessionDescription?: SessionDescription;
};

export type TracksResponse = {
  requiresImmediateRenegotiation: boolean;
  sessionDescription?: SessionDescription;
  tracks: TrackResult[];
};

export type RenegotiateResponse = {
  sessionDescription?: SessionDescription;
};

export type CloseTracksResponse = {
  requiresImmediateRenegotiation: boolean;
  sessionDescription?: SessionDescription;
  tracks: Array<{ mid: string } & Partial<ErrorFields>>;
};

export type TrackStatus = "active" | "inactive" | "waiting";

export type SessionStateResponse = {
  tracks: Array<TrackResult & { status: TrackStatus }>;
};

/**
 * The top-level error codes used here. `unauthorized` is documented by Calls;
 * the others are this engine's names for the same situations (see README).
 */
export type ErrorCode =
  | "unauthorized"
  | "bad_request"
  | "not_found"
  | "not_implemented"
  | "internal_error";

/** Thrown by handlers, rendered once by the server as `{errorCode, errorDescription}`. */
export class CallsError extends Error {
  readonly status: number;
  readonly errorCode: ErrorCode;
  constructor(status: number, errorCode: ErrorCode, errorDescription: string) {
    super(errorDescription);
    this.status = status;
    this.errorCode = errorCode;
  }
  toBody(): ErrorFields {
    return { errorCode: this.errorCode, errorDescription: this.message };
  }
}

/** Validates a parsed JSON body against a schema, or throws a 400 that names the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
  throw new CallsError(400, "bad_request", `invalid request body: ${where}: ${issue?.message ?? "invalid"}`);
}
