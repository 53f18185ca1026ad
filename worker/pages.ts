/**
 * The pages that take a room id in their path. Each serves one of the
 * client's built HTML files from the static assets; the security headers
 * that keep host secrets and user content in their place are added to it,
 * as to every HTML response, by `securityHeaders` (security-headers.ts).
 */
import { Hono } from "hono";
import type { AppEnv } from "./app-env.ts";
import { ROOM_ADDRESS } from "../durable-objects/rehearsal.ts";
import { ORDER_ID, ROOM_ID, SHOP_ID } from "./ids.ts";
import { countsAsVisit } from "./numbers/page-visit.ts";
import { replayPreloads } from "./replay-preloads.ts";
import { ReferralCodeValue } from "./schemas.ts";
import { shopPageData } from "./routes/shop-page.ts";
import { shopHead, showHead, withPreview } from "./shop-page/previews.ts";
import { showPreview } from "./shop-page/shows.ts";
import { visitorLang, type Lang } from "./visitor-lang.ts";

export const pages = new Hono<AppEnv>();

/** The app's own 404 page (in both languages, with a way home), with a 404 status. */
export async function notFoundPage(request: Request, env: Env): Promise<Response> {
  const asset = await env.ASSETS.fetch(new URL("/404", request.url));
  return new Response(asset.body, { status: 404, headers: asset.headers });
}

// A rehearsal's pages (`r_….rehearsal`) are served like any other; its room tells outsiders it is not public yet.
const PAGE_ID = { room: ROOM_ADDRESS, studio: ROOM_ADDRESS, order: ORDER_ID, orders: SHOP_ID, poster: ROOM_ID } as const;

async function servePage(request: Request, env: Env, page: keyof typeof PAGE_ID, id: string): Promise<Response> {
  if (!PAGE_ID[page].test(id)) return notFoundPage(request, env);
  const asset = await env.ASSETS.fetch(new URL(`/${page}`, request.url));
  const response = new Response(asset.body, asset);
  response.headers.set("Cache-Control", "no-cache");
  if (page !== "room" || !asset.ok) return response;
  // The page now depends on the visitor's language: the asset's ETag no longer names it.
  response.headers.delete("ETag");
  response.headers.set("Vary", "Accept-Language, Cookie");
  return withWords(response, visitorLang(request), (href) => readWords(env, new URL(href, request.url)));
}


/**
 * The viewer page renders only once it has its visitor's words, a file per
 * language (client/catalogues.ts names them in `<meta name="catalogue:…">`).
 * Written into the page here, as a JSON data block, they arrive with it: the
 * page renders as soon as its script has run, with no request of its own
 * for them (preloaded as a file instead, they cost the first render a
 * fetch, 60-110 ms on a throttled phone network). The page also says its
 * language before any script runs. The other language's file stays a file,
 * fetched when the visitor switches; a page whose words could not be read
 * here fetches them itself.
 */
function withWords(response: Response, lang: Lang, read: (href: string) => Promise<string | null>): Response {
  return new HTMLRewriter()
    .on("html", { element: (html) => void html.setAttribute("lang", lang) })
    .on(`meta[name="catalogue:${lang}"]`, {
      async element(meta) {
        const href = meta.getAttribute("content");
        const words = href?.startsWith("/assets/") ? await read(href) : null;
        // A data block, never run (nor refused by the CSP); no "<" may close it early.
        if (words) meta.after(`<script type="application/json" id="catalogue:${lang}">${words.replaceAll("<", "\\u003c")}</script>`, { html: true });
      },
    })
    .transform(response);
}

/** The catalogue files are named by their content's hash: once read, a file never changes. */
const wordsRead = new Map<string, string>();

async function readWords(env: Env, url: URL): Promise<string | null> {
  const known = wordsRead.get(url.pathname);
  if (known) return known;
  const file = await env.ASSETS.fetch(url);
  if (!file.ok) return null;
  const words = await file.text();
  wordsRead.set(url.pathname, words);
  return words;
}

const originOf = (request: Request, env: Env) => env.PUBLIC_URL || new URL(request.url).origin;

// The show's page, with its link preview and structured data (from D1) written into its head.
pages.get("/r/:roomId", async (c) => {
  const roomId = c.req.param("roomId");
  const origin = originOf(c.req.raw, c.env);
  const [page, preview] = await Promise.all([
    servePage(c.req.raw, c.env, "room", roomId),
    ROOM_ID.test(roomId) ? showPreview(c.env, origin, roomId) : null,
  ]);
  if (!preview) return page;
  // A visit of the show's page, for its numbers (before the show: its pre-live visits), with the referral code it came
  // with; not a chat app's preview robot, a crawler or a prefetch (numbers/page-visit.ts).
  const ref = c.req.query("ref");
  if (countsAsVisit(c.req.raw)) {
    c.executionCtx.waitUntil(c.env.Room.getByName(roomId).track("visit", null, null, ReferralCodeValue.safeParse(ref).data ?? null).catch(() => undefined));
  }
  if (!page.ok) return page;
  const head = showHead(preview.show, preview.shop, origin, visitorLang(c.req.raw));
  // After the end the page plays the replay: what it needs first is on its way while the page starts (replay-preloads.ts).
  // The page also learns from it at once that it will play the replay, without waiting for its socket's first sync.
  if (preview.show.status === "ended") {
    head.head += `<meta name="show-ended" content="1">${await replayPreloads(c.env, c.req.url, roomId)}`;
  }
  return withPreview(page, head);
});
pages.get("/guest/:roomId", (c) => servePage(c.req.raw, c.env, "room", c.req.param("roomId")));
pages.get("/studio/:roomId", (c) => servePage(c.req.raw, c.env, "studio", c.req.param("roomId")));
// The moderator link opens the studio, which then shows the chat and its moderation only.
pages.get("/mod/:roomId", (c) => servePage(c.req.raw, c.env, "studio", c.req.param("roomId")));
pages.get("/o/:orderId", (c) => servePage(c.req.raw, c.env, "order", c.req.param("orderId")));
// The shop's orders board; the shop's key rides in the fragment (#key=sk_…).
pages.get("/orders/:shopId", (c) => servePage(c.req.raw, c.env, "orders", c.req.param("shopId")));

/**
 * The shop's page (/s/{slug}): its own small page, with its link preview and
 * its upcoming shows as structured data. A slug the shop gave up (or one in
 * capitals) moves, 301, to the current one; an unknown slug is the 404 page.
 */
pages.get("/s/:slug", async (c) => {
  const slug = c.req.param("slug");
  const origin = originOf(c.req.raw, c.env);
  const data = await shopPageData(c.env, origin, slug);
  if (!data) return notFoundPage(c.req.raw, c.env);
  if (data.moved || data.page.shop.slug !== slug) return c.redirect(`/s/${data.page.shop.slug}`, 301);
  const asset = await c.env.ASSETS.fetch(new URL("/shop", c.req.url));
  const response = new Response(asset.body, asset);
  response.headers.set("Cache-Control", "no-cache");
  response.headers.delete("ETag");
  response.headers.set("Vary", "Accept-Language, Cookie");
  if (!asset.ok) return response;
  const lang = visitorLang(c.req.raw);
  const page = new HTMLRewriter().on("html", { element: (html) => void html.setAttribute("lang", lang) }).transform(response);
  return withPreview(page, shopHead(data.page.shop, data.page, origin, lang));
});

// A show's poster for the shop window, printed from the console (signed in as the shop's owner or manager).
pages.get("/console/poster/:shopId/:roomId", (c) =>
  SHOP_ID.test(c.req.param("shopId")) ? servePage(c.req.raw, c.env, "poster", c.req.param("roomId")) : notFoundPage(c.req.raw, c.env),
);
