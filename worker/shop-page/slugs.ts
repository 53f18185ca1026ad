/**
 * A shop's slug, the readable name of its page (/s/{slug}): what it may be,
 * the one a new shop gets from its name, and changing it. A slug given up
 * keeps answering (301 to the new one) and stays the shop's for 90 days
 * (migrations/0013_shop_pages.sql), so links already shared keep working.
 */
import { ApiError } from "../errors.ts";
import { randomBase62 } from "../../durable-objects/random-ids.ts";

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

/** How long a slug given up still leads to its shop (and no other shop may take it). */
export const OLD_SLUG_KEPT_MS = 90 * 24 * 60 * 60 * 1000;

/** Words that name (or may one day name) the site's own pages and services, not a shop. */
export const RESERVED_SLUGS = new Set([
  "about", "account", "admin", "api", "app", "assets", "auth", "blog", "console", "dashboard", "docs", "embed", "guest", "help",
  "home", "login", "logout", "mod", "new", "null", "o", "official", "orders", "photos", "poster", "privacy", "r", "s", "settings",
  "shop", "shop-along", "shopalong", "shops", "signin", "signup", "static", "status", "studio", "support", "terms", "undefined", "www",
]);

/** Why a slug may not be used, or null when it may (taken or not is another question). */
export function slugProblem(slug: string): string | null {
  if (slug.length < 3 || slug.length > 40) return "A shop's address is 3 to 40 characters long.";
  if (!SLUG.test(slug)) return "Use lowercase letters a-z, digits and hyphens, starting and ending with a letter or digit.";
  if (slug.includes("--")) return "Use one hyphen between words, not two.";
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved for the site's own pages; pick another.`;
  return null;
}

/**
 * The slug a shop's name suggests: "Mei Tea House" → "mei-tea-house",
 * "Café Lumière" → "cafe-lumiere". A name with too few ascii letters or
 * digits (a Chinese name, "茶") gets "shop-" and six random characters.
 */
export function slugFromName(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 33)
    .replace(/^-+|-+$/g, "");
  if (base.length >= 3 && !RESERVED_SLUGS.has(base)) return base;
  return `shop-${randomBase62(6).toLowerCase()}`;
}

/** Whether another shop has this slug, now or as one it gave up less than 90 days ago. */
async function takenByAnother(db: D1Database, shopId: string, slug: string, now: number): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT 1 FROM shops WHERE slug = ?1 AND id != ?2
       UNION ALL SELECT 1 FROM shop_old_slugs WHERE slug = ?1 AND shop_id != ?2 AND retired_at > ?3`,
    )
    .bind(slug, shopId, now - OLD_SLUG_KEPT_MS)
    .first();
  return row !== null;
}

/**
 * A free slug for a new shop: its name's, else with "-2", "-3"…, else with
 * random characters. The unique index has the last word: a shop made at the
 * same instant with the same name makes the insert fail, and it is tried
 * again with a random one (see `insertWithSlug`).
 */
export async function freeSlugFor(db: D1Database, shopId: string, name: string, now: number): Promise<string> {
  const base = slugFromName(name);
  for (const candidate of [base, `${base}-2`, `${base}-3`]) {
    if (!(await takenByAnother(db, shopId, candidate, now))) return candidate;
  }
  return randomSlug(base);
}

export const randomSlug = (base: string) => `${base.slice(0, 33)}-${randomBase62(6).toLowerCase()}`;

export const isSlugConflict = (error: unknown) => error instanceof Error && /UNIQUE constraint failed: shops\.slug/.test(error.message);

/**
 * Gives the shop a new slug; its old one redirects for 90 days. Refused with
 * 400 (the rules) or 409 `slug_taken`. Taking back a slug the shop itself
 * gave up removes that redirect.
 */
export async function changeSlug(db: D1Database, shopId: string, slug: string, now: number): Promise<{ slug: string; previous: string | null }> {
  const problem = slugProblem(slug);
  if (problem) throw new ApiError(400, "invalid_slug", problem);
  const current = await db.prepare("SELECT slug FROM shops WHERE id = ?").bind(shopId).first<{ slug: string | null }>();
  if (current?.slug === slug) return { slug, previous: null };
  const taken = () => new ApiError(409, "slug_taken", `Another shop already has the address "${slug}". Pick another.`);
  if (await takenByAnother(db, shopId, slug, now)) throw taken();
  const old = current?.slug ?? null;
  try {
    await db.batch([
      db.prepare("DELETE FROM shop_old_slugs WHERE slug = ?").bind(slug),
      // A slug that expired (another shop's, given up more than 90 days ago) is simply taken over.
      db.prepare("UPDATE shops SET slug = ? WHERE id = ?").bind(slug, shopId),
      ...(old
        ? [db.prepare("INSERT INTO shop_old_slugs (slug, shop_id, retired_at) VALUES (?, ?, ?) ON CONFLICT (slug) DO UPDATE SET shop_id = excluded.shop_id, retired_at = excluded.retired_at").bind(old, shopId, now)]
        : []),
    ]);
  } catch (error) {
    // Another shop took it between the check and this write.
    if (isSlugConflict(error)) throw taken();
    throw error;
  }
  return { slug, previous: old };
}

export type ShopBySlug = { id: string; name: string; slug: string };

/** The shop a slug names now, or `moved` to its current slug when it is one the shop gave up (within 90 days). */
export async function shopBySlug(db: D1Database, slug: string, now: number): Promise<{ shop: ShopBySlug; moved: boolean } | null> {
  const row = await db
    .prepare(
      `SELECT id, name, slug, 0 AS moved FROM shops WHERE slug = ?1
       UNION ALL SELECT s.id, s.name, s.slug, 1 FROM shop_old_slugs o JOIN shops s ON s.id = o.shop_id WHERE o.slug = ?1 AND o.retired_at > ?2
       ORDER BY moved LIMIT 1`,
    )
    .bind(slug, now - OLD_SLUG_KEPT_MS)
    .first<ShopBySlug & { moved: number }>();
  return row ? { shop: { id: row.id, name: row.name, slug: row.slug }, moved: row.moved === 1 } : null;
}
