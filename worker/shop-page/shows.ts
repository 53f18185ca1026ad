import { pastReplay } from "../recording/past-shows.ts";

/**
 * What the public sees of a shop's shows, from D1 (title, description, the
 * image a link preview shows) and each show's Room (whether it is live
 * now): the shop's page and the link previews of every show page read it.
 * Cancelled shows are never shown.
 */
export type PublicShow = {
  id: string;
  title: string;
  status: "scheduled" | "live" | "ended";
  startsAt: string | null;
  description: string | null;
  /** Absolute: the cover image, else the first product's first photo, else null. */
  imageUrl: string | null;
  viewerLink: string;
  /** A past show's replay in the library (worker/recording/past-shows.ts); absent for the others. */
  replay?: import("../recording/past-shows.ts").PastReplay;
};

type ShowRow = {
  id: string;
  title: string;
  startsAt: string | null;
  createdAt: number;
  description: string | null;
  image: string | null;
  shopId: string;
  shopName: string;
  shopSlug: string;
  replayHidden: number;
  thumbnailKey: string | null;
};

/** The image of a show's link preview: its cover, else the first photo of the first product it lists that has one. */
const SHOW_IMAGE = `COALESCE(r.cover_image_url,
  (SELECT CASE WHEN ph.r2_key IS NOT NULL THEN '/photos/' || ph.r2_key ELSE ph.url END
     FROM room_products rp JOIN product_photos ph ON ph.product_id = rp.product_id WHERE rp.room_id = r.id ORDER BY rp.position, ph.position LIMIT 1),
  (SELECT p.image_url FROM room_products rp JOIN products p ON p.id = rp.product_id WHERE rp.room_id = r.id AND p.image_url IS NOT NULL ORDER BY rp.position LIMIT 1))`;

const SHOW_COLUMNS = `r.id, r.title, r.starts_at AS startsAt, r.created_at AS createdAt, r.description, ${SHOW_IMAGE} AS image,
  s.id AS shopId, s.name AS shopName, s.slug AS shopSlug, r.replay_hidden AS replayHidden, r.replay_thumbnail_r2_key AS thumbnailKey`;

/** A link on this site ("/photos/…", "/demo/…") made absolute; an https link from elsewhere kept. */
export const absolute = (origin: string, url: string) => new URL(url, origin).href;

async function withStatus(env: Env, origin: string, row: ShowRow): Promise<PublicShow> {
  // The Room has the last word on the title and start (it tells its viewers of a change first) and alone knows the status.
  const state = await env.Room.getByName(row.id).getState();
  return {
    id: row.id,
    title: state?.title ?? row.title,
    status: state?.status ?? "scheduled",
    startsAt: state ? state.startsAt : row.startsAt,
    description: row.description,
    imageUrl: row.image ? absolute(origin, row.image) : null,
    viewerLink: `${origin}/r/${row.id}`,
  };
}

/** A show's page preview: the show as the public sees it and its shop; null for an unknown or cancelled show. */
export async function showPreview(env: Env, origin: string, roomId: string) {
  const row = await env.DB.prepare(`SELECT ${SHOW_COLUMNS} FROM rooms r JOIN shops s ON s.id = r.shop_id WHERE r.id = ? AND r.cancelled_at IS NULL`)
    .bind(roomId)
    .first<ShowRow>();
  if (!row) return null;
  return { show: await withStatus(env, origin, row), shop: { id: row.shopId, name: row.shopName, slug: row.shopSlug } };
}

/** The newest this many shows are looked at (each asks its Room for its status); past ones beyond PAST_LISTED are left out. */
const SHOWS_READ = 40;
const PAST_LISTED = 12;

/**
 * A shop's page: the shows live now, the upcoming ones (soonest first; a
 * show with no planned start last), the past ones (newest first) with their
 * replays; a replay the brand hid is not listed.
 */
export async function shopShows(env: Env, origin: string, shopId: string) {
  const { results } = await env.DB.prepare(
    `SELECT ${SHOW_COLUMNS} FROM rooms r JOIN shops s ON s.id = r.shop_id
     WHERE r.shop_id = ? AND r.cancelled_at IS NULL ORDER BY r.created_at DESC, r.id LIMIT ?`,
  )
    .bind(shopId, SHOWS_READ)
    .all<ShowRow>();
  const shows = await Promise.all(results.map((row) => withStatus(env, origin, row)));
  const startOf = (show: PublicShow) => (show.startsAt ? Date.parse(show.startsAt) : Number.POSITIVE_INFINITY);
  return {
    live: shows.filter((show) => show.status === "live"),
    upcoming: shows.filter((show) => show.status === "scheduled").sort((a, b) => startOf(a) - startOf(b)),
    past: await Promise.all(
      shows
        .filter((show, i) => show.status === "ended" && !results[i]!.replayHidden)
        .slice(0, PAST_LISTED)
        .map(async (show) => {
          const row = results.find((r) => r.id === show.id)!;
          return { ...show, replay: await pastReplay(env, origin, show.id, row.thumbnailKey, show.imageUrl) };
        }),
    ),
  };
}
