/**
 * A developer's own events (a quiz, an overlay, a bot), posted into the room
 * through the API (`POST /api/rooms/{id}/events`, worker/extensions/). Each
 * is a `custom` event of the log: numbered, timed by the room's clock, sent
 * to every socket and to the event stream, and kept for the replay.
 *
 * Taken while the show is scheduled or live; after the end the room refuses
 * them (its replay re-runs the ones posted while it was live). A retried
 * post with the same Idempotency-Key counts once: the key, a hash of the
 * body and what the first post made are kept with the event, in the same
 * transaction. Per room, a token bucket (in memory, as the viewers' limits:
 * eviction only refills it) keeps a script from flooding every viewer's page.
 */
import type { RateLimits } from "./rate-limits.ts";
import { refuse, type Refusal } from "./refusal.ts";
import type { RoomFeature, RoomKit } from "./room-kit.ts";
import { showRow } from "./show.ts";
import { randomBase62 } from "./random-ids.ts";

export const customEventsSchema: RoomFeature["schema"] = {
  13: `CREATE TABLE custom_event_keys (
         idempotency_key TEXT PRIMARY KEY,
         request_hash    TEXT NOT NULL,
         id              TEXT NOT NULL,
         seq             INTEGER NOT NULL,
         at              INTEGER NOT NULL
       );`,
};

export type PostEvent = {
  /** `x-…`, checked by the Worker's schema (and by the protocol's, on every page). */
  name: string;
  data: unknown;
  idempotencyKey: string | null;
  /** SHA-256 of the request's body: the same key with another body is refused. */
  requestHash: string;
};

export type Posted = { ok: true; id: string; seq: number; at: number; replayed: boolean };

export class CustomEvents implements RoomFeature {
  readonly schema = customEventsSchema;

  constructor(
    private readonly kit: RoomKit,
    private readonly limits: RateLimits,
  ) {}

  post(input: PostEvent): Posted | Refusal {
    const sql = this.kit.sql;
    const show = showRow(sql);
    if (!show) return refuse("not_found", "No show exists with this id.");
    // Before the limit and the end: a retry of a post that was taken gets its answer, whatever happened since.
    if (input.idempotencyKey) {
      const earlier = sql
        .exec<{ request_hash: string; id: string; seq: number; at: number }>(
          "SELECT request_hash, id, seq, at FROM custom_event_keys WHERE idempotency_key = ?",
          input.idempotencyKey,
        )
        .toArray()[0];
      if (earlier && earlier.request_hash !== input.requestHash) {
        return refuse("idempotency_key_reused", "This Idempotency-Key was already used for another event. Use a new key for a new event.");
      }
      if (earlier) return { ok: true, id: earlier.id, seq: earlier.seq, at: earlier.at, replayed: true };
    }
    if (show.status === "ended") {
      return refuse("show_ended", "The show has ended: custom events are taken while it is scheduled or live (its replay re-runs those posted live).");
    }
    const wait = this.limits.take("customEvent", "room");
    if (wait > 0) return { ...refuse("rate_limited", "Too many custom events in this room; wait a moment (a burst of 10, then 2 a second)."), retryAfterMs: wait };
    const at = this.kit.now();
    const event = this.kit.commit((tx) => {
      const event = tx.emit({ type: "custom", id: `ev_${randomBase62(16)}`, name: input.name, data: input.data, at });
      if (input.idempotencyKey) {
        sql.exec(
          "INSERT INTO custom_event_keys (idempotency_key, request_hash, id, seq, at) VALUES (?, ?, ?, ?, ?)",
          input.idempotencyKey, input.requestHash, event.id, event.seq, at,
        );
      }
      return event;
    });
    return { ok: true, id: event.id, seq: event.seq, at, replayed: false };
  }
}
