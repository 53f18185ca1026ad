/**
 * The stage: which Calls sessions were opened through this room (and by
 * whom), and which of their tracks are live. The Worker's Calls proxy asks
 * here before it lets a session publish (host and guests only) or pull
 * (announced tracks only).
 */
import type { Role, StageTrack } from "./protocol.ts";
import type { Change, RoomFeature, RoomKit, Socket } from "./room-kit.ts";

export const stageSchema: RoomFeature["schema"] = {
  1: `-- Calls (Realtime SFU) sessions opened through this room's proxy, with the
      -- role of whoever opened them; a session's token proves it is yours.
      CREATE TABLE IF NOT EXISTS calls_sessions (
        id         TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('host', 'guest', 'viewer')),
        token_hash TEXT NOT NULL,
        revoked    INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      -- The stage: tracks the host and guests publish; the only ones viewers may pull.
      CREATE TABLE IF NOT EXISTS stage_tracks (
        session_id TEXT NOT NULL REFERENCES calls_sessions(id),
        mid        TEXT NOT NULL,
        track_name TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
        source     TEXT NOT NULL CHECK (source IN ('camera', 'screen')),
        role       TEXT NOT NULL CHECK (role IN ('host', 'guest')),
        added_at   INTEGER NOT NULL,
        PRIMARY KEY (session_id, track_name)
      );
      -- Who (which publisher's pages) owns a session. When they go away and do
      -- not come back within a grace period, its tracks leave the stage, so
      -- viewers are never left pulling a dead camera.
      CREATE TABLE IF NOT EXISTS session_owners (
        session_id    TEXT PRIMARY KEY REFERENCES calls_sessions(id),
        connection_id TEXT NOT NULL,
        gone_since    INTEGER
      );
      CREATE INDEX IF NOT EXISTS session_owners_by_connection ON session_owners (connection_id);`,
  // Sessions were owned by a connection id the client chose; now by the
  // publisher's server-issued identity (see publisherTag).
  2: `ALTER TABLE session_owners RENAME COLUMN connection_id TO owner;`,
  // A track the publisher turned off (camera off) stays on the stage, sending
  // black frames; viewers show the publisher's poster for it instead.
  // (Moderation adds its own version-3 steps elsewhere; renumber at merge if needed.)
  3: `ALTER TABLE stage_tracks ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));`,
};

/** Who may publish on the stage: the host and guests (moderators and viewers only watch). */
export const isPublisher = (role: Role): role is "host" | "guest" => role === "host" || role === "guest";

/** The socket tag of a publisher's pages: its role and its server-issued identity. */
export const publisherTag = (role: Role, viewerId: string) => `publisher:${role}:${viewerId}`;

export type PublishedTrack = { mid: string; trackName: string; kind: "audio" | "video"; source: "camera" | "screen"; paused?: boolean };

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
      `INSERT INTO stage_tracks (session_id, mid, track_name, kind, source, role, added_at, paused) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id, track_name) DO UPDATE SET mid = excluded.mid, kind = excluded.kind, source = excluded.source, paused = excluded.paused`,
      sessionId, t.mid, t.trackName, t.kind, t.source, role, now, t.paused ? 1 : 0,
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

/** Marks a session's tracks (by m-line) turned off or on again; returns how many changed. */
export function pauseTracks(sql: SqlStorage, sessionId: string, mids: string[], paused: boolean): number {
  let changed = 0;
  for (const mid of mids) {
    changed += sql.exec("UPDATE stage_tracks SET paused = ? WHERE session_id = ? AND mid = ? AND paused != ?", +paused, sessionId, mid, +paused).rowsWritten;
  }
  return changed;
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
    .exec<{ session_id: string; track_name: string; kind: "audio" | "video"; role: "host" | "guest"; source: "camera" | "screen"; paused: number }>(
      "SELECT session_id, track_name, kind, role, source, paused FROM stage_tracks ORDER BY role = 'guest', added_at, track_name",
    )
    .toArray()
    .map((r) => ({ sessionId: r.session_id, trackName: r.track_name, kind: r.kind, role: r.role, source: r.source, ...(r.paused ? { paused: true as const } : {}) }));
}

export function onStage(sql: SqlStorage, sessionId: string, trackName: string): boolean {
  return sql.exec("SELECT 1 FROM stage_tracks WHERE session_id = ? AND track_name = ?", sessionId, trackName).toArray().length > 0;
}

export function sessionRoleOf(sql: SqlStorage, sessionId: string): Role | null {
  return sql.exec<{ role: Role }>("SELECT role FROM calls_sessions WHERE id = ?", sessionId).toArray()[0]?.role ?? null;
}

/** How long a publisher's page may be away (a reload, a network blip) before its tracks leave the stage. */
export const PUBLISHER_GRACE_MS = 20_000;

export function ownSession(sql: SqlStorage, sessionId: string, owner: string): void {
  sql.exec(
    "INSERT INTO session_owners (session_id, owner) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET owner = excluded.owner, gone_since = NULL",
    sessionId, owner,
  );
}

/** The publisher's last page closed its socket (returns true when it owns tracks on stage). */
function ownerLeft(sql: SqlStorage, owner: string, now: number): boolean {
  sql.exec("UPDATE session_owners SET gone_since = ? WHERE owner = ? AND gone_since IS NULL", now, owner);
  return sql.exec("SELECT 1 FROM stage_tracks JOIN session_owners USING (session_id) WHERE session_owners.owner = ? LIMIT 1", owner).toArray().length > 0;
}

/** A page of the publisher is back (a reload, a network blip). */
function ownerReturned(sql: SqlStorage, owner: string): void {
  sql.exec("UPDATE session_owners SET gone_since = NULL WHERE owner = ?", owner);
}

/** Takes the tracks of publishers gone longer than the grace period off the stage; returns how many went. */
function dropAbandoned(sql: SqlStorage, now: number): number {
  return sql.exec(
    "DELETE FROM stage_tracks WHERE session_id IN (SELECT session_id FROM session_owners WHERE gone_since <= ?)",
    now - PUBLISHER_GRACE_MS,
  ).rowsWritten;
}

function nextAbandonCheck(sql: SqlStorage): number | null {
  const t = sql.exec<{ t: number | null }>(
    "SELECT min(gone_since) AS t FROM session_owners WHERE gone_since IS NOT NULL AND session_id IN (SELECT session_id FROM stage_tracks)",
  ).one().t;
  return t === null ? null : t + PUBLISHER_GRACE_MS;
}

export class Stage implements RoomFeature {
  readonly schema = stageSchema;

  constructor(
    private readonly kit: RoomKit,
    /** How many open sockets carry a tag (the Room counts them). */
    private readonly openWithTag: (tag: string) => number,
  ) {}

  nextDue(): number | null {
    return nextAbandonCheck(this.kit.sql);
  }

  onDue(now: number): void {
    this.kit.commit((tx) => {
      if (dropAbandoned(this.kit.sql, now) > 0) this.#announce(tx);
    });
  }

  onJoin(socket: Socket): void {
    if (isPublisher(socket.peer.role)) ownerReturned(this.kit.sql, publisherTag(socket.peer.role, socket.peer.viewerId));
  }

  onLeave(socket: Socket): void {
    if (!isPublisher(socket.peer.role)) return;
    const tag = publisherTag(socket.peer.role, socket.peer.viewerId);
    // Another page of the same publisher (a second tab) still holds the stage.
    if (this.openWithTag(tag) > 0) return;
    if (ownerLeft(this.kit.sql, tag, this.kit.now())) this.kit.commit((tx) => tx.rearm());
  }

  /** Records a Calls session opened through the proxy; a publisher's session is owned by its pages. */
  open(sessionId: string, role: Role, tokenHash: string, viewerId: string | null): void {
    const sql = this.kit.sql;
    this.kit.storage.transactionSync(() => {
      openSession(sql, sessionId, role, tokenHash, this.kit.now());
      if (viewerId && isPublisher(role)) ownSession(sql, sessionId, publisherTag(role, viewerId));
    });
  }

  publish(sessionId: string, tracks: PublishedTrack[]): StageTrack[] | null {
    const role = sessionRoleOf(this.kit.sql, sessionId);
    if (role !== "host" && role !== "guest") return null;
    this.kit.commit((tx) => {
      addTracks(this.kit.sql, sessionId, role, tracks, this.kit.now());
      this.#announce(tx);
    });
    return stageTracks(this.kit.sql);
  }

  unpublish(sessionId: string, mids: string[] | null): void {
    this.kit.commit((tx) => {
      if (removeTracks(this.kit.sql, sessionId, mids) > 0) this.#announce(tx);
    });
  }

  /** A publisher turned tracks off (camera off) or on again; viewers are told only of a real change. */
  pause(sessionId: string, mids: string[], paused: boolean): StageTrack[] {
    this.kit.commit((tx) => {
      if (pauseTracks(this.kit.sql, sessionId, mids, paused) > 0) this.#announce(tx);
    });
    return stageTracks(this.kit.sql);
  }

  /** The host removes someone; returns the mids the proxy must close at the relay. */
  remove(sessionId: string): string[] {
    return this.kit.commit((tx) => {
      const mids = revokeSession(this.kit.sql, sessionId);
      this.#announce(tx);
      return mids;
    });
  }

  /** True when the host removed this publisher (its identity) from the stage: a reload does not bring it back. */
  isRemoved(role: Role, viewerId: string): boolean {
    return this.kit.sql.exec(
      "SELECT 1 FROM session_owners JOIN calls_sessions ON calls_sessions.id = session_owners.session_id WHERE calls_sessions.revoked = 1 AND session_owners.owner = ? LIMIT 1",
      publisherTag(role, viewerId),
    ).toArray().length > 0;
  }

  /**
   * The guest link was replaced: every guest leaves the stage for good (their
   * sessions are revoked), and who was removed is forgotten, so the new link
   * may invite anyone again. Returns the sessions and mids to close at the relay.
   */
  endGuests(tx: Change): Array<{ sessionId: string; mids: string[] }> {
    const sql = this.kit.sql;
    const guests = sql.exec<{ id: string }>("SELECT id FROM calls_sessions WHERE role = 'guest' AND revoked = 0").toArray();
    const closed = guests.map(({ id }) => ({ sessionId: id, mids: revokeSession(sql, id) }));
    sql.exec("DELETE FROM session_owners WHERE session_id IN (SELECT id FROM calls_sessions WHERE role = 'guest')");
    if (closed.some((c) => c.mids.length > 0)) this.#announce(tx);
    return closed.filter((c) => c.mids.length > 0);
  }

  /** The show ended: nobody is on stage any more (part of the ending change). */
  clear(tx: Change): void {
    if (clearStage(this.kit.sql) > 0) this.#announce(tx);
  }

  #announce(tx: Change): void {
    tx.emit({ type: "stage", tracks: stageTracks(this.kit.sql) });
  }
}
