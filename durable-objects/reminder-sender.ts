/**
 * Who gets a reminder, and handing their emails to the email queue, exactly
 * once each. Run by the room's outbox for a `reminder` entry (reminders.ts
 * queued it in the change that decided it):
 *
 *  1. every recipient is recorded in D1's `reminder_sends` (one row per
 *     recipient and reminder; a row already there stays as it is);
 *  2. each recorded row not yet queued gets its email queued, then is
 *     marked queued.
 *
 * A room killed between the two steps, or mid-way through the second, keeps
 * the outbox entry and runs it again after its restart: what was recorded
 * but never queued still goes. An email queued twice that way is sent once:
 * the queue's consumer claims the row first (worker/reminders/send-once.ts).
 */
import { sendEmails, type Email } from "../worker/email/send-email.ts";
import { hostReminderEmail, reminderEmail, type ReminderKind } from "../worker/reminders/reminder-emails.ts";
import { unsubscribeToken } from "../worker/reminders/rsvps.ts";
import type { TopicSender } from "./outbox.ts";
import { reminderKey } from "./reminders.ts";
import { productRow, type ShowRow } from "./show.ts";

type Recipient = { recipient: string; email: string; locale: string | null; time_zone: string | null; origin: string | null };

/**
 * Whether a reminder still says something true: the clocked ones before the show, for the start it plans now
 * (one for a start since moved is spent: the new start has its own); the others while it is live.
 */
function stillTrue(key: string, show: ShowRow): boolean {
  const { kind, forStart } = reminderKey(key);
  if (kind !== "soon" && kind !== "host") return show.status === "live";
  return show.status === "scheduled" && (forStart === null || (show.starts_at !== null && forStart === Date.parse(show.starts_at)));
}

export const sendReminders: TopicSender = async ({ db, sql, show, env }, entry) => {
  // Each recipient's row is kept under the whole key, so a moved start's reminder is a row of its own.
  const key = entry.key;
  if (!stillTrue(key, show)) return;
  const base = reminderKey(key).kind;
  const productId = base.startsWith("product:") ? base.slice("product:".length) : null;
  const now = Date.now();
  const record =
    base === "host"
      ? db
          .prepare(
            `INSERT INTO reminder_sends (room_id, recipient, kind, recorded_at)
             SELECT h.room_id, 'host:' || h.account_id, ?2, ?3 FROM show_hosts h JOIN accounts a ON a.id = h.account_id
             WHERE h.room_id = ?1 AND a.email IS NOT NULL ON CONFLICT DO NOTHING`,
          )
          .bind(show.room_id, key, now)
      : db
          .prepare(
            `INSERT INTO reminder_sends (room_id, recipient, kind, recorded_at)
             SELECT room_id, id, ?2, ?3 FROM rsvps WHERE room_id = ?1 AND status = 'active' AND product_id IS ?4 ON CONFLICT DO NOTHING`,
          )
          .bind(show.room_id, key, now, productId);
  await record.run();
  const { results } = await db
    .prepare(
      base === "host"
        ? `SELECT s.recipient, a.email, a.locale, NULL AS time_zone, NULL AS origin FROM reminder_sends s
           JOIN accounts a ON 'host:' || a.id = s.recipient WHERE s.room_id = ? AND s.kind = ? AND s.queued_at IS NULL`
        : `SELECT s.recipient, r.email, r.locale, r.time_zone, r.origin FROM reminder_sends s
           JOIN rsvps r ON r.id = s.recipient WHERE s.room_id = ? AND s.kind = ? AND s.queued_at IS NULL`,
    )
    .bind(show.room_id, key)
    .all<Recipient>();
  if (!results.length) return;
  const origin = env.PUBLIC_URL || results.find((r) => r.origin)?.origin || "";
  const product = productId ? productRow(sql, productId) : undefined;
  const showOf = { roomId: show.room_id, title: show.title, startsAt: show.starts_at, shopName: show.shop_name };
  const emails: Email[] = await Promise.all(
    results.map(async (r) => {
      const ctx = { to: r.email, locale: r.locale, timeZone: r.time_zone, origin: r.origin ?? origin, show: showOf };
      const email =
        base === "host"
          ? hostReminderEmail(ctx)
          : reminderEmail({ ...ctx, product: product && { id: product.id, title: product.title } }, productId ? "product" : (base as ReminderKind), await unsubscribeToken(db, r.recipient));
      return { ...email, once: { recipient: r.recipient, kind: key } };
    }),
  );
  await sendEmails(env, emails);
  const marks = results.map((r) => db.prepare("UPDATE reminder_sends SET queued_at = ? WHERE recipient = ? AND kind = ?").bind(Date.now(), r.recipient, key));
  for (let i = 0; i < marks.length; i += 50) await db.batch(marks.slice(i, i + 50));
};
