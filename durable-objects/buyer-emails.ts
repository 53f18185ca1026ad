/**
 * The buyer's order confirmation, sent by the room's outbox: the entry is
 * queued in the transaction that confirms the order (orders.ts), so an order
 * the room acknowledged gets its email even if the Worker, the room or the
 * email queue fails at that moment; the outbox retries until the email queue
 * (worker/email/) holds it, and the queue retries until it is sent.
 */
import { sendEmail } from "../worker/email/send-email.ts";
import { confirmationEmail } from "../worker/fulfilment/order-emails.ts";
import { findOrder, toOrder, type Notify } from "./orders.ts";
import type { TopicSender } from "./outbox.ts";

export const sendBuyerEmails: TopicSender = async ({ db, sql, show, env }, entry) => {
  const row = findOrder(sql, entry.key.slice("confirmed:".length));
  // Nothing (left) to say: the entry is done.
  if (!row?.notify) return;
  const notify = JSON.parse(row.notify) as Notify;
  const contact = await db
    .prepare("SELECT contact_email, contact_phone FROM shop_pickup WHERE shop_id = ?")
    .bind(show.shop_id)
    .first<{ contact_email: string | null; contact_phone: string | null }>();
  await sendEmail(
    env,
    confirmationEmail({
      order: toOrder(row, show),
      shop: { name: show.shop_name, contactEmail: contact?.contact_email ?? null, contactPhone: contact?.contact_phone ?? null },
      show: { title: show.title },
      origin: notify.origin,
      token: row.token,
      language: notify.language,
    }),
  );
};
