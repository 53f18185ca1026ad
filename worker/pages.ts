/**
 * The pages that take a room id in their path. Each serves one of the
 * client's built HTML files from the static assets; the security headers
 * that keep host secrets and user content in their place are added to it,
 * as to every HTML response, by `securityHeaders` (security-headers.ts).
 */
import { Hono } from "hono";
import type { AppEnv } from "./app-env.ts";
import { ORDER_ID, ROOM_ID } from "./ids.ts";

export const pages = new Hono<AppEnv>();

/** The app's own 404 page (in both languages, with a way home), with a 404 status. */
export async function notFoundPage(request: Request, env: Env): Promise<Response> {
  const asset = await env.ASSETS.fetch(new URL("/404", request.url));
  return new Response(asset.body, { status: 404, headers: asset.headers });
}

async function servePage(request: Request, env: Env, page: "room" | "studio" | "order", id: string): Promise<Response> {
  if (!(page === "order" ? ORDER_ID : ROOM_ID).test(id)) return notFoundPage(request, env);
  const asset = await env.ASSETS.fetch(new URL(`/${page}`, request.url));
  const response = new Response(asset.body, asset);
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

pages.get("/r/:roomId", (c) => servePage(c.req.raw, c.env, "room", c.req.param("roomId")));
pages.get("/guest/:roomId", (c) => servePage(c.req.raw, c.env, "room", c.req.param("roomId")));
pages.get("/studio/:roomId", (c) => servePage(c.req.raw, c.env, "studio", c.req.param("roomId")));
pages.get("/o/:orderId", (c) => servePage(c.req.raw, c.env, "order", c.req.param("orderId")));
