/**
 * A shop's shows for its console: D1's list of its rooms, each with its
 * status, title and start now (from its Room) and what it sold (from D1's
 * orders); one show with what it lists (to duplicate it); and, until it
 * goes live, changing or cancelling it. The Room decides whether a change is
 * still allowed and tells its viewers at once; D1 then keeps its copy.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { roleIn } from "../accounts/accounts.ts";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { notFound } from "../errors.ts";
import { photoUrlOf } from "../media/served-file.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { unwrap } from "../refusals.ts";
import { EditShow, ShopParams, ShopShow, ShopShowDetails, ShopShows, ShowParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";
import { eventStatements, handOverEvents, newEventId, type WebhookEvent } from "../webhooks/events.ts";

export const shopShows = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** The newest this many; the console shows a first page. */
const SHOWS_LISTED = 50;

type ShowRow = { id: string; title: string; startsAt: string | null; createdAt: number; cancelledAt: number | null; recording: number; orders: number; revenueCents: number; rsvps: number };

/** Orders that count: placed and not given up (expired or cancelled). */
const SHOW_COLUMNS = `r.id, r.title, r.starts_at AS startsAt, r.created_at AS createdAt, r.cancelled_at AS cancelledAt, r.recording,
  (SELECT COUNT(*) FROM orders o WHERE o.room_id = r.id AND o.status IN ('awaiting_payment', 'confirmed')) AS orders,
  (SELECT COALESCE(SUM(o.total_cents), 0) FROM orders o WHERE o.room_id = r.id AND o.status IN ('awaiting_payment', 'confirmed')) AS revenueCents,
  (SELECT COUNT(*) FROM rsvps v WHERE v.room_id = r.id AND v.status = 'active') AS rsvps`;

/** A D1 row as the console shows it, with the Room's word on status, title and start. */
async function showOf(c: Context<AppEnv>, row: ShowRow): Promise<ShopShow> {
  const room = c.env.Room.getByName(row.id);
  const [state, times] = await Promise.all([room.getState(), room.liveTimes()]);
  const origin = c.env.PUBLIC_URL || new URL(c.req.url).origin;
  return {
    id: row.id,
    title: state?.title ?? row.title,
    status: state?.status ?? "scheduled",
    cancelled: row.cancelledAt !== null,
    startsAt: state ? state.startsAt : row.startsAt,
    createdAt: row.createdAt,
    liveAt: times.liveAt,
    endedAt: times.endedAt,
    viewerLink: `${origin}/r/${row.id}`,
    recording: row.recording === 1,
    orders: row.orders,
    revenueCents: row.revenueCents,
    rsvps: row.rsvps,
  };
}

async function findShow(c: Context<AppEnv>, roomId: string) {
  const row = await c.env.DB.prepare(
    `SELECT ${SHOW_COLUMNS}, r.description, r.cover_image_url AS coverImageUrl, ${photoUrlOf("r.trailer_r2_key")} AS trailerUrl FROM rooms r WHERE r.id = ? AND r.shop_id = ?`,
  )
    .bind(roomId, c.get("shop").id)
    .first<ShowRow & { description: string | null; coverImageUrl: string | null; trailerUrl: string | null }>();
  if (!row) throw notFound(`Show ${roomId} of this shop`);
  return row;
}

async function showDetails(c: Context<AppEnv>, roomId: string): Promise<ShopShowDetails["show"]> {
  const row = await findShow(c, roomId);
  const [products, variants] = await Promise.all([
    c.env.DB.prepare(
      `SELECT product_id AS productId, listed AS stock FROM room_products
       WHERE room_id = ? AND product_id NOT IN (SELECT product_id FROM room_variants WHERE room_id = ?) ORDER BY position`,
    )
      .bind(roomId, roomId)
      .all<{ productId: string; stock: number }>(),
    c.env.DB.prepare("SELECT variant_id AS variantId, product_id AS productId, listed AS stock FROM room_variants WHERE room_id = ? ORDER BY position")
      .bind(roomId)
      .all<{ variantId: string; productId: string; stock: number }>(),
  ]);
  return { ...(await showOf(c, row)), description: row.description, coverImageUrl: row.coverImageUrl, trailerUrl: row.trailerUrl, products: products.results, variants: variants.results };
}

shopShows.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/rooms",
    tags: ["Rooms"],
    summary: "A shop's shows",
    description:
      "Newest first (at most 50), each with its status now (scheduled, live or ended; a cancelled show has ended), its orders and revenue. " +
      "A host sees only the shows assigned to them.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager", "host", "moderator")] as const,
    request: { params: ShopParams },
    responses: { 200: jsonContent(ShopShows, "The shows"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const shop = c.get("shop");
    // A host sees only the shows assigned to them (worker/team/show-hosts.ts).
    const account = c.get("account");
    const hostOnly = account && (await roleIn(c.env.DB, account.id, shop.id)) === "host" ? account.id : null;
    const { results } = await c.env.DB.prepare(
      `SELECT ${SHOW_COLUMNS} FROM rooms r WHERE r.shop_id = ?1
       AND (?3 IS NULL OR r.id IN (SELECT room_id FROM show_hosts WHERE account_id = ?3)) ORDER BY r.created_at DESC, r.id LIMIT ?2`,
    )
      .bind(shop.id, SHOWS_LISTED, hostOnly)
      .all<ShowRow>();
    const shows = await Promise.all(results.map((row) => showOf(c, row)));
    c.header("Cache-Control", "no-store");
    return c.json({ shows }, 200);
  },
);

shopShows.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/rooms/{roomId}",
    tags: ["Rooms"],
    summary: "One of the shop's shows",
    description: "As listed, with its description, cover image and the products and variants it lists with their units (to duplicate it).",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShowParams },
    responses: { 200: jsonContent(ShopShowDetails, "The show"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ show: await showDetails(c, c.req.valid("param").roomId) }, 200);
  },
);

shopShows.openapi(
  createRoute({
    method: "patch",
    path: "/{shopId}/rooms/{roomId}",
    tags: ["Rooms"],
    summary: "Change a show before it starts",
    description:
      "Title, description, cover image, planned start and whether it is recorded; only the fields sent change. Viewers on its page see the new title and start at once, " +
      "and a new title or start is sent to the shop's webhooks as `show.scheduled` again. " +
      "Refused with 409 once the show is live or has ended.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShowParams, body: jsonBody(EditShow) },
    responses: { 200: jsonContent(ShopShowDetails, "The show after the change"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const edit = c.req.valid("json");
    const before = await findShow(c, roomId);
    const startsAt = edit.startsAt === undefined ? undefined : edit.startsAt && new Date(edit.startsAt).toISOString();
    // The Room first: it refuses once the show is live, and tells its viewers.
    unwrap(await c.env.Room.getByName(roomId).editShow({ title: edit.title, startsAt }));
    const shopId = c.get("shop").id;
    const title = edit.title ?? before.title;
    const start = startsAt === undefined ? before.startsAt : startsAt;
    // A new title or start is announced as the creation was, in the same batch as D1's copy of it.
    const rescheduled: WebhookEvent | null =
      title !== before.title || start !== before.startsAt
        ? { id: newEventId(), shopId, roomId, type: "show.scheduled", at: Date.now(), data: { roomId, shopId, title, status: "scheduled", startsAt: start } }
        : null;
    const columns = {
      title: edit.title,
      starts_at: startsAt,
      description: edit.description,
      cover_image_url: edit.coverImageUrl,
      recording: edit.recording === undefined ? undefined : edit.recording ? 1 : 0,
    };
    const set = Object.entries(columns).filter(([, value]) => value !== undefined);
    await c.env.DB.batch([
      c.env.DB.prepare(`UPDATE rooms SET ${set.map(([name]) => `${name} = ?`).join(", ")} WHERE id = ?`).bind(...set.map(([, value]) => value), roomId),
      ...(rescheduled ? eventStatements(c.env.DB, rescheduled) : []),
    ]);
    if (rescheduled) await handOverEvents(c.env, [rescheduled.id]);
    return c.json({ show: await showDetails(c, roomId) }, 200);
  },
);

shopShows.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/rooms/{roomId}/cancel",
    tags: ["Rooms"],
    summary: "Cancel a show that has not started",
    description: "The show ends without going live: its page says it has ended, and it sells nothing. Refused with 409 once it is live or has ended.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShowParams },
    responses: { 200: jsonContent(ShopShowDetails, "The cancelled show"), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    await findShow(c, roomId);
    unwrap(await c.env.Room.getByName(roomId).editShow("cancel"));
    await c.env.DB.prepare("UPDATE rooms SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL").bind(Date.now(), roomId).run();
    return c.json({ show: await showDetails(c, roomId) }, 200);
  },
);
