/**
 * "Remind me": the show's calendar file, email reminders with double
 * opt-in (ask → confirm → one-click unsubscribe), and the shop's view of who
 * asked. The reminders themselves are sent by the show's room
 * (durable-objects/reminders.ts); this is where they are asked for.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { clientIp, countAttempt } from "../accounts/rate-limit.ts";
import type { AppEnv } from "../app-env.ts";
import { requireHost, requireRoom, requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { sendEmail } from "../email/send-email.ts";
import { ApiError, notFound } from "../errors.ts";
import { IDS, ORIGIN, TIMES } from "../openapi-examples.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { calendarFile } from "../reminders/calendar.ts";
import { rsvpConfirmationEmail, viewerLink } from "../reminders/reminder-emails.ts";
import { activeRsvps, confirmRsvp, requestRsvp, rsvpCounts, unsubscribe } from "../reminders/rsvps.ts";
import {
  RoomParams,
  RsvpAccepted,
  RsvpConfirmed,
  RsvpCountsBody,
  RsvpList,
  RsvpListQuery,
  RsvpRequest,
  RsvpToken,
  ShowParams,
  Unsubscribed,
  UnsubscribeQuery,
} from "../schemas.ts";
import { csvCell } from "../shop-orders.ts";
import { validationHook } from "../validation.ts";

export const rsvps = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const originOf = (c: Context<AppEnv>) => c.env.PUBLIC_URL || new URL(c.req.url).origin;

/** The calendar file of the examples' show, written as the route writes one. */
const CALENDAR_EXAMPLE = calendarFile(
  {
    roomId: IDS.room,
    title: "Spring tea tasting, live from the shop",
    startsAt: TIMES.startsAt,
    shopName: "Lotus Tea House",
    viewerLink: viewerLink(ORIGIN, IDS.room),
    host: new URL(ORIGIN).hostname,
  },
  TIMES.rsvpsHour,
);

/** The room's show as the public sees it; 404 when the Room has none. */
async function publicShow(c: Context<AppEnv>) {
  const state = await c.get("roomStub").getState();
  if (!state) throw notFound(`Room ${c.get("room").id}`);
  return state;
}

rsvps.openapi(
  createRoute({
    method: "get",
    path: "/rooms/{roomId}/calendar.ics",
    tags: ["Reminders"],
    summary: "The show as a calendar event",
    description:
      "`text/calendar` (RFC 5545): one event at the show's start (a UTC instant, so every calendar shows it in its own time zone), one hour long, " +
      "with the viewer link and an alarm 10 minutes before. 409 `no_start` when the show has no planned start.",
    middleware: [requireRoom()] as const,
    request: { params: RoomParams },
    responses: {
      200: { description: "The calendar file", content: { "text/calendar": { schema: { type: "string" }, example: CALENDAR_EXAMPLE } } },
      ...errorResponses(400, 404, 409),
    },
  }),
  async (c) => {
    const show = await publicShow(c);
    if (!show.startsAt) throw new ApiError(409, "no_start", "This show has no planned start yet, so it cannot go in a calendar.");
    const origin = originOf(c);
    const file = calendarFile({ roomId: show.id, title: show.title, startsAt: show.startsAt, shopName: show.shopName, viewerLink: viewerLink(origin, show.id), host: new URL(origin).hostname });
    return c.body(file, 200, {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${show.id}.ics"`,
      "Cache-Control": "no-cache",
    });
  },
);

rsvps.openapi(
  createRoute({
    method: "post",
    path: "/rooms/{roomId}/rsvps",
    tags: ["Reminders"],
    summary: "Ask for email reminders of a show",
    description:
      "Double opt-in: a confirmation email is sent; once its link is followed, the address gets a reminder 15 minutes before the start and a \"we're live\" email " +
      "(or, with `productId`, an email when that product is on). Always `202` with the same answer, whether or not the address was known. " +
      "Limited per address (5) and per IP (30) per 15 minutes (429). A show that has ended or was cancelled: 409.",
    middleware: [requireRoom()] as const,
    request: { params: RoomParams, body: jsonBody(RsvpRequest) },
    responses: { 202: jsonContent(RsvpAccepted, "Check your inbox"), ...errorResponses(400, 404, 409, 413) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const room = c.get("room");
    const show = await publicShow(c);
    if (show.status === "ended") {
      const cancelled = await c.env.DB.prepare("SELECT cancelled_at FROM rooms WHERE id = ?").bind(room.id).first<{ cancelled_at: number | null }>();
      throw cancelled?.cancelled_at
        ? new ApiError(409, "show_cancelled", "This show was cancelled: there is nothing to be reminded of.")
        : new ApiError(409, "show_ended", "This show has ended: there is nothing to be reminded of.");
    }
    const product = body.productId ? show.products.find((p) => p.id === body.productId) : null;
    if (body.productId && !product) throw new ApiError(404, "not_found", `Product ${body.productId} is not part of this show.`);
    await countAttempt(c.env.DB, { ip: clientIp(c.req), email: body.email }, "rsvp");
    const asked = await requestRsvp(c.env.DB, {
      roomId: room.id,
      email: body.email,
      productId: body.productId ?? null,
      locale: body.locale,
      timeZone: body.timeZone ?? null,
      origin: originOf(c),
    });
    if (asked) {
      const { row, token } = asked;
      const ctx = {
        to: row.email,
        locale: row.locale,
        timeZone: row.time_zone,
        origin: row.origin,
        show: { roomId: room.id, title: show.title, startsAt: show.startsAt, shopName: show.shopName },
        product: product ? { id: product.id, title: product.title } : null,
      };
      await sendEmail(c.env, rsvpConfirmationEmail(ctx, token));
    }
    return c.json({ status: "check_your_inbox" as const, message: "If this address can get reminders, a confirmation email is on its way: follow its link to turn them on." }, 202);
  },
);

rsvps.openapi(
  createRoute({
    method: "post",
    path: "/rsvps/confirm",
    tags: ["Reminders"],
    summary: "Confirm an RSVP",
    description: "The token from the confirmation email's link (its fragment, `/remind#confirm=…`); it works once. 404 when it opens nothing.",
    request: { body: jsonBody(RsvpToken) },
    responses: { 200: jsonContent(RsvpConfirmed, "Reminders are on"), ...errorResponses(400, 404, 413) },
  }),
  async (c) => {
    const row = await confirmRsvp(c.env, c.req.valid("json").token);
    if (!row) throw new ApiError(404, "not_found", "This confirmation link was already used, or replaced by a newer one. Ask for the reminder again.");
    // Reminders whose time already came (a show starting in minutes, or live) go to this address too.
    await c.env.Room.getByName(row.room_id).rsvpConfirmed();
    return c.json({ rsvp: { roomId: row.room_id, productId: row.product_id, viewerLink: viewerLink(row.origin, row.room_id, row.product_id) } }, 200);
  },
);

rsvps.openapi(
  createRoute({
    method: "post",
    path: "/rsvps/unsubscribe",
    tags: ["Reminders"],
    summary: "Unsubscribe from a show's reminders",
    description:
      "One click, no session: the token in the query (the `List-Unsubscribe` URL of every reminder, which mail clients POST to with " +
      "`List-Unsubscribe=One-Click`, RFC 8058) or as JSON `{token}` (the link in the email's body opens a page that sends it). Repeating it changes nothing.",
    request: { query: UnsubscribeQuery },
    responses: { 200: jsonContent(Unsubscribed, "No more reminders"), ...errorResponses(400, 404) },
  }),
  async (c) => {
    let token = c.req.valid("query").token;
    if (!token && (c.req.header("Content-Type") ?? "").startsWith("application/json")) {
      const parsed = RsvpToken.safeParse(await c.req.json().catch(() => null));
      token = parsed.success ? parsed.data.token : undefined;
    }
    if (!token) throw new ApiError(400, "invalid_request", "token: send the unsubscribe token in the query (?token=) or as JSON {token}.");
    if (!(await unsubscribe(c.env.DB, token))) throw new ApiError(404, "not_found", "This unsubscribe link is not valid. Check that you opened the whole link.");
    return c.json({ unsubscribed: true as const }, 200);
  },
);

async function listFor(c: Context<AppEnv>, roomId: string) {
  const known = await c.env.DB.prepare("SELECT 1 FROM rooms WHERE id = ? AND shop_id = ?").bind(roomId, c.get("shop").id).first();
  if (!known) throw notFound(`Show ${roomId} of this shop`);
  return { rsvps: await rsvpCounts(c.env.DB, roomId), emails: await activeRsvps(c.env.DB, roomId) };
}

const rsvpsCsv = (emails: Awaited<ReturnType<typeof activeRsvps>>) =>
  [["email", "product_id", "locale", "confirmed_at"].join(","), ...emails.map((e) => [e.email, e.productId, e.locale, new Date(e.confirmedAt).toISOString()].map(csvCell).join(","))].join("\r\n") + "\r\n";

/** Two opted-in addresses, one of them for a product: what the CSV routes write. */
const RSVPS_CSV_EXAMPLE = rsvpsCsv([
  { email: "mei@example.com", productId: IDS.product, locale: "zh-CN", confirmedAt: TIMES.rsvpsHour + 17 * 60_000 },
  { email: "sam@example.com", productId: null, locale: "en", confirmedAt: TIMES.rsvpsHour + 42 * 60_000 },
]);

function csvResponse(c: Context<AppEnv>, roomId: string, emails: Awaited<ReturnType<typeof activeRsvps>>) {
  return c.body(rsvpsCsv(emails), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="rsvps-${roomId}.csv"`, "Cache-Control": "no-store" });
}

rsvps.openapi(
  createRoute({
    method: "get",
    path: "/shops/{shopId}/rooms/{roomId}/rsvps",
    tags: ["Reminders"],
    summary: "A show's RSVPs (JSON or CSV)",
    description: "Counts, the count over time, and the opted-in emails; `?format=csv` (or `Accept: text/csv`) for the emails as a spreadsheet. Owners and managers.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShowParams, query: RsvpListQuery },
    responses: {
      200: { description: "The RSVPs", content: { "application/json": { schema: RsvpList }, "text/csv": { schema: { type: "string" }, example: RSVPS_CSV_EXAMPLE } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const list = await listFor(c, roomId);
    if (c.req.valid("query").format === "csv" || (c.req.header("Accept") ?? "").includes("text/csv")) return csvResponse(c, roomId, list.emails);
    c.header("Cache-Control", "no-store");
    return c.json(list, 200);
  },
);

rsvps.openapi(
  createRoute({
    method: "get",
    path: "/shops/{shopId}/rooms/{roomId}/rsvps.csv",
    tags: ["Reminders"],
    summary: "A show's opted-in emails as CSV",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShowParams },
    responses: { 200: { description: "The emails", content: { "text/csv": { schema: { type: "string" }, example: RSVPS_CSV_EXAMPLE } } }, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    return csvResponse(c, roomId, (await listFor(c, roomId)).emails);
  },
);

rsvps.openapi(
  createRoute({
    method: "get",
    path: "/rooms/{roomId}/rsvps",
    tags: ["Reminders"],
    summary: "A show's RSVP counts, for its studio",
    description: "How many asked and confirmed, and the count over time; never the addresses. The host's credential (host key, the shop's API key, or a host's session).",
    middleware: [requireHost()] as const,
    request: { params: RoomParams },
    responses: { 200: jsonContent(RsvpCountsBody, "The counts"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ rsvps: await rsvpCounts(c.env.DB, c.get("room").id) }, 200);
  },
);
