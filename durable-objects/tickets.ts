/**
 * Socket tickets. A page never puts a key in a WebSocket URL (URLs end up in
 * request logs): it trades its key, over HTTP and in a header, for a ticket
 * that opens one socket, once, within TICKET_TTL_MS. The ticket says who the
 * socket is (role and the viewer's server-issued identity); the Worker
 * redeems it before the room accepts the socket. Only hashes are stored.
 */
import type { Role } from "./protocol.ts";
import type { Peer, RoomFeature, RoomKit } from "./room-kit.ts";

export const TICKET_TTL_MS = 30_000;

export const ticketsSchema: RoomFeature["schema"] = {
  2: `CREATE TABLE IF NOT EXISTS socket_tickets (
        hash       TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('host', 'guest', 'viewer')),
        viewer_id  TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS socket_tickets_expiry ON socket_tickets (expires_at);`,
  // Moderators get tickets too. SQLite cannot change a CHECK in place: the table is copied.
  4: `CREATE TABLE socket_tickets_next (
        hash       TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('host', 'guest', 'viewer', 'moderator')),
        viewer_id  TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      INSERT INTO socket_tickets_next SELECT hash, role, viewer_id, expires_at FROM socket_tickets;
      DROP TABLE socket_tickets;
      ALTER TABLE socket_tickets_next RENAME TO socket_tickets;
      CREATE INDEX socket_tickets_expiry ON socket_tickets (expires_at);`,
};

export class Tickets implements RoomFeature {
  readonly schema = ticketsSchema;

  constructor(private readonly kit: RoomKit) {}

  /** Records a ticket (by its hash); returns when it expires. */
  issue(hash: string, peer: Peer): number {
    const now = this.kit.now();
    const expiresAt = now + TICKET_TTL_MS;
    this.kit.storage.transactionSync(() => {
      this.kit.sql.exec("DELETE FROM socket_tickets WHERE expires_at <= ?", now);
      this.kit.sql.exec("INSERT INTO socket_tickets (hash, role, viewer_id, expires_at) VALUES (?, ?, ?, ?)", hash, peer.role, peer.viewerId, expiresAt);
    });
    return expiresAt;
  }

  /** Who the ticket admits, once; null when it is unknown, used or expired. */
  redeem(hash: string): Peer | null {
    const row = this.kit.sql
      .exec<{ role: Role; viewer_id: string; expires_at: number }>("DELETE FROM socket_tickets WHERE hash = ? RETURNING role, viewer_id, expires_at", hash)
      .toArray()[0];
    if (!row || row.expires_at <= this.kit.now()) return null;
    return { role: row.role, viewerId: row.viewer_id };
  }
}
