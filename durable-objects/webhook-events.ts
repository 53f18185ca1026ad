/**
 * The room's webhook events (`show.started`, `show.ended`, `order.created`,
 * `order.paid`, `order.cancelled`, `product.sold_out`): queued in the outbox
 * under the `webhook` topic in the same transaction as the change, then
 * written to D1's webhook tables (with their fan-out to endpoints) in the
 * outbox's D1 batch, together with the order rows of the same drain, and
 * handed to the webhook queue after that batch (worker/webhooks/events.ts).
 */
import { eventStatements, handOverEvents, newEventId, type EventType, type WebhookEvent } from "../worker/webhooks/events.ts";
import type { OutboxEntry, TopicWriter } from "./outbox.ts";
import type { Change } from "./room-kit.ts";
import { showRow } from "./show.ts";

/** Events of one room get strictly increasing times, so two in the same millisecond keep their order for receivers. */
let lastAt = 0;

/** Queues a webhook event of this room in the change `tx`. */
export function queueWebhook(tx: Change, sql: SqlStorage, type: EventType, data: Record<string, unknown>, now: number): void {
  const show = showRow(sql);
  if (!show) return;
  lastAt = Math.max(now, lastAt + 1);
  const event: WebhookEvent = { id: newEventId(), shopId: show.shop_id, roomId: show.room_id, type, data, at: lastAt };
  tx.enqueue("webhook", event.id, 1, event);
}

const eventOf = (entry: OutboxEntry) => JSON.parse(entry.payload!) as WebhookEvent;

export const writeWebhookEvents: TopicWriter = async ({ db }, entries) => entries.flatMap((entry) => eventStatements(db, eventOf(entry)));

/** After the batch: onto the queue (a failure here is the sweep's to repair). */
export const handOverWebhookEvents = (env: Env, entries: OutboxEntry[]) => handOverEvents(env, entries.map((e) => eventOf(e).id));

/** The show as webhook payloads describe it. */
export const showData = (sql: SqlStorage) => {
  const show = showRow(sql)!;
  return { roomId: show.room_id, shopId: show.shop_id, title: show.title, status: show.status, startsAt: show.starts_at };
};
