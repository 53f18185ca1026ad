/**
 * The webhook queue's consumer: signs each delivery with the `standardwebhooks`
 * package (`webhook-id` = the event's id, the same on every attempt;
 * `webhook-timestamp`; `webhook-signature`, two signatures for 24 h after a
 * rotation), POSTs it with a timeout and records the attempt.
 *
 * Retries: attempt n+1 follows attempt n after min(12 h, base·2^(n−1)) with
 * base = 30 s — 30 s, 1 min, 2 min, … 4 h 16 min, 8 h 32 min, 12 h: 13
 * attempts over about 29 hours (the README's table). After the last one the
 * delivery is failed (a manual redelivery starts it again).
 *
 * Order per (endpoint, show): a delivery waits while an earlier event of
 * the same show to the same endpoint is still pending. Waiting, it is taken
 * off the queue (acked, `queued_at` NULL); when the earlier one ends
 * (delivered or failed), the next one of that show is queued at once (and
 * the sweep would find it anyway).
 *
 * An endpoint whose attempts have all failed for more than 24 hours is
 * disabled, and its shop's owner gets an email in their language.
 */
import { Webhook } from "standardwebhooks";
import { z } from "@hono/zod-openapi";
import { sendEmail } from "../email/send-email.ts";
import { queueDeliveries, sweepDeliveries } from "./events.ts";
import { disabledEmail } from "./disabled-email.ts";
import { openSecret } from "./secrets.ts";
import { addressProblem } from "./urls.ts";

export const MAX_ATTEMPTS = 13;
export const DISABLE_AFTER_MS = 24 * 3600_000;
const TIMEOUT_MS = 10_000;
const EXCERPT = 500;

/** Seconds to wait after the `attempts`-th failed attempt. */
export const retryDelaySeconds = (attempts: number, base = 30) => Math.min(12 * 3600, base * 2 ** Math.max(0, attempts - 1));

export const isWebhookQueue = (queue: string) => queue.startsWith("shop-along-webhooks");

const Message = z.object({ deliveryId: z.string() });

type DeliveryRow = {
  id: string;
  event_id: string;
  endpoint_id: string;
  room_id: string | null;
  occurred_at: number;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  payload: string;
  at: number;
  url: string;
  enabled: number;
  secret: string;
  previous_secret: string | null;
  previous_until: number | null;
  shop_id: string;
};

export async function deliverWebhooks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = Message.safeParse(message.body);
    if (!parsed.success) {
      console.error("webhook queue: dropping a malformed message", message.id);
      message.ack();
      continue;
    }
    try {
      const retryIn = await deliverOnce(env, parsed.data.deliveryId);
      if (retryIn === null) message.ack();
      else message.retry({ delaySeconds: retryIn });
    } catch (error) {
      // D1 failing under us: nothing was decided, try the same attempt again soon.
      console.error("webhook delivery could not run, will retry", parsed.data.deliveryId, String(error));
      message.retry({ delaySeconds: 10 });
    }
  }
  // What a failed hand-over left behind goes now too.
  await sweepDeliveries(env).catch((error) => console.warn("webhooks: sweep failed", String(error)));
}

const unqueue = (env: Env, id: string) => env.DB.prepare("UPDATE webhook_deliveries SET queued_at = NULL WHERE id = ?").bind(id).run();

/** One attempt of one delivery; the delay before the next, or null when this message is done. */
export async function deliverOnce(env: Env, deliveryId: string): Promise<number | null> {
  const d = await env.DB.prepare(
    `SELECT d.id, d.event_id, d.endpoint_id, d.room_id, d.occurred_at, d.status, d.attempts, v.payload, v.occurred_at AS at,
            e.url, e.enabled, e.secret, e.previous_secret, e.previous_until, e.shop_id
     FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?`,
  )
    .bind(deliveryId)
    .first<DeliveryRow>();
  if (!d || d.status !== "pending") return null;
  // Disabled: it waits off the queue; enabling the endpoint queues what waits.
  if (!d.enabled) return (await unqueue(env, d.id), null);
  if (d.room_id && (await earlierPending(env.DB, d))) return (await unqueue(env, d.id), null);

  const started = Date.now();
  const attempt = await attemptDelivery(env, d);
  const latency = Date.now() - started;
  const number = (await env.DB.prepare("SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id = ?").bind(d.id).first<{ n: number }>())!.n + 1;
  const now = Date.now();
  const record = env.DB.prepare("INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempt, status, ok, latency_ms, response, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").bind(
    d.id, d.endpoint_id, number, attempt.status, attempt.ok ? 1 : 0, latency, attempt.response.slice(0, EXCERPT), now,
  );
  if (attempt.ok) {
    await env.DB.batch([
      record,
      env.DB.prepare("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ? WHERE id = ?").bind(now, d.id),
      env.DB.prepare("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?").bind(d.endpoint_id),
    ]);
    await queueNextOfShow(env, d);
    return null;
  }
  const attempts = d.attempts + 1;
  const last = attempts >= MAX_ATTEMPTS;
  const [, , failing] = await env.DB.batch<{ failing_since: number }>([
    record,
    env.DB.prepare(`UPDATE webhook_deliveries SET attempts = ?, status = ? WHERE id = ?`).bind(attempts, last ? "failed" : "pending", d.id),
    env.DB.prepare("UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?) WHERE id = ? RETURNING failing_since").bind(now, d.endpoint_id),
  ]);
  const since = failing?.results[0]?.failing_since ?? now;
  if (now - since > DISABLE_AFTER_MS) await disableFailing(env, d.endpoint_id, since);
  if (last) {
    await queueNextOfShow(env, d);
    return null;
  }
  return retryDelaySeconds(attempts, Number(env.WEBHOOK_RETRY_BASE_SECONDS) || 30);
}

/** Whether an earlier event of the same show to the same endpoint is still to be delivered. */
async function earlierPending(db: D1Database, d: DeliveryRow): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT 1 AS x FROM webhook_deliveries WHERE endpoint_id = ?1 AND room_id = ?2 AND status = 'pending' AND id != ?3
       AND (occurred_at < ?4 OR (occurred_at = ?4 AND event_id < ?5)) LIMIT 1`,
    )
    .bind(d.endpoint_id, d.room_id, d.id, d.occurred_at, d.event_id)
    .first();
  return row !== null;
}

/** The earliest waiting delivery of the same show to the same endpoint, onto the queue. */
async function queueNextOfShow(env: Env, d: DeliveryRow): Promise<void> {
  if (!d.room_id) return;
  const next = await env.DB.prepare(
    `SELECT id, queued_at FROM webhook_deliveries WHERE endpoint_id = ? AND room_id = ? AND status = 'pending' ORDER BY occurred_at, event_id LIMIT 1`,
  )
    .bind(d.endpoint_id, d.room_id)
    .first<{ id: string; queued_at: number | null }>();
  if (next && next.queued_at === null) await queueDeliveries(env, [next.id]).catch(() => undefined);
}

type Attempt = { ok: boolean; status: number | null; response: string };

async function attemptDelivery(env: Env, d: DeliveryRow): Promise<Attempt> {
  const blocked = await addressProblem(d.url, env);
  if (blocked) return { ok: false, status: null, response: `not sent: ${blocked}` };
  const secrets = [await openSecret(env.DB, d.secret)];
  if (d.previous_secret && (d.previous_until ?? 0) > Date.now()) secrets.push(await openSecret(env.DB, d.previous_secret));
  const timestamp = new Date();
  const signature = secrets.map((s) => new Webhook(s).sign(d.event_id, timestamp, d.payload)).join(" ");
  try {
    const res = await fetch(d.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "shop-along-webhooks/1",
        "webhook-id": d.event_id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: d.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text().catch(() => "");
    return { ok: res.status >= 200 && res.status < 300, status: res.status, response: text.slice(0, EXCERPT) };
  } catch (error) {
    return { ok: false, status: null, response: String(error).slice(0, EXCERPT) };
  }
}

/** Tells the shop's owner, in their language, then disables the endpoint; an email that could not be queued is tried again on the next failure. */
async function disableFailing(env: Env, endpointId: string, since: number): Promise<void> {
  const endpoint = await env.DB.prepare("SELECT shop_id, url FROM webhook_endpoints WHERE id = ? AND enabled = 1").bind(endpointId).first<{ shop_id: string; url: string }>();
  if (!endpoint) return;
  const { results } = await env.DB.prepare(
    `SELECT a.email, a.locale, s.name FROM memberships m JOIN accounts a ON a.id = m.account_id JOIN shops s ON s.id = m.shop_id
     WHERE m.shop_id = ? AND m.role = 'owner' AND a.email IS NOT NULL`,
  )
    .bind(endpoint.shop_id)
    .all<{ email: string; locale: string | null; name: string }>();
  for (const owner of results) {
    await sendEmail(env, disabledEmail({ to: owner.email, locale: owner.locale, shopName: owner.name, url: endpoint.url, since, origin: env.PUBLIC_URL }));
  }
  await env.DB.prepare("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = 'failing', updated_at = ? WHERE id = ? AND enabled = 1").bind(Date.now(), endpointId).run();
}
