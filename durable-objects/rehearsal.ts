/**
 * A show's private rehearsal: a second Room for the same show, named after
 * it (`r_….rehearsal`), set up from the show's listing with fresh counters.
 * Its stock, orders, chat, deals and stage are its own; it writes nothing
 * outside itself (no order reaches D1, no buyer or reminder email goes), so
 * its orders are test orders that only its studio lists.
 *
 * A rehearsal is over when its show leaves the schedule: going live or
 * ending (cancelled) queues, in that change, the end of its rehearsal, which
 * the outbox then asks of the rehearsal's room (retried until it answers).
 */
import type { TopicSender } from "./outbox.ts";
import { isRehearsal, REHEARSAL_SUFFIX } from "./protocol.ts";
import type { Change } from "./room-kit.ts";

export { isRehearsal, REHEARSAL_SUFFIX };

/** A room id, or a rehearsal's address (its show's id + `.rehearsal`). */
export const ROOM_ADDRESS = /^(r_[0-9A-Za-z]{16})(\.rehearsal)?$/;

export const rehearsalOf = (roomId: string) => `${roomId}${REHEARSAL_SUFFIX}`;

/** The show a room address belongs to: the id itself, or the show a rehearsal rehearses. */
export const showOf = (address: string) => (isRehearsal(address) ? address.slice(0, -REHEARSAL_SUFFIX.length) : address);

/** The show went live or ended: its rehearsal, if it has one, ends too (a real show's room only). */
export function endRehearsalWithShow(tx: Change, roomId: string): void {
  if (!isRehearsal(roomId)) tx.enqueue("rehearsal", "end", 1);
}

/** The outbox's sender for that: the rehearsal's room empties itself (nothing happens where there is none). */
export const sendRehearsalEnd: TopicSender = async ({ env, show }) => {
  await env.Room.getByName(rehearsalOf(show.room_id)).endRehearsal();
};
