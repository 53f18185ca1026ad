/**
 * A shop's catalogue as D1 holds it: products (archived ones hidden), their
 * variants and their photos, read in three queries whatever the number of
 * products. Routes and room creation both read products through here.
 */
import { notFound } from "../errors.ts";
import type { Product } from "../schemas.ts";

type ProductRow = {
  id: string;
  shop_id: string;
  title: string;
  description: string | null;
  price_cents: number;
  image_url: string | null;
  option_names: string | null;
};
export type VariantRow = { id: string; product_id: string; option_values: string; sku: string | null; price_cents: number | null };
type PhotoRow = { id: string; product_id: string; r2_key: string | null; url: string | null; width: number | null; height: number | null };

/** Where a photo is served: uploaded bytes from this site, or the link it was added with. */
export const photoUrl = (photo: { r2_key: string | null; url: string | null }) => (photo.r2_key ? `/photos/${photo.r2_key}` : photo.url!);

export const variantView = (row: VariantRow): Product["variants"][number] => ({
  id: row.id,
  options: JSON.parse(row.option_values) as string[],
  sku: row.sku,
  priceCents: row.price_cents,
});

/** The shop's products that are not archived, oldest first; only those in `ids` when given. */
export async function readProducts(db: D1Database, shop: { id: string; currency: string }, ids?: string[]): Promise<Product[]> {
  const only = ids ? "AND id IN (SELECT value FROM json_each(?2))" : "";
  const args = ids ? [shop.id, JSON.stringify(ids)] : [shop.id];
  const [products, variants, photos] = await db.batch([
    db.prepare(`SELECT * FROM products WHERE shop_id = ?1 AND archived_at IS NULL ${only} ORDER BY created_at, id`).bind(...args),
    db
      .prepare(
        `SELECT v.* FROM product_variants v JOIN products p ON p.id = v.product_id
         WHERE p.shop_id = ?1 AND p.archived_at IS NULL AND v.archived_at IS NULL ${only.replace("id IN", "p.id IN")} ORDER BY v.position, v.created_at`,
      )
      .bind(...args),
    db
      .prepare(
        `SELECT ph.* FROM product_photos ph JOIN products p ON p.id = ph.product_id
         WHERE p.shop_id = ?1 AND p.archived_at IS NULL ${only.replace("id IN", "p.id IN")} ORDER BY ph.position, ph.created_at`,
      )
      .bind(...args),
  ]);
  const variantsOf = groupBy(variants!.results as VariantRow[]);
  const photosOf = groupBy(photos!.results as PhotoRow[]);
  return (products!.results as ProductRow[]).map((row) => ({
    id: row.id,
    shopId: row.shop_id,
    title: row.title,
    description: row.description,
    priceCents: row.price_cents,
    currency: shop.currency as Product["currency"],
    imageUrl: row.image_url,
    optionNames: row.option_names ? (JSON.parse(row.option_names) as string[]) : [],
    variants: (variantsOf.get(row.id) ?? []).map(variantView),
    photos: (photosOf.get(row.id) ?? []).map((p) => ({ id: p.id, url: photoUrl(p), width: p.width, height: p.height })),
  }));
}

/** One product of the shop (not archived), or a 404. */
export async function readProduct(db: D1Database, shop: { id: string; currency: string }, productId: string): Promise<Product> {
  const [product] = await readProducts(db, shop, [productId]);
  if (!product) throw notFound(`Product ${productId} of this shop`);
  return product;
}

function groupBy<T extends { product_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.product_id, [...(groups.get(row.product_id) ?? []), row]);
  return groups;
}
