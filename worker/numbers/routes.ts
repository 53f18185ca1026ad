/**
 * A show's numbers: its figures for the studio and the console (JSON, and
 * every table as CSV), and the door through which a page without an open
 * socket says what a viewer looked at (a beacon; the live page sends it
 * over its socket instead).
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { requireHost, requireRoom } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { IDS } from "../openapi-examples.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { RoomParams } from "../schemas.ts";
import { csvCell } from "../shop-orders.ts";
import { validationHook } from "../validation.ts";
import { verifyViewerToken } from "../viewer-identity.ts";
import { figureTable, showFigures } from "./figures.ts";
import { NumbersCsvQuery, ShowNumbersBody, ViewAccepted, ViewRequest } from "./schemas.ts";

export const numbers = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** `table=products` of the examples' show, as figureTable and the route below write it. */
const PRODUCTS_CSV_EXAMPLE =
  "product_id,title,pinned_seconds,card_views,checkout_opens,orders,units,revenue\r\n" +
  `${IDS.product},"Jasmine pearls, 100 g",1260,402,58,19,27,512.73\r\n` +
  "p_2Wn8Rk4Tz6Yb1Qc5,Porcelain gaiwan set,840,215,21,6,6,270.00\r\n";

numbers.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/numbers",
    tags: ["Numbers"],
    summary: "A show's numbers",
    description:
      "Viewers over time, peak and unique viewers, watch time, chat, hearts, orders and revenue, per product and per referral code, by phase " +
      "(before, during and after the show). A few seconds behind the show. The host's credential (host key, the shop's API key, or a host's session).",
    middleware: [requireHost()] as const,
    request: { params: RoomParams },
    responses: { 200: jsonContent(ShowNumbersBody, "The figures"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ numbers: await showFigures(c.env.DB, c.get("room").id) }, 200);
  },
);

numbers.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/numbers.csv",
    tags: ["Numbers"],
    summary: "One table of a show's numbers as CSV",
    description: "`table`: minutes, products, referrals or phases. The same credential as the numbers.",
    middleware: [requireHost()] as const,
    request: { params: RoomParams, query: NumbersCsvQuery },
    responses: { 200: { description: "The table", content: { "text/csv": { schema: { type: "string" }, example: PRODUCTS_CSV_EXAMPLE } } }, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const roomId = c.get("room").id;
    const { table } = c.req.valid("query");
    const rows = figureTable(await showFigures(c.env.DB, roomId), table);
    const csv = rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="numbers-${roomId}-${table}.csv"`,
      "Cache-Control": "no-store",
    });
  },
);

numbers.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/views",
    tags: ["Numbers"],
    summary: "Tell the show's numbers what a viewer looked at",
    description:
      "For pages without an open room socket (a replay): a product's card seen, its checkout opened, or watching (every 15 s). " +
      "Anyone with a viewer token; repeats within a minute count once.",
    middleware: [requireRoom()] as const,
    request: { params: RoomParams, body: jsonBody(ViewRequest) },
    responses: { 202: jsonContent(ViewAccepted, "Counted"), ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const { what, productId, viewerToken } = c.req.valid("json");
    const viewerId = await verifyViewerToken(c.env.DB, viewerToken);
    if (!viewerId) throw new ApiError(401, "unauthorized", "viewerToken: not a token this server issued; the page gets one with its socket ticket.");
    if (what !== "watch" && !productId) throw new ApiError(400, "invalid_request", `productId: required for ${what}`);
    await c.get("roomStub").track(what, viewerId, productId ?? null, null);
    return c.json({ accepted: true as const }, 202);
  },
);
