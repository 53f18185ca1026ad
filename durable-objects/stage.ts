/**
 * The stage: which Calls sessions were opened through this room (and by
 * whom), and which of their tracks are live. The Worker's Calls proxy asks
 * here before it lets a session publish (host and guests only) or pull
 * (announced tracks only).
 */
import type { Role, StageTrack } from "./protocol.ts";

export type PublishedTrack = { mid: string; trackName: string; kind: "audio" | "video"; source: "camera" | "screen" };

export function openSession(sql: SqlStorage, sessionId: string, role: Role, tokenHash: string, now: number): void {
  sql.exec(
    "INSERT INTO calls_sessions (id, role, token_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    sessionId, role, tokenHash, now,
  );
}

/** The role a session was opened with, if `tokenHash` is its token and it was not removed from the stage. */
export function sessionRole(sql: SqlStorage, sessionId: string, tokenHash: string): Role | "revoked" | null {
  const row = sql
    .exec<{ role: Role; token_hash: string; revoked: number }>("SELECT role, token_hash, revoked FROM calls_sessions WHERE id = ?", sessionId)
    .toArray()[0];
  if (!row || row.token_hash !== tokenHash) return null;
  return row.revoked ? "revoked" : row.role;
}

export function addTracks(sql: SqlStorage, sessionId: string, role: "host" | "guest", tracks: PublishedTrack[], now: number): void {
  for (const t of tracks) {
    sql.exec(
      `INSERT INTO stage_tracks (session_id, mid, track_name, kind, source, role, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id, track_name) DO UPDATE SET mid = excluded.mid, kind = excluded.kind, source = excluded.source`,
      sessionId, t.mid, t.trackName, t.kind, t.source, role, now,
    );
  }
}

/** Takes tracks off the stage (all of the session's when `mids` is null); returns how many went. */
export function removeTracks(sql: SqlStorage, sessionId: string, mids: string[] | null): number {
  if (mids === null) return sql.exec("DELETE FROM stage_tracks WHERE session_id = ?", sessionId).rowsWritten;
  let removed = 0;
  for (const mid of mids) removed += sql.exec("DELETE FROM stage_tracks WHERE session_id = ? AND mid = ?", sessionId, mid).rowsWritten;
  return removed;
}

/** Removes a guest (or anyone) from the stage for good: its session may not publish again. Returns its mids. */
export function revokeSession(sql: SqlStorage, sessionId: string): string[] {
  const mids = sql.exec<{ mid: string }>("SELECT mid FROM stage_tracks WHERE session_id = ?", sessionId).toArray().map((r) => r.mid);
  sql.exec("UPDATE calls_sessions SET revoked = 1 WHERE id = ?", sessionId);
  sql.exec("DELETE FROM stage_tracks WHERE session_id = ?", sessionId);
  return mids;
}

export function clearStage(sql: SqlStorage): number {
  return sql.exec("DELETE FROM stage_tracks").rowsWritten;
}

export function stageTracks(sql: SqlStorage): StageTrack[] {
  return sql
    .exec<{ session_id: string; track_name: string; kind: "audio" | "video"; role: "host" | "guest"; source: "camera" | "screen" }>(
      "SELECT session_id, track_name, kind, role, source FROM stage_tracks ORDER BY role = 'guest', added_at, track_name",
    )
    .toArray()
    .map((r) => ({ sessionId: r.session_id, trackName: r.track_name, kind: r.kind, role: r.role, source: r.source }));
}

export function onStage(sql: SqlStorage, sessionId: string, trackName: string): boolean {
  return sql.exec("SELECT 1 FROM stage_tracks WHERE session_id = ? AND track_name = ?", sessionId, trackName).toArray().length > 0;
}

export function sessionRoleOf(sql: SqlStorage, sessionId: string): Role | null {
  return sql.exec<{ role: Role }>("SELECT role FROM calls_sessions WHERE id = ?", sessionId).toArray()[0]?.role ?? null;
}

/** How long a publisher's page may be away (a reload, a network blip) before its tracks leave the stage. */
export const PUBLISHER_GRACE_MS = 20_000;

export function ownSession(sql: SqlStorage, sessionId: string, connectionId: string): void {
  sql.exec(
    "INSERT INTO session_owners (session_id, connection_id) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET connection_id = excluded.connection_id, gone_since = NULL",
    sessionId, connectionId,
  );
}

/** The publisher's page closed its socket (returns true when it owns tracks on stage). */
export function ownerLeft(sql: SqlStorage, connectionId: string, now: number): boolean {
  sql.exec("UPDATE session_owners SET gone_since = ? WHERE connection_id = ? AND gone_since IS NULL", now, connectionId);
  return sql.exec(
    "SELECT 1 FROM stage_tracks JOIN session_owners USING (session_id) WHERE session_owners.connection_id = ? LIMIT 1",
    connectionId,
  ).toArray().length > 0;
}

/** The publisher's page is back (partysocket keeps its id across reconnects). */
export function ownerReturned(sql: SqlStorage, connectionId: string): void {
  sql.exec("UPDATE session_owners SET gone_since = NULL WHERE connection_id = ?", connectionId);
}

/** Takes the tracks of publishers gone longer than the grace period off the stage; returns how many went. */
export function dropAbandoned(sql: SqlStorage, now: number): number {
  return sql.exec(
    "DELETE FROM stage_tracks WHERE session_id IN (SELECT session_id FROM session_owners WHERE gone_since <= ?)",
    now - PUBLISHER_GRACE_MS,
  ).rowsWritten;
}

export function nextAbandonCheck(sql: SqlStorage): number | null {
  const t = sql.exec<{ t: number | null }>(
    "SELECT min(gone_since) AS t FROM session_owners WHERE gone_since IS NOT NULL AND session_id IN (SELECT session_id FROM stage_tracks)",
  ).one().t;
  return t === null ? null : t + PUBLISHER_GRACE_MS;
}
