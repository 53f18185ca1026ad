/** A shop's shows for its console: D1's list of its rooms, each with its status now (from its Room). */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { roleIn } from "../accounts/accounts.ts";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { errorResponses, jsonContent } from "../openapi.ts";
import { ShopParams, ShopShows } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const shopShows = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** The newest this many; the console shows a first page. */
const SHOWS_LISTED = 50;

shopShows.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/rooms",
    tags: ["Rooms"],
    summary: "A shop's shows",
    description: "Newest first (at most 50), each with its status now: scheduled, live or ended. A host sees only the shows assigned to them.",
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
      `SELECT id, title, starts_at AS startsAt, created_at AS createdAt FROM rooms WHERE shop_id = ?1
       AND (?3 IS NULL OR id IN (SELECT room_id FROM show_hosts WHERE account_id = ?3)) ORDER BY created_at DESC, id LIMIT ?2`,
    )
      .bind(shop.id, SHOWS_LISTED, hostOnly)
      .all<{ id: string; title: string; startsAt: string | null; createdAt: number }>();
    const origin = c.env.PUBLIC_URL || new URL(c.req.url).origin;
    const shows = await Promise.all(
      results.map(async (room) => {
        const state = await c.env.Room.getByName(room.id).getState();
        return { ...room, status: state?.status ?? "scheduled", viewerLink: `${origin}/r/${room.id}` };
      }),
    );
    c.header("Cache-Control", "no-store");
    return c.json({ shows }, 200);
  },
);
