/**
 * A show's private rehearsal: a second Room for the same show, named after
 * it (`r_….rehearsal`), set up from the show's listing with fresh counters.
 * Its stock, orders, chat, deals and stage are its own; it writes nothing
 * outside itself (no order reaches D1, no buyer or reminder email goes), so
 * its orders are test orders that only its studio lists.
 */
export const REHEARSAL_SUFFIX = ".rehearsal";

/** A room id, or a rehearsal's address (its show's id + `.rehearsal`). */
export const ROOM_ADDRESS = /^(r_[0-9A-Za-z]{16})(\.rehearsal)?$/;

export const isRehearsal = (roomId: string) => roomId.endsWith(REHEARSAL_SUFFIX);

export const rehearsalOf = (roomId: string) => `${roomId}${REHEARSAL_SUFFIX}`;

/** The show a room address belongs to: the id itself, or the show a rehearsal rehearses. */
export const showOf = (address: string) => (isRehearsal(address) ? address.slice(0, -REHEARSAL_SUFFIX.length) : address);
