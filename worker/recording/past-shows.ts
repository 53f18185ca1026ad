/**
 * A past show as the shop's page lists it in its library: when it went
 * live, how long it ran, its thumbnail (the one the brand picked, else the
 * show's own image) and the products it showed (those pinned, in the order
 * first pinned; a show that pinned none shows what it listed).
 */
import { absolute } from "../shop-page/shows.ts";

export type PastReplay = {
  liveAt: number | null;
  durationMs: number;
  thumbnailUrl: string | null;
  products: Array<{ id: string; title: string }>;
};

export async function pastReplay(env: Env, origin: string, roomId: string, thumbnailKey: string | null, fallbackImage: string | null): Promise<PastReplay> {
  const facts = await env.Room.getByName(roomId).replayFacts();
  const pinned = [...new Set(facts.pins.map((pin) => pin.productId))];
  const { results } = await env.DB.prepare(
    `SELECT p.id, p.title FROM room_products rp JOIN products p ON p.id = rp.product_id WHERE rp.room_id = ? ORDER BY rp.position`,
  )
    .bind(roomId)
    .all<{ id: string; title: string }>();
  const byId = new Map(results.map((p) => [p.id, p]));
  const shown = pinned.length ? pinned.flatMap((id) => byId.get(id) ?? []) : results;
  return {
    liveAt: facts.liveAt,
    durationMs: facts.liveAt !== null && facts.endedAt !== null ? Math.max(0, facts.endedAt - facts.liveAt) : 0,
    thumbnailUrl: thumbnailKey ? absolute(origin, `/photos/${thumbnailKey}`) : fallbackImage,
    products: shown.slice(0, 8),
  };
}
