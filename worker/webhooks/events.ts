/**
 * Webhook events: what a shop can subscribe to, how an event is written
 * (in the same D1 batch as the change it reports, fanned out at once to a
 * delivery per subscribed endpoint) and how its deliveries are handed to the
 * webhook queue. A hand-over that fails loses nothing: a delivery not on the
 * queue keeps `queued_at` NULL and the sweep (`sweepDeliveries`, from the cron
 * and from every queue batch) hands it over later.
 */
import { randomBase62 } from "../../durable-objects/random-ids.ts";

export const EVENT_TYPES = [
  "show.scheduled",
  "show.started",
  "show.ended",
  "replay.ready",
  "order.created",
  "order.paid",
  "order.cancelled",
  "order.fulfilled",
  "product.sold_out",
  "rsvp.created",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The endpoint's test event (`POST …/test`); it goes to that endpoint only. */
export const PING = "ping";

/** A webhook event as the room or a route describes it, before it is written. */
export type WebhookEvent = {
  /** `msg_…`: the `webhook-id` header, the same on every attempt. */
  id: string;
  shopId: string;
  roomId: string | null;
  type: EventType | typeof PING;
  data: Record<string, unknown>;
  /** When it happened (ms since the epoch). */
  at: number;
};

/** What travels on the queue: one delivery to deliver. */
export type DeliveryMessage = { deliveryId: string };

export const newEventId = () => `msg_${randomBase62(24)}`;
export const newEndpointId = () => `we_${randomBase62(16)}`;

/** The body receivers get (Standard Webhooks' convention). */
export const payloadOf = (event: WebhookEvent) => JSON.stringify({ type: event.type, timestamp: new Date(event.at).toISOString(), data: event.data });

/**
 * The statements that write an event and a pending delivery to every enabled endpoint of its shop subscribed to its
 * type; put them in the same `db.batch` as the change. Idempotent: writing the same event again changes nothing.
 * `onlyIfChanged`: written only if the statement just before them in the batch changed a row (a guarded update).
 */
export function eventStatements(db: D1Database, event: WebhookEvent, { onlyIfChanged = false, now = Date.now() } = {}): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO webhook_events (id, shop_id, room_id, type, payload, occurred_at, created_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${onlyIfChanged ? "changes() = 1" : "true"}
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(event.id, event.shopId, event.roomId, event.type, payloadOf(event), event.at, now),
    db
      .prepare(
        `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, room_id, occurred_at, status, attempts, created_at)
         SELECT 'whd_' || lower(hex(randomblob(10))), ?1, e.id, ?2, ?3, 'pending', 0, ?4 FROM webhook_endpoints e
         WHERE e.shop_id = ?5 AND e.enabled = 1 AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = ?6)
           AND EXISTS (SELECT 1 FROM webhook_events w WHERE w.id = ?1)
         ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
      )
      .bind(event.id, event.roomId, event.at, now, event.shopId, event.type),
  ];
}

/** Hands the deliveries of these events that are not on the queue yet to it. Never throws: the sweep retries. */
export async function handOverEvents(env: Env, eventIds: string[]): Promise<void> {
  if (!eventIds.length) return;
  try {
    const { results } = await env.DB.prepare(
      "SELECT id FROM webhook_deliveries WHERE event_id IN (SELECT value FROM json_each(?)) AND status = 'pending' AND queued_at IS NULL",
    )
      .bind(JSON.stringify(eventIds))
      .all<{ id: string }>();
    await queueDeliveries(env, results.map((r) => r.id));
  } catch (error) {
    console.warn("webhooks: handing events to the queue failed; the sweep will", String(error));
  }
}

/**
 * Marks deliveries queued, then puts them on the queue; if the queue refuses, they are marked unqueued again and
 * this throws. Marked first, so a consumer that takes one at once and sets it aside (waiting its turn) is not undone.
 */
export async function queueDeliveries(env: Env, deliveryIds: string[]): Promise<void> {
  for (let i = 0; i < deliveryIds.length; i += 100) {
    const ids = JSON.stringify(deliveryIds.slice(i, i + 100));
    const { results } = await env.DB.prepare("UPDATE webhook_deliveries SET queued_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND status = 'pending' RETURNING id")
      .bind(Date.now(), ids)
      .all<{ id: string }>();
    if (!results.length) continue;
    try {
      await env.WEBHOOK_QUEUE.sendBatch(results.map(({ id }) => ({ body: { deliveryId: id } satisfies DeliveryMessage, contentType: "json" as const })));
    } catch (error) {
      await env.DB.prepare("UPDATE webhook_deliveries SET queued_at = NULL WHERE id IN (SELECT value FROM json_each(?))").bind(ids).run();
      throw error;
    }
  }
}

/** A delivery on the queue longer than this without an outcome is taken as lost and handed over again (the longest retry delay is 12 h). */
const LOST_AFTER_MS = 13 * 3600_000;
/** Younger ones are left to the hand-over that follows their write. */
const SETTLE_MS = 10_000;

/** Hands over what was written but never queued (a failed queue send, a crash in between), or was lost. */
export async function sweepDeliveries(env: Env, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
     WHERE d.status = 'pending' AND e.enabled = 1 AND ((d.queued_at IS NULL AND d.created_at <= ?1) OR d.queued_at <= ?2)
     ORDER BY d.occurred_at LIMIT 500`,
  )
    .bind(now - SETTLE_MS, now - LOST_AFTER_MS)
    .all<{ id: string }>();
  await queueDeliveries(env, results.map((r) => r.id));
  return results.length;
}

/** Writes events on their own (a change that is not a D1 write, e.g. a ping) and hands them over. */
export async function recordEvents(env: Env, events: WebhookEvent[]): Promise<void> {
  await env.DB.batch(events.flatMap((e) => eventStatements(env.DB, e)));
  await handOverEvents(env, events.map((e) => e.id));
}
