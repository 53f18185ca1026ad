/**
 * A shop's catalogue: products (reused across shows) and their variants.
 * Reading is public (a shop's page lists them); every change takes the
 * shop's key. A show that is set up sells its own copy of what it listed,
 * so a change here reaches the next show, not one already made.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { readProduct, readProducts, variantView, type VariantRow } from "../catalogue/catalogue.ts";
import { ApiError, notFound } from "../errors.ts";
import { newProductId, newVariantId } from "../ids.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import {
  CreateProduct,
  CreateVariant,
  MAX_VARIANTS,
  ProductBody,
  ProductCreated,
  ProductList,
  ProductParams,
  ShopParams,
  UpdateProduct,
  UpdateVariant,
  VariantBody,
  VariantParams,
} from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const products = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const archived = { 204: { description: "Archived: gone from the catalogue and from new shows; past shows and orders still name it." } };

products.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/products",
    tags: ["Products"],
    summary: "Add a product",
    description: "With `optionNames` (e.g. `[\"Size\", \"Colour\"]`) the product can then be given variants; without, it is sold as one thing.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, body: jsonBody(CreateProduct) },
    responses: { 201: jsonContent(ProductCreated, "The product"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const input = c.req.valid("json");
    const id = newProductId();
    const optionNames = input.optionNames?.length ? JSON.stringify(input.optionNames) : null;
    await c.env.DB.prepare(
      "INSERT INTO products (id, shop_id, title, description, price_cents, image_url, option_names, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
      .bind(id, shop.id, input.title, input.description || null, input.priceCents, input.imageUrl ?? null, optionNames, Date.now())
      .run();
    return c.json({ product: await readProduct(c.env.DB, shop, id) }, 201);
  },
);

products.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/products",
    tags: ["Products"],
    summary: "List a shop's products",
    description: "With their variants and photos; archived products are left out.",
    request: { params: ShopParams },
    responses: { 200: jsonContent(ProductList, "The shop's products, oldest first"), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const shop = await publicShop(c.env.DB, c.req.valid("param").shopId);
    return c.json({ products: await readProducts(c.env.DB, shop) }, 200);
  },
);

products.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/products/{productId}",
    tags: ["Products"],
    summary: "Get a product",
    request: { params: ProductParams },
    responses: { 200: jsonContent(ProductBody, "The product, with its variants and photos"), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const { shopId, productId } = c.req.valid("param");
    return c.json({ product: await readProduct(c.env.DB, await publicShop(c.env.DB, shopId), productId) }, 200);
  },
);

products.openapi(
  createRoute({
    method: "patch",
    path: "/{shopId}/products/{productId}",
    tags: ["Products"],
    summary: "Change a product",
    description: "Only the fields sent change; `null` clears the image link or the description. Shows already set up keep what they listed.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ProductParams, body: jsonBody(UpdateProduct) },
    responses: { 200: jsonContent(ProductBody, "The product after the change"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const { productId } = c.req.valid("param");
    const patch = c.req.valid("json");
    const product = await readProduct(c.env.DB, shop, productId);
    if (patch.optionNames && patch.optionNames.length !== product.optionNames.length && product.variants.length > 0) {
      throw new ApiError(
        409,
        "variants_exist",
        `This product has ${product.variants.length} variants with ${product.optionNames.length} option(s) each; delete them before changing how many options it has (renaming them is fine).`,
      );
    }
    const columns = {
      title: patch.title,
      price_cents: patch.priceCents,
      image_url: patch.imageUrl,
      description: patch.description === undefined ? undefined : patch.description || null,
      option_names: patch.optionNames === undefined ? undefined : patch.optionNames.length ? JSON.stringify(patch.optionNames) : null,
    };
    const set = Object.entries(columns).filter(([, value]) => value !== undefined);
    await c.env.DB.prepare(`UPDATE products SET ${set.map(([name]) => `${name} = ?`).join(", ")} WHERE id = ? AND shop_id = ?`)
      .bind(...set.map(([, value]) => value), productId, shop.id)
      .run();
    return c.json({ product: await readProduct(c.env.DB, shop, productId) }, 200);
  },
);

products.openapi(
  createRoute({
    method: "delete",
    path: "/{shopId}/products/{productId}",
    tags: ["Products"],
    summary: "Delete (archive) a product",
    description:
      "The product leaves the catalogue and can no longer be listed in a new show. It is archived rather than erased: orders and past " +
      "shows still name it, and a show that is set up (even live now) keeps selling the copy it listed, so deleting never breaks a running show.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ProductParams },
    responses: { ...archived, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { productId } = c.req.valid("param");
    const result = await c.env.DB.prepare("UPDATE products SET archived_at = ? WHERE id = ? AND shop_id = ? AND archived_at IS NULL")
      .bind(Date.now(), productId, c.get("shop").id)
      .run();
    if (result.meta.changes === 0) throw notFound(`Product ${productId} of this shop`);
    return c.body(null, 204);
  },
);

// ------------------------------------------------------------------ variants

products.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/products/{productId}/variants",
    tags: ["Products"],
    summary: "Add a variant",
    description: "One value per option name of the product (give it `optionNames` first), an optional SKU and an optional price of its own.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ProductParams, body: jsonBody(CreateVariant) },
    responses: { 201: jsonContent(VariantBody, "The variant"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const { productId } = c.req.valid("param");
    const input = c.req.valid("json");
    const product = await readProduct(c.env.DB, shop, productId);
    checkOptions(product.optionNames, input.options);
    if (product.variants.length >= MAX_VARIANTS) throw new ApiError(409, "too_many_variants", `A product has at most ${MAX_VARIANTS} variants.`);
    const row: VariantRow = { id: newVariantId(), product_id: productId, option_values: JSON.stringify(input.options), sku: input.sku ?? null, price_cents: input.priceCents ?? null };
    await uniquely(
      c.env.DB.prepare(
        `INSERT INTO product_variants (id, product_id, position, option_values, sku, price_cents, created_at)
         VALUES (?, ?, (SELECT coalesce(max(position), -1) + 1 FROM product_variants WHERE product_id = ?), ?, ?, ?, ?)`,
      )
        .bind(row.id, productId, productId, row.option_values, row.sku, row.price_cents, Date.now())
        .run(),
    );
    return c.json({ variant: variantView(row) }, 201);
  },
);

products.openapi(
  createRoute({
    method: "patch",
    path: "/{shopId}/products/{productId}/variants/{variantId}",
    tags: ["Products"],
    summary: "Change a variant",
    description: "Only the fields sent change; `null` clears the SKU or the variant's own price (it then costs the product's).",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: VariantParams, body: jsonBody(UpdateVariant) },
    responses: { 200: jsonContent(VariantBody, "The variant after the change"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const { productId, variantId } = c.req.valid("param");
    const patch = c.req.valid("json");
    const product = await readProduct(c.env.DB, shop, productId);
    const variant = product.variants.find((v) => v.id === variantId);
    if (!variant) throw notFound(`Variant ${variantId} of this product`);
    if (patch.options) checkOptions(product.optionNames, patch.options);
    const row: VariantRow = {
      id: variantId,
      product_id: productId,
      option_values: JSON.stringify(patch.options ?? variant.options),
      sku: patch.sku === undefined ? variant.sku : patch.sku,
      price_cents: patch.priceCents === undefined ? variant.priceCents : patch.priceCents,
    };
    await uniquely(
      c.env.DB.prepare("UPDATE product_variants SET option_values = ?, sku = ?, price_cents = ? WHERE id = ? AND product_id = ?")
        .bind(row.option_values, row.sku, row.price_cents, variantId, productId)
        .run(),
    );
    return c.json({ variant: variantView(row) }, 200);
  },
);

products.openapi(
  createRoute({
    method: "delete",
    path: "/{shopId}/products/{productId}/variants/{variantId}",
    tags: ["Products"],
    summary: "Delete (archive) a variant",
    description: "As for a product: gone from the catalogue and from new shows; orders and shows already set up keep it.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: VariantParams },
    responses: { ...archived, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { productId, variantId } = c.req.valid("param");
    await readProduct(c.env.DB, c.get("shop"), productId);
    const result = await c.env.DB.prepare("UPDATE product_variants SET archived_at = ? WHERE id = ? AND product_id = ? AND archived_at IS NULL")
      .bind(Date.now(), variantId, productId)
      .run();
    if (result.meta.changes === 0) throw notFound(`Variant ${variantId} of this product`);
    return c.body(null, 204);
  },
);

/** A shop for the public reads (no key): its id and currency, or a 404. */
async function publicShop(db: D1Database, shopId: string): Promise<{ id: string; currency: string }> {
  const shop = await db.prepare("SELECT id, currency FROM shops WHERE id = ?").bind(shopId).first<{ id: string; currency: string }>();
  if (!shop) throw notFound(`Shop ${shopId}`);
  return shop;
}

function checkOptions(names: string[], values: string[]): void {
  if (names.length === 0) {
    throw new ApiError(409, "no_options", "This product has no option names yet: set `optionNames` (e.g. [\"Size\"]) with PATCH before adding variants.");
  }
  if (values.length !== names.length) {
    throw new ApiError(400, "invalid_request", `options: give ${names.length} value(s), one for each of ${names.join(", ")}.`);
  }
}

/** Runs a write that the unique indexes may refuse; a duplicate is the caller's 409, not our 500. */
async function uniquely<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (/UNIQUE constraint failed/i.test(String(error))) {
      throw new ApiError(409, "variant_exists", "This product already has a variant with these option values or this SKU.");
    }
    throw error;
  }
}
