/**
 * A show's replay manifest (the contract the replay player reads): its
 * status, its times on the room clock, the part the brand keeps, its
 * thumbnail, its chapters (every pin of a product) and its finalized takes,
 * all in replay time: milliseconds from liveAt, the first `status: live`.
 */
import type { Replay } from "./schemas.ts";
import { takesOf } from "./takes.ts";

type LibraryRow = {
  recording: number;
  hidden: number;
  trimStartMs: number | null;
  trimEndMs: number | null;
  thumbnailKey: string | null;
  coverImageUrl: string | null;
};

export const NO_REPLAY: Replay = { status: "none", liveAt: null, durationMs: 0, trim: { startMs: 0, endMs: 0 }, thumbnailUrl: null, chapters: [], takes: [] };

export async function libraryRow(db: D1Database, roomId: string): Promise<LibraryRow | null> {
  return db
    .prepare(
      `SELECT recording, replay_hidden AS hidden, replay_trim_start_ms AS trimStartMs, replay_trim_end_ms AS trimEndMs,
              replay_thumbnail_r2_key AS thumbnailKey, cover_image_url AS coverImageUrl FROM rooms WHERE id = ?`,
    )
    .bind(roomId)
    .first<LibraryRow>();
}

/** The part kept, within 0…durationMs; all of it unless the brand trimmed it. */
export const trimOf = (row: Pick<LibraryRow, "trimStartMs" | "trimEndMs">, durationMs: number) => {
  const endMs = Math.min(row.trimEndMs ?? durationMs, durationMs);
  const startMs = Math.min(row.trimStartMs ?? 0, endMs);
  return { startMs, endMs };
};

/** The replay as the public sees it (`asBrand`: also while hidden, for the console). */
export async function replayOf(env: Env, roomId: string, { asBrand = false } = {}): Promise<Replay | null> {
  const row = await libraryRow(env.DB, roomId);
  if (!row) return null;
  const facts = await env.Room.getByName(roomId).replayFacts();
  if (facts.status !== "ended" || facts.liveAt === null || (row.hidden && !asBrand)) return NO_REPLAY;
  const liveAt = facts.liveAt;
  const durationMs = facts.endedAt !== null ? Math.max(0, facts.endedAt - liveAt) : 0;
  const takes = await takesOf(env.DB, roomId);
  const processing = takes.some((take) => take.state === "recording" || take.state === "closed");
  return {
    status: processing ? "processing" : "ready",
    liveAt,
    durationMs,
    trim: trimOf(row, durationMs),
    thumbnailUrl: row.thumbnailKey ? `/photos/${row.thumbnailKey}` : row.coverImageUrl,
    chapters: facts.pins.map((pin) => ({ productId: pin.productId, atMs: pin.at - liveAt })),
    takes: takes
      .filter((take) => take.state === "ready")
      .map((take) => ({
        id: take.id,
        publisher: take.publisher,
        role: take.role,
        source: take.source,
        startMs: take.startedAt - liveAt,
        durationMs: take.durationMs ?? 0,
        mime: take.mime,
        url: `/api/rooms/${roomId}/replay/takes/${take.id}`,
      })),
  };
}
