/**
 * When "Remind me" emails go, by the room's own clock: the viewers'
 * reminder 15 minutes before the start (`soon`), the assigned hosts' 10
 * minutes before (`host`), "we're live" when the show goes live (`live`),
 * and, while live, "this is on" when the host pins a product someone asked
 * about (`product:{productId}`). Each is handed to the outbox once
 * (`reminder_runs`), in the same transaction that decided it; the outbox's
 * sender (reminder-sender.ts) then records every recipient in D1 and queues
 * their emails, exactly once each across retries and restarts.
 *
 * The planned start is read from the show each time the clock is asked, so
 * a start the console moves moves its reminders; a cancelled (ended) show
 * has none left to send. A clocked reminder is kept by the start it was
 * for (`soon@{start ms}`), so when a start moves after its reminder went,
 * the new start gets its own: "starts in 15 minutes" is true again then.
 */
import type { Change, RoomFeature, RoomKit } from "./room-kit.ts";
import { showRow } from "./show.ts";

/** How long before the start each clocked reminder goes. */
export const REMINDER_LEAD_MS = { soon: 15 * 60_000, host: 10 * 60_000 } as const;
type Clocked = keyof typeof REMINDER_LEAD_MS;

/** A clocked reminder's run, for one planned start: `soon@1767200000000`. */
export const clockedKey = (kind: Clocked, start: number) => `${kind}@${start}`;

/** What a reminder's key says: its kind ("soon", "host", "live", "product:…") and, for a clocked one, the start it was for. */
export function reminderKey(key: string): { kind: string; forStart: number | null } {
  const at = key.indexOf("@");
  return at < 0 ? { kind: key, forStart: null } : { kind: key.slice(0, at), forStart: Number(key.slice(at + 1)) };
}

export const remindersSchema: RoomFeature["schema"] = {
  8: `CREATE TABLE reminder_runs (
        kind TEXT PRIMARY KEY,
        at   INTEGER NOT NULL
      );`,
};

export class Reminders implements RoomFeature {
  readonly schema = remindersSchema;

  constructor(private readonly kit: RoomKit) {}

  nextDue(): number | null {
    const due = this.#clocked().map(({ at }) => at);
    return due.length ? Math.min(...due) : null;
  }

  onDue(now: number): void {
    const due = this.#clocked().filter(({ at }) => at <= now);
    if (!due.length) return;
    const start = Date.parse(showRow(this.kit.sql)!.starts_at!);
    this.kit.commit((tx) => {
      // A reminder whose show should already have started says nothing true any more: it is spent, not sent.
      for (const { key } of due) this.#run(tx, key, now < start);
    });
  }

  /**
   * The show changed (status, pin or planned start), in that change's
   * transaction: going live sends "we're live", a pin while live sends
   * that product's alerts, and any change may move the clock.
   */
  onShowChange(tx: Change): void {
    const show = showRow(this.kit.sql);
    if (show?.status === "live") {
      this.#run(tx, "live");
      if (show.pinned_product_id) this.#run(tx, `product:${show.pinned_product_id}`);
    }
    tx.rearm();
  }

  /**
   * Someone joined the reminders after some reminders' time came: an RSVP
   * confirmed for a show 14 minutes away or already live, or a host
   * assigned 9 minutes before the start. Each of those reminders that still
   * says something true runs again (`only` the host's, for a host). The
   * sender records only recipients it has not recorded yet, so nobody gets
   * one twice.
   */
  recipientsAdded(only?: "host"): void {
    const show = showRow(this.kit.sql);
    if (!show) return;
    const now = this.kit.now();
    const start = show.starts_at ? Date.parse(show.starts_at) : null;
    const ran = this.kit.sql.exec<{ kind: string }>("SELECT kind FROM reminder_runs").toArray().map((r) => r.kind);
    const stillTrue = (key: string) => {
      const { kind, forStart } = reminderKey(key);
      if (only && kind !== only) return false;
      return kind === "soon" || kind === "host"
        ? show.status === "scheduled" && start !== null && now < start && (forStart === null || forStart === start)
        : show.status === "live" && (kind === "live" || kind === `product:${show.pinned_product_id}`);
    };
    const again = ran.filter(stillTrue);
    if (again.length) this.kit.commit((tx) => again.forEach((kind) => tx.enqueue("reminder", kind, now)));
  }

  /** The clocked reminders of the planned start not yet run, with when each is due; none unless the show is scheduled with a start. */
  #clocked(): Array<{ key: string; at: number }> {
    const show = showRow(this.kit.sql);
    if (show?.status !== "scheduled" || !show.starts_at) return [];
    const start = Date.parse(show.starts_at);
    const ran = new Set(this.kit.sql.exec<{ kind: string }>("SELECT kind FROM reminder_runs").toArray().map((r) => r.kind));
    return (Object.keys(REMINDER_LEAD_MS) as Clocked[])
      .map((kind) => ({ key: clockedKey(kind, start), at: start - REMINDER_LEAD_MS[kind] }))
      .filter(({ key }) => !ran.has(key));
  }

  /** Marks a reminder run (once) and, when `send`, queues it for the outbox's sender. */
  #run(tx: Change, kind: string, send = true): void {
    const fresh = this.kit.sql.exec("INSERT INTO reminder_runs (kind, at) VALUES (?, ?) ON CONFLICT (kind) DO NOTHING RETURNING kind", kind, this.kit.now()).toArray().length > 0;
    if (fresh && send) tx.enqueue("reminder", kind, 1);
  }
}
