/**
 * What a new show lists: products without variants with their units
 * (`products`), and variants with theirs (`variants`; their products come
 * along). Checked against the shop's catalogue, then turned into what the
 * Room is set up with and the rows D1 records of it.
 */
import type { ProductSetup } from "../../durable-objects/show.ts";
import { ApiError } from "../errors.ts";
import { readProducts } from "./catalogue.ts";

export type ShowListing = {
  products: Array<{ productId: string; stock: number }>;
  variants: Array<{ variantId: string; stock: number }>;
};

export type ListedShow = {
  setup: ProductSetup[];
  /** D1's record (room_products, room_variants): the units listed. */
  products: Array<{ productId: string; listed: number }>;
  variants: Array<{ variantId: string; productId: string; listed: number }>;
};

export async function listShow(db: D1Database, shop: { id: string; currency: string }, listing: ShowListing): Promise<ListedShow> {
  const { results: owners } = await db
    .prepare(
      `SELECT v.id, v.product_id AS productId FROM product_variants v JOIN products p ON p.id = v.product_id
       WHERE p.shop_id = ? AND v.archived_at IS NULL AND v.id IN (SELECT value FROM json_each(?))`,
    )
    .bind(shop.id, JSON.stringify(listing.variants.map((v) => v.variantId)))
    .all<{ id: string; productId: string }>();
  const productOf = new Map(owners.map((o) => [o.id, o.productId]));
  const unknownVariants = listing.variants.map((v) => v.variantId).filter((id) => !productOf.has(id));
  if (unknownVariants.length) throw new ApiError(404, "not_found", `Not variants of this shop's products: ${unknownVariants.join(", ")}.`);

  const ids = [...new Set([...listing.products.map((p) => p.productId), ...listing.variants.map((v) => productOf.get(v.variantId)!)])];
  const found = new Map((await readProducts(db, shop, ids)).map((p) => [p.id, p]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new ApiError(404, "not_found", `Not products of this shop: ${missing.join(", ")}.`);

  const stockOf = new Map(listing.products.map((p) => [p.productId, p.stock]));
  const withVariants = listing.products.map((p) => found.get(p.productId)!).filter((p) => p.variants.length > 0);
  if (withVariants.length) {
    throw new ApiError(
      422,
      "variants_required",
      `${withVariants.map((p) => `${p.title} (${p.id})`).join(", ")} comes in variants: list its variants in \`variants\`, with the units of each, instead of the product in \`products\`.`,
    );
  }

  const listed: ListedShow = { setup: [], products: [], variants: [] };
  for (const id of ids) {
    const product = found.get(id)!;
    const variants = listing.variants
      .filter((v) => productOf.get(v.variantId) === id)
      .map((v) => ({ ...product.variants.find((known) => known.id === v.variantId)!, listed: v.stock }));
    const units = variants.length ? variants.reduce((sum, v) => sum + v.listed, 0) : stockOf.get(id)!;
    listed.setup.push({
      id,
      title: product.title,
      description: product.description,
      priceCents: product.priceCents,
      currency: shop.currency,
      imageUrl: product.photos[0]?.url ?? product.imageUrl,
      listed: units,
      optionNames: product.optionNames,
      photos: product.photos.map(({ url, width, height }) => ({ url, width, height })),
      variants,
    });
    listed.products.push({ productId: id, listed: units });
    listed.variants.push(...variants.map((v) => ({ variantId: v.id, productId: id, listed: v.listed })));
  }
  return listed;
}
