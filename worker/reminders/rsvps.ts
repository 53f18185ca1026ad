/**
 * RSVPs in D1: a viewer's request for email reminders of a show (or of one
 * of its products), pending until the address confirms it (double opt-in),
 * then active until unsubscribed. The confirmation token is random and kept
 * only as its hash; the unsubscribe token is an HMAC of the RSVP's id (so
 * every reminder can carry it, and nothing about it is stored).
 */
import { eventStatements, handOverEvents, newEventId, type WebhookEvent } from "../webhooks/events.ts";
import { randomBase62 } from "../../durable-objects/random-ids.ts";
import { hmacSha256Hex, sameSecret, sha256Hex } from "../digests.ts";
import { serverSecret } from "../server-secrets.ts";

export type RsvpRow = {
  id: string;
  room_id: string;
  email: string;
  product_id: string | null;
  locale: "en" | "zh-CN";
  time_zone: string | null;
  status: "pending" | "active" | "unsubscribed";
  origin: string;
};

export type RsvpRequest = { roomId: string; email: string; productId: string | null; locale: "en" | "zh-CN"; timeZone: string | null; origin: string };

const newRsvpId = () => `rv_${randomBase62(16)}`;
const newConfirmToken = () => `rc_${randomBase62(32)}`;
const UNSUBSCRIBE = /^us_(rv_[0-9A-Za-z]{16})\.([0-9a-f]{32})$/;

/**
 * Records a request and returns the confirmation token to email, or null
 * when the address is already confirmed for it (nothing to send; the caller
 * answers the same either way). A pending or unsubscribed one gets a new
 * token (the old link stops working).
 */
export async function requestRsvp(db: D1Database, request: RsvpRequest): Promise<{ row: RsvpRow; token: string } | null> {
  const token = newConfirmToken();
  const hash = await sha256Hex(token);
  const row = await db
    .prepare(
      `INSERT INTO rsvps (id, room_id, email, product_id, locale, time_zone, status, confirm_hash, origin, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9)
       ON CONFLICT (room_id, email, coalesce(product_id, '')) DO UPDATE SET
         confirm_hash = excluded.confirm_hash, locale = excluded.locale, time_zone = excluded.time_zone, origin = excluded.origin,
         status = 'pending'
       WHERE rsvps.status != 'active'
       RETURNING id, room_id, email, product_id, locale, time_zone, status, origin`,
    )
    .bind(newRsvpId(), request.roomId, request.email.trim().toLowerCase(), request.productId, request.locale, request.timeZone, hash, request.origin, Date.now())
    .first<RsvpRow>();
  return row ? { row, token } : null;
}

/** Confirms the RSVP whose token this is (once), with its `rsvp.created` webhook event in the same batch; null when the token opens nothing. */
export async function confirmRsvp(env: Env, token: string): Promise<RsvpRow | null> {
  const db = env.DB;
  const hash = await sha256Hex(token);
  const asked = await db
    .prepare("SELECT r.id, r.room_id, r.product_id, r.locale, m.shop_id FROM rsvps r JOIN rooms m ON m.id = r.room_id WHERE r.confirm_hash = ?")
    .bind(hash)
    .first<{ id: string; room_id: string; product_id: string | null; locale: string | null; shop_id: string }>();
  if (!asked) return null;
  const now = Date.now();
  // The buyer's address is theirs to give the shop through its own reminder list, not through webhooks.
  const event: WebhookEvent = {
    id: newEventId(), shopId: asked.shop_id, roomId: asked.room_id, type: "rsvp.created", at: now,
    data: { rsvpId: asked.id, roomId: asked.room_id, productId: asked.product_id, locale: asked.locale },
  };
  const [confirmed] = await db.batch<RsvpRow>([
    db
      .prepare(
        `UPDATE rsvps SET status = 'active', confirm_hash = NULL, confirmed_at = ?2, unsubscribed_at = NULL
         WHERE confirm_hash = ?1 RETURNING id, room_id, email, product_id, locale, time_zone, status, origin`,
      )
      .bind(hash, now),
    ...eventStatements(db, event, { onlyIfChanged: true, now }),
  ]);
  const row = confirmed?.results[0] ?? null;
  if (row) await handOverEvents(env, [event.id]);
  return row;
}

const sign = async (db: D1Database, rsvpId: string) => (await hmacSha256Hex(await serverSecret(db, "rsvp-unsubscribe"), `unsubscribe ${rsvpId}`)).slice(0, 32);

/** The token of every reminder's unsubscribe link. */
export const unsubscribeToken = async (db: D1Database, rsvpId: string) => `us_${rsvpId}.${await sign(db, rsvpId)}`;

/** Unsubscribes the RSVP a token names (repeating it changes nothing); false when the token is not ours. */
export async function unsubscribe(db: D1Database, token: string): Promise<boolean> {
  const match = UNSUBSCRIBE.exec(token);
  if (!match || !sameSecret(await sign(db, match[1]!), match[2]!)) return false;
  await db
    .prepare("UPDATE rsvps SET status = 'unsubscribed', unsubscribed_at = ?, confirm_hash = NULL WHERE id = ? AND status != 'unsubscribed'")
    .bind(Date.now(), match[1])
    .run();
  return true;
}

/** Active RSVPs of a room: how many, and how many there were at the end of each day they grew (for the chart). */
export async function rsvpCounts(db: D1Database, roomId: string): Promise<{ active: number; pending: number; series: Array<{ at: number; count: number }> }> {
  const [totals, confirmed] = await db.batch<Record<string, number>>([
    db
      .prepare("SELECT COALESCE(SUM(status = 'active'), 0) AS active, COALESCE(SUM(status = 'pending'), 0) AS pending FROM rsvps WHERE room_id = ?")
      .bind(roomId),
    db.prepare("SELECT confirmed_at AS at FROM rsvps WHERE room_id = ? AND status = 'active' ORDER BY confirmed_at").bind(roomId),
  ]);
  const series: Array<{ at: number; count: number }> = [];
  // One point per hour in which RSVPs were confirmed: the running total at that hour.
  for (const [i, row] of (confirmed!.results as Array<{ at: number }>).entries()) {
    const hour = row.at - (row.at % 3_600_000);
    const last = series.at(-1);
    if (last?.at === hour) last.count = i + 1;
    else series.push({ at: hour, count: i + 1 });
  }
  const t = totals!.results[0] as { active: number; pending: number };
  return { active: t.active, pending: t.pending, series };
}

/** The opted-in (active) addresses of a room, oldest first. */
export async function activeRsvps(db: D1Database, roomId: string) {
  const { results } = await db
    .prepare("SELECT email, product_id AS productId, locale, confirmed_at AS confirmedAt FROM rsvps WHERE room_id = ? AND status = 'active' ORDER BY confirmed_at, id")
    .bind(roomId)
    .all<{ email: string; productId: string | null; locale: string; confirmedAt: number }>();
  return results;
}
