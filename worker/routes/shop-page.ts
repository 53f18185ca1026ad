/**
 * The shop's page behind /s/{slug}: its public JSON (the shows live now,
 * upcoming and past; never a cancelled one), and its slug, which the
 * shop's owner or manager chooses. The HTML page is in pages.ts.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { notFound } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { SetShopSlug, ShopPage, ShopParams, ShopSlug, ShopSlugChanged, SlugParams } from "../schemas.ts";
import { changeSlug, SLUG, shopBySlug } from "../shop-page/slugs.ts";
import { shopShows } from "../shop-page/shows.ts";
import { validationHook } from "../validation.ts";

export const shopPage = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const originOf = (c: { env: Env; req: { url: string } }) => c.env.PUBLIC_URL || new URL(c.req.url).origin;
const pageUrl = (origin: string, slug: string) => `${origin}/s/${slug}`;

/** The page's data for a slug (a slug the shop gave up less than 90 days ago still finds it); null for none. */
export async function shopPageData(env: Env, origin: string, slug: string) {
  const wanted = slug.toLowerCase();
  if (!SLUG.test(wanted)) return null;
  const found = await shopBySlug(env.DB, wanted, Date.now());
  if (!found) return null;
  const { shop } = found;
  return { moved: found.moved, page: { shop: { ...shop, url: pageUrl(origin, shop.slug) }, now: Date.now(), ...(await shopShows(env, origin, shop.id)) } };
}

shopPage.openapi(
  createRoute({
    method: "get",
    path: "/by-slug/{slug}",
    tags: ["Shop page"],
    summary: "A shop's public page",
    description:
      "The shop and its shows: live now, upcoming (soonest first), past (newest first). Cancelled shows never appear. " +
      "A slug the shop gave up less than 90 days ago still answers, with the current one in `shop.slug`.",
    request: { params: SlugParams },
    responses: { 200: jsonContent(ShopPage, "The shop's page"), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const { slug } = c.req.valid("param");
    const data = await shopPageData(c.env, originOf(c), slug);
    if (!data) throw notFound(`A shop at /s/${slug}`);
    // Live status changes at any moment: a short shared cache at most.
    c.header("Cache-Control", "public, max-age=15");
    return c.json(data.page, 200);
  },
);

shopPage.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/slug",
    tags: ["Shop page"],
    summary: "The shop's page address",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams },
    responses: { 200: jsonContent(ShopSlug, "The slug and the page's link"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const row = await c.env.DB.prepare("SELECT slug FROM shops WHERE id = ?").bind(c.get("shop").id).first<{ slug: string }>();
    if (!row) throw notFound("This shop");
    c.header("Cache-Control", "no-store");
    return c.json({ slug: row.slug, url: pageUrl(originOf(c), row.slug) }, 200);
  },
);

shopPage.openapi(
  createRoute({
    method: "put",
    path: "/{shopId}/slug",
    tags: ["Shop page"],
    summary: "Choose the shop's page address",
    description:
      "Refused with 400 `invalid_slug` (the rules, or a reserved word) or 409 `slug_taken` (another shop has it, or gave it up less than 90 days ago). " +
      "The old slug redirects (301) to the new one for 90 days; the shop may take it back.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, body: jsonBody(SetShopSlug) },
    responses: { 200: jsonContent(ShopSlugChanged, "The new slug"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { slug, previous } = await changeSlug(c.env.DB, c.get("shop").id, c.req.valid("json").slug, Date.now());
    return c.json({ slug, url: pageUrl(originOf(c), slug), previous }, 200);
  },
);
