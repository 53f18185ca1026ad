/** Takes and their chunks in D1 (migrations/0017_recordings.sql); the bytes are in R2 under chunkKey(). */
import { randomBase62 } from "../../durable-objects/random-ids.ts";

export const newTakeId = () => `tk_${randomBase62(16)}`;

export type TakeState = "recording" | "closed" | "ready" | "empty" | "failed" | "aborted";

export type TakeRow = {
  id: string;
  roomId: string;
  publisher: string;
  role: "host" | "guest";
  source: "camera" | "screen";
  mime: string;
  startedAt: number;
  state: TakeState;
  fileKey: string | null;
  fileBytes: number | null;
  durationMs: number | null;
};

const TAKE_COLUMNS = `id, room_id AS roomId, publisher, role, source, mime, started_at AS startedAt, state,
  file_r2_key AS fileKey, file_bytes AS fileBytes, duration_ms AS durationMs`;

/** Where chunk `n` of a take is in R2 (zero-padded, so a listing is in order). */
export const chunkKey = (roomId: string, takeId: string, n: number) => `takes/${roomId}/${takeId}/${String(n).padStart(6, "0")}`;
export const replayKey = (roomId: string, takeId: string) => `replays/${roomId}/${takeId}`;

export async function findTake(db: D1Database, roomId: string, takeId: string): Promise<TakeRow | null> {
  return db.prepare(`SELECT ${TAKE_COLUMNS} FROM recording_takes WHERE id = ? AND room_id = ?`).bind(takeId, roomId).first<TakeRow>();
}

export async function takesOf(db: D1Database, roomId: string): Promise<TakeRow[]> {
  return (await db.prepare(`SELECT ${TAKE_COLUMNS} FROM recording_takes WHERE room_id = ? ORDER BY started_at, id`).bind(roomId).all<TakeRow>()).results;
}

export async function chunksOf(db: D1Database, takeId: string): Promise<Array<{ n: number; bytes: number }>> {
  return (await db.prepare("SELECT n, bytes FROM recording_chunks WHERE take_id = ? ORDER BY n").bind(takeId).all<{ n: number; bytes: number }>()).results;
}

/**
 * A new take. The same publisher's earlier takes of this source that are
 * still open are closed: a page that reloads or lost its network starts
 * again, and what its old take holds is complete as far as it got.
 */
export async function startTake(db: D1Database, take: Omit<TakeRow, "state" | "fileKey" | "fileBytes" | "durationMs">): Promise<void> {
  await db.batch([
    db
      .prepare("UPDATE recording_takes SET state = 'closed' WHERE room_id = ? AND publisher = ? AND source = ? AND state = 'recording'")
      .bind(take.roomId, take.publisher, take.source),
    db
      .prepare("INSERT INTO recording_takes (id, room_id, publisher, role, source, mime, started_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(take.id, take.roomId, take.publisher, take.role, take.source, take.mime, take.startedAt, Date.now()),
  ]);
}

export async function countTakes(db: D1Database, roomId: string, publisher: string): Promise<number> {
  return (await db.prepare("SELECT COUNT(*) AS n FROM recording_takes WHERE room_id = ? AND publisher = ?").bind(roomId, publisher).first<{ n: number }>())!.n;
}

/** A chunk is known only once its bytes are in R2 (the caller put them first); the same number again replaces it. */
export async function recordChunk(db: D1Database, takeId: string, n: number, bytes: number): Promise<void> {
  await db
    .prepare("INSERT INTO recording_chunks (take_id, n, bytes, at) VALUES (?, ?, ?, ?) ON CONFLICT (take_id, n) DO UPDATE SET bytes = excluded.bytes, at = excluded.at")
    .bind(takeId, n, bytes, Date.now())
    .run();
}

export async function setTakeState(db: D1Database, takeId: string, state: TakeState, from: TakeState[]): Promise<void> {
  await db
    .prepare(`UPDATE recording_takes SET state = ? WHERE id = ? AND state IN (SELECT value FROM json_each(?))`)
    .bind(state, takeId, JSON.stringify(from))
    .run();
}

/** The take as its publisher's page sees it: which chunks arrived, for a resume. */
export async function takeView(db: D1Database, take: TakeRow) {
  const chunks = await chunksOf(db, take.id);
  return {
    id: take.id,
    source: take.source,
    state: take.state,
    startedAt: take.startedAt,
    chunks: chunks.map((c) => c.n),
    bytes: chunks.reduce((sum, c) => sum + c.bytes, 0),
  };
}
