/**
 * Exactly once per recipient and reminder, across retries and restarts.
 * The room records every recipient of a reminder in D1 (`reminder_sends`)
 * before it queues their emails, and re-queues any recorded row not yet
 * marked queued after a crash, so none is lost; a row may then be queued
 * twice. The email queue's consumer is where the second one stops: it
 * claims the row (a lease, so a consumer that died mid-send is taken over
 * after it), sends, and marks it sent; a message whose row is already sent
 * is acknowledged without sending. The one window left is a consumer killed
 * after Email Service took the email and before the row was marked: that
 * email may go twice, never zero times.
 */

/** How long a claim holds before another delivery may take over a send that never finished. */
export const CLAIM_MS = 2 * 60_000;

export type SendOnce = { recipient: string; kind: string };

/**
 * "send": this delivery may send; "done": sent already, or nothing to send
 * any more (its RSVP was unsubscribed since it was queued); "busy": another
 * delivery holds it (retry later).
 */
export async function claimSend(db: D1Database, once: SendOnce, now = Date.now()): Promise<"send" | "done" | "busy"> {
  const claimed = await db
    .prepare(
      `UPDATE reminder_sends SET claimed_at = ?1 WHERE recipient = ?2 AND kind = ?3 AND sent_at IS NULL
       AND (claimed_at IS NULL OR claimed_at < ?1 - ?4)
       AND NOT EXISTS (SELECT 1 FROM rsvps WHERE id = ?2 AND status != 'active') RETURNING 1 AS ok`,
    )
    .bind(now, once.recipient, once.kind, CLAIM_MS)
    .first();
  if (claimed) return "send";
  const row = await db
    .prepare("SELECT s.sent_at, r.status FROM reminder_sends s LEFT JOIN rsvps r ON r.id = s.recipient WHERE s.recipient = ? AND s.kind = ?")
    .bind(once.recipient, once.kind)
    .first<{ sent_at: number | null; status: string | null }>();
  // No row: nothing was recorded for it (a malformed or foreign message); nothing to send.
  if (!row || row.sent_at !== null || (row.status !== null && row.status !== "active")) return "done";
  return "busy";
}

/** Email Service took it. */
export async function markSent(db: D1Database, once: SendOnce): Promise<void> {
  await db.prepare("UPDATE reminder_sends SET sent_at = ? WHERE recipient = ? AND kind = ?").bind(Date.now(), once.recipient, once.kind).run();
}

/** The send failed: another delivery may try at once. */
export async function releaseClaim(db: D1Database, once: SendOnce): Promise<void> {
  await db.prepare("UPDATE reminder_sends SET claimed_at = NULL WHERE recipient = ? AND kind = ? AND sent_at IS NULL").bind(once.recipient, once.kind).run();
}
