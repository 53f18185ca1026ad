/**
 * The pages that take a room id in their path. Each serves one of the
 * client's built HTML files from the static assets, with headers that keep
 * host secrets and user content in their place.
 */
import { Hono } from "hono";
import type { AppEnv } from "./app-env.ts";
import { ORDER_ID, ROOM_ID } from "./ids.ts";

export const pages = new Hono<AppEnv>();

const SECURITY_HEADERS = {
  // Product images may come from any https host; scripts and sockets only from here.
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' https: data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
};

async function servePage(request: Request, env: Env, page: "room" | "studio" | "order", id: string): Promise<Response> {
  if (!(page === "order" ? ORDER_ID : ROOM_ID).test(id)) return env.ASSETS.fetch(new URL("/404", request.url));
  const asset = await env.ASSETS.fetch(new URL(`/${page}`, request.url));
  const response = new Response(asset.body, asset);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

pages.get("/r/:roomId", (c) => servePage(c.req.raw, c.env, "room", c.req.param("roomId")));
pages.get("/guest/:roomId", (c) => servePage(c.req.raw, c.env, "room", c.req.param("roomId")));
pages.get("/studio/:roomId", (c) => servePage(c.req.raw, c.env, "studio", c.req.param("roomId")));
pages.get("/o/:orderId", (c) => servePage(c.req.raw, c.env, "order", c.req.param("orderId")));
