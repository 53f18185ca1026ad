/**
 * The catalogue: products reused across shows, their variants (size ×
 * colour) and photos (R2), and a Room that sells per variant with the same
 * guarantees as per product (the invariant, exactly-once orders, deals).
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { audienceSchema } from "../durable-objects/audience.ts";
import { chatSchema } from "../durable-objects/chat.ts";
import { eventLogSchema } from "../durable-objects/event-log.ts";
import { flashDealsSchema } from "../durable-objects/flash-deals.ts";
import { migrate } from "../durable-objects/migrations.ts";
import { moderationSchema } from "../durable-objects/moderation.ts";
import { ordersSchema, type PlaceOrder } from "../durable-objects/orders.ts";
import { outboxSchema } from "../durable-objects/outbox.ts";
import { isRefusal } from "../durable-objects/refusal.ts";
import type { Room } from "../durable-objects/room.ts";
import { showSchema } from "../durable-objects/show.ts";
import { stageSchema } from "../durable-objects/stage.ts";
import { ticketsSchema } from "../durable-objects/tickets.ts";
import { JPEG_HEAD } from "./fixtures/images.ts";
import { call, expectError, json, open, warmUp } from "./helpers.ts";

beforeAll(warmUp);

const buyer = { name: "Mei Lin", email: "mei@example.com" };
let keyCounter = 0;
const newKey = () => `cat-key-${Date.now()}-${++keyCounter}`;

const post = (path: string, body: unknown, key?: string) => call(path, { method: "POST", json: body, key });
const patch = (path: string, body: unknown, key?: string) => call(path, { method: "PATCH", json: body, key });
const del = (path: string, key?: string) => call(path, { method: "DELETE", key });
const upload = (path: string, bytes: Uint8Array, key?: string, type = "image/png") =>
  call(path, { method: "POST", body: bytes, key, headers: { "Content-Type": type } });

async function newShop(name = "Thread & Co") {
  return json<{ shop: { id: string }; apiKey: string }>(await post("/api/shops", { name, currency: "EUR" }));
}

/** A T-shirt in sizes S and M (M at its own price), and a mug sold as one thing. */
async function catalogue() {
  const { shop, apiKey } = await newShop();
  const base = `/api/shops/${shop.id}/products`;
  const tee = (await json(await post(base, { title: "T-shirt", priceCents: 2000, optionNames: ["Size"] }, apiKey))).product;
  const small = (await json(await post(`${base}/${tee.id}/variants`, { options: ["S"], sku: "TEE-S" }, apiKey))).variant;
  const medium = (await json(await post(`${base}/${tee.id}/variants`, { options: ["M"], sku: "TEE-M", priceCents: 2200 }, apiKey))).variant;
  const mug = (await json(await post(base, { title: "Mug", priceCents: 900 }, apiKey))).product;
  return { shop, apiKey, base, tee, small, medium, mug };
}

async function showOf(c: Awaited<ReturnType<typeof catalogue>>, units: { small: number; medium: number; mug?: number }) {
  const res = await post(
    `/api/shops/${c.shop.id}/rooms`,
    {
      title: "Drop day",
      products: [{ productId: c.mug.id, stock: units.mug ?? 5 }],
      variants: [{ variantId: c.small.id, stock: units.small }, { variantId: c.medium.id, stock: units.medium }],
    },
    c.apiKey,
  );
  expect(res.status).toBe(201);
  const { room, links } = await json(res);
  return { room, hostKey: new URL(links.host).hash.replace("#key=", "") };
}

function order(roomId: string, body: Record<string, unknown>, idempotencyKey = newKey()) {
  return call(`/api/rooms/${roomId}/orders`, {
    method: "POST",
    json: { quantity: 1, buyer, fulfilment: { type: "pickup" }, ...body },
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

type Counters = { id: string; listed: number; available: number; held: number; sold: number };

/** listed = available + held + sold for every variant and product, each ≥ 0, and a product with variants counts exactly their sum. */
function checkInvariant(sql: SqlStorage): void {
  const products = sql.exec<Counters>("SELECT id, listed, available, held, sold FROM products").toArray();
  const variants = sql.exec<Counters & { product_id: string }>("SELECT id, product_id, listed, available, held, sold FROM variants").toArray();
  for (const row of [...products, ...variants]) {
    expect(row.listed).toBe(row.available + row.held + row.sold);
    expect(Math.min(row.available, row.held, row.sold)).toBeGreaterThanOrEqual(0);
  }
  for (const product of products) {
    const mine = variants.filter((v) => v.product_id === product.id);
    if (!mine.length) continue;
    for (const counter of ["listed", "available", "held", "sold"] as const) {
      expect(product[counter]).toBe(mine.reduce((sum, v) => sum + v[counter], 0));
    }
  }
}

const invariant = (roomId: string) => runInDurableObject(env.Room.getByName(roomId), (_room, state) => checkInvariant(state.storage.sql));

async function roomState(roomId: string) {
  return (await json(await call(`/api/rooms/${roomId}`))).room;
}

// ------------------------------------------------------------------ images made here, byte by byte

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A real PNG of `width` × `height` grey pixels (filter 0, zlib-deflated by the runtime). */
async function png(width: number, height: number): Promise<Uint8Array> {
  const raw = new Uint8Array((width * 3 + 1) * height).fill(0x80);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0;
  const deflated = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer());
  const chunk = (type: string, data: Uint8Array) => {
    const body = new Uint8Array([...new TextEncoder().encode(type), ...data]);
    const out = new DataView(new ArrayBuffer(12 + data.length));
    out.setUint32(0, data.length);
    new Uint8Array(out.buffer).set(body, 4);
    out.setUint32(8 + data.length, crc32(body));
    return new Uint8Array(out.buffer);
  };
  const header = new DataView(new ArrayBuffer(13));
  header.setUint32(0, width);
  header.setUint32(4, height);
  new Uint8Array(header.buffer).set([8, 2, 0, 0, 0], 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", new Uint8Array(header.buffer)), chunk("IDAT", deflated), chunk("IEND", new Uint8Array())];
  return new Uint8Array(parts.flatMap((p) => [...p]));
}

const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x3b]);

// ------------------------------------------------------------------ products and variants

describe("the catalogue's products and variants", () => {
  it("creates, reads, changes and archives a product with its variants", async () => {
    const c = await catalogue();
    expect(c.tee).toMatchObject({ title: "T-shirt", optionNames: ["Size"], variants: [], photos: [] });
    expect(c.small).toEqual({ id: expect.stringMatching(/^pv_/), options: ["S"], sku: "TEE-S", priceCents: null });

    const got = (await json(await call(`${c.base}/${c.tee.id}`))).product;
    expect(got.variants.map((v: { options: string[] }) => v.options)).toEqual([["S"], ["M"]]);

    const changed = await patch(`${c.base}/${c.tee.id}`, { title: "Tee", priceCents: 2100, description: "Organic cotton", optionNames: ["Taille"] }, c.apiKey);
    expect(changed.status).toBe(200);
    expect((await json(changed)).product).toMatchObject({ title: "Tee", priceCents: 2100, description: "Organic cotton", optionNames: ["Taille"] });
    const variant = await patch(`${c.base}/${c.tee.id}/variants/${c.medium.id}`, { priceCents: null, sku: "TEE-M2" }, c.apiKey);
    expect((await json(variant)).variant).toEqual({ ...c.medium, sku: "TEE-M2", priceCents: null });

    expect((await del(`${c.base}/${c.tee.id}/variants/${c.small.id}`, c.apiKey)).status).toBe(204);
    expect((await json(await call(`${c.base}/${c.tee.id}`))).product.variants.map((v: { id: string }) => v.id)).toEqual([c.medium.id]);

    expect((await del(`${c.base}/${c.tee.id}`, c.apiKey)).status).toBe(204);
    await expectError(await call(`${c.base}/${c.tee.id}`), 404, "not_found");
    await expectError(await del(`${c.base}/${c.tee.id}`, c.apiKey), 404, "not_found");
    expect((await json(await call(c.base))).products.map((p: { id: string }) => p.id)).toEqual([c.mug.id]);
    // An archived product cannot be listed in a new show.
    await expectError(await post(`/api/shops/${c.shop.id}/rooms`, { title: "Later", variants: [{ variantId: c.medium.id, stock: 1 }] }, c.apiKey), 404, "not_found");
  });

  it("refuses bad input with a clear 4xx and changes nothing", async () => {
    const c = await catalogue();
    await expectError(await post(c.base, { title: "", priceCents: 100 }, c.apiKey), 400, "invalid_request");
    await expectError(await post(c.base, { title: "Hat", priceCents: 100, optionNames: ["Size", "Colour", "Fit"] }, c.apiKey), 400, "invalid_request");
    await expectError(await post(c.base, { title: "Hat", priceCents: 100, optionNames: ["Size", "size"] }, c.apiKey), 400, "invalid_request");
    await expectError(await patch(`${c.base}/${c.tee.id}`, {}, c.apiKey), 400, "invalid_request");
    await expectError(await patch(`${c.base}/${c.tee.id}`, { priceCents: -1 }, c.apiKey), 400, "invalid_request");
    await expectError(await patch(`${c.base}/p_doesNotExist0000`, { title: "X" }, c.apiKey), 404, "not_found");
    await expectError(await patch(`${c.base}/not-an-id`, { title: "X" }, c.apiKey), 400, "invalid_request");
    // Two options while its variants have one value each: they would no longer say what they are.
    await expectError(await patch(`${c.base}/${c.tee.id}`, { optionNames: ["Size", "Colour"] }, c.apiKey), 409, "variants_exist");
    await expectError(await post(`${c.base}/${c.tee.id}/variants`, { options: ["L", "Red"] }, c.apiKey), 400, "invalid_request");
    await expectError(await post(`${c.base}/${c.tee.id}/variants`, { options: ["S"] }, c.apiKey), 409, "variant_exists");
    await expectError(await post(`${c.base}/${c.tee.id}/variants`, { options: ["L"], sku: "TEE-S" }, c.apiKey), 409, "variant_exists");
    await expectError(await post(`${c.base}/${c.mug.id}/variants`, { options: ["Big"] }, c.apiKey), 409, "no_options");
    await expectError(await patch(`${c.base}/${c.tee.id}/variants/${c.small.id}`, { options: ["M"] }, c.apiKey), 409, "variant_exists");
    await expectError(await call(`${c.base}/${c.tee.id}`, { method: "PATCH", body: "{not json", headers: { "Content-Type": "application/json" }, key: c.apiKey }), 400, "invalid_json");
    const product = (await json(await call(`${c.base}/${c.tee.id}`))).product;
    expect(product).toMatchObject({ title: "T-shirt", priceCents: 2000, optionNames: ["Size"] });
    expect(product.variants).toEqual([c.small, c.medium]);
  });

  it("takes the shop's own key for every change (another shop's key: 403)", async () => {
    const c = await catalogue();
    const other = await newShop("Other");
    const photo = await png(2, 2);
    for (const res of [
      await patch(`${c.base}/${c.tee.id}`, { title: "Mine now" }, other.apiKey),
      await del(`${c.base}/${c.tee.id}`, other.apiKey),
      await post(`${c.base}/${c.tee.id}/variants`, { options: ["XL"] }, other.apiKey),
      await patch(`${c.base}/${c.tee.id}/variants/${c.small.id}`, { sku: "X" }, other.apiKey),
      await del(`${c.base}/${c.tee.id}/variants/${c.small.id}`, other.apiKey),
      await upload(`${c.base}/${c.tee.id}/photos`, photo, other.apiKey),
      await call(`${c.base}/${c.tee.id}/photos/order`, { method: "PUT", json: { photoIds: [] }, key: other.apiKey }),
    ]) {
      await expectError(res, 403, "forbidden");
    }
    await expectError(await patch(`${c.base}/${c.tee.id}`, { title: "Mine now" }), 401, "unauthorized");
    await expectError(await upload(`${c.base}/${c.tee.id}/photos`, photo), 401, "unauthorized");
    // Its own key on another shop's product id: that product is not in its catalogue.
    await expectError(await patch(`/api/shops/${other.shop.id}/products/${c.tee.id}`, { title: "X" }, other.apiKey), 404, "not_found");
    expect((await json(await call(`${c.base}/${c.tee.id}`))).product).toMatchObject({ title: "T-shirt", variants: [c.small, c.medium], photos: [] });
  });
});

// ------------------------------------------------------------------ photos

describe("photos", () => {
  it("uploads a PNG and a JPEG, checked by their bytes, and serves them immutable with an ETag", async () => {
    const c = await catalogue();
    const res = await upload(`${c.base}/${c.tee.id}/photos`, await png(3, 2), c.apiKey);
    expect(res.status).toBe(201);
    const { photo } = await json(res);
    expect(photo).toEqual({ id: expect.stringMatching(/^ph_/), url: `/photos/${c.tee.id}/${photo.id}.png`, width: 3, height: 2 });
    // The Content-Type the client claims does not matter: the bytes do.
    const jpeg = (await json(await upload(`${c.base}/${c.tee.id}/photos`, JPEG_HEAD, c.apiKey, "application/octet-stream"))).photo;
    expect(jpeg).toMatchObject({ url: expect.stringMatching(/\.jpg$/), width: 640, height: 480 });

    const served = await call(photo.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const etag = served.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(await png(3, 2));
    expect((await call(jpeg.url)).headers.get("Content-Type")).toBe("image/jpeg");
    const again = await call(photo.url, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("ETag")).toBe(etag);
    await expectError(await call(`/photos/${c.tee.id}/ph_0000000000000000.png`), 404, "not_found");
    await expectError(await call("/photos/p_x/..%2F..%2Fsecret.png"), 404, "not_found");

    expect((await json(await call(`${c.base}/${c.tee.id}`))).product.photos).toEqual([photo, jpeg]);
  });

  it("refuses what is not a JPEG, PNG or WebP (415) and what is over 5 MB (413); only this route may pass 64 KB", async () => {
    const c = await catalogue();
    const path = `${c.base}/${c.tee.id}/photos`;
    await expectError(await upload(path, GIF, c.apiKey, "image/gif"), 415, "unsupported_image");
    await expectError(await upload(path, new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"), c.apiKey, "image/png"), 415, "unsupported_image");
    // PNG magic bytes with no header behind them.
    await expectError(await upload(path, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), c.apiKey), 415, "unsupported_image");
    const tooBig = new Uint8Array(5 * 1024 * 1024 + 1);
    tooBig.set(JPEG_HEAD);
    await expectError(await upload(path, tooBig, c.apiKey, "image/jpeg"), 413, "payload_too_large");
    // 100 KB is fine here (bytes after a JPEG's end are ignored), and still too much for any JSON route.
    const large = new Uint8Array(100 * 1024);
    large.set(JPEG_HEAD);
    expect((await upload(path, large, c.apiKey, "image/jpeg")).status).toBe(201);
    await expectError(await post(c.base, { title: "Big", priceCents: 1, description: "x".repeat(70 * 1024) }, c.apiKey), 413, "payload_too_large");
    expect((await json(await call(`${c.base}/${c.tee.id}`))).product.photos).toHaveLength(1);
  });

  it("reorders and deletes photos; a show lists them with the first as its picture", async () => {
    const c = await catalogue();
    const path = `${c.base}/${c.tee.id}/photos`;
    const none = await call(`${path}/order`, { method: "PUT", json: { photoIds: [] }, key: c.apiKey });
    expect([none.status, (await json(none)).photos]).toEqual([200, []]);
    const a = (await json(await upload(path, await png(4, 4), c.apiKey))).photo;
    const b = (await json(await upload(path, await png(8, 4), c.apiKey))).photo;
    await expectError(await call(`${path}/order`, { method: "PUT", json: { photoIds: [b.id] }, key: c.apiKey }), 400, "invalid_request");
    await expectError(await call(`${path}/order`, { method: "PUT", json: { photoIds: [b.id, b.id] }, key: c.apiKey }), 400, "invalid_request");
    const reordered = await call(`${path}/order`, { method: "PUT", json: { photoIds: [b.id, a.id] }, key: c.apiKey });
    expect((await json(reordered)).photos.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);

    const { room } = await showOf(c, { small: 1, medium: 1 });
    const tee = room.products.find((p: { id: string }) => p.id === c.tee.id);
    expect(tee.imageUrl).toBe(b.url);
    expect(tee.photos).toEqual([{ url: b.url, width: 8, height: 4 }, { url: a.url, width: 4, height: 4 }]);

    expect((await del(`${path}/${b.id}`, c.apiKey)).status).toBe(204);
    await expectError(await del(`${path}/${b.id}`, c.apiKey), 404, "not_found");
    await expectError(await call(b.url), 404, "not_found");
    expect((await json(await call(`${c.base}/${c.tee.id}`))).product.photos).toEqual([a]);
  });
});

// ------------------------------------------------------------------ shows and orders per variant

describe("a show that sells per variant", () => {
  it("is created with units per variant beside products without variants (the old shape still works)", async () => {
    const c = await catalogue();
    const { room } = await showOf(c, { small: 3, medium: 4, mug: 5 });
    expect(room.products.map((p: { id: string; left: number }) => [p.id, p.left])).toEqual([[c.mug.id, 5], [c.tee.id, 7]]);
    const tee = room.products[1];
    expect(tee.optionNames).toEqual(["Size"]);
    expect(tee.variants).toEqual([
      { id: c.small.id, options: ["S"], sku: "TEE-S", priceCents: 2000, left: 3 },
      { id: c.medium.id, options: ["M"], sku: "TEE-M", priceCents: 2200, left: 4 },
    ]);
    expect(room.products[0].variants).toEqual([]);
    const { results } = await env.DB.prepare("SELECT variant_id, product_id, listed FROM room_variants WHERE room_id = ? ORDER BY position").bind(room.id).all();
    expect(results).toEqual([{ variant_id: c.small.id, product_id: c.tee.id, listed: 3 }, { variant_id: c.medium.id, product_id: c.tee.id, listed: 4 }]);
    expect(await env.DB.prepare("SELECT listed FROM room_products WHERE room_id = ? AND product_id = ?").bind(room.id, c.tee.id).first()).toEqual({ listed: 7 });
    await invariant(room.id);

    // A product that has variants is listed by its variants, not as one thing.
    await expectError(await post(`/api/shops/${c.shop.id}/rooms`, { title: "X", products: [{ productId: c.tee.id, stock: 5 }] }, c.apiKey), 422, "variants_required");
    await expectError(await post(`/api/shops/${c.shop.id}/rooms`, { title: "X", variants: [{ variantId: "pv_doesNotExist0000", stock: 1 }] }, c.apiKey), 404, "not_found");
    await expectError(await post(`/api/shops/${c.shop.id}/rooms`, { title: "X", variants: [{ variantId: c.small.id, stock: 1 }, { variantId: c.small.id, stock: 2 }] }, c.apiKey), 400, "invalid_request");
    await expectError(await post(`/api/shops/${c.shop.id}/rooms`, { title: "X" }, c.apiKey), 400, "invalid_request");
    const other = await newShop("Other");
    await expectError(await post(`/api/shops/${other.shop.id}/rooms`, { title: "X", variants: [{ variantId: c.small.id, stock: 1 }] }, other.apiKey), 404, "not_found");
  });

  it("needs the variant of a product that has some (422), sells each variant from its own units, and the last one exactly once", async () => {
    const c = await catalogue();
    const { room, hostKey } = await showOf(c, { small: 1, medium: 3 });
    await expectError(await order(room.id, { productId: c.tee.id }), 422, "variant_required");
    await expectError(await order(room.id, { productId: c.tee.id, variantId: "pv_doesNotExist0000" }), 422, "unknown_variant");
    await expectError(await order(room.id, { productId: c.mug.id, variantId: c.small.id }), 422, "unknown_variant");
    await invariant(room.id);

    const viewer = await open(room.id);
    await viewer.next("sync");
    // Ten buyers at once for the last S: exactly one gets it.
    const attempts = await Promise.all(Array.from({ length: 10 }, () => order(room.id, { productId: c.tee.id, variantId: c.small.id })));
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    const won = (await json(attempts.find((r) => r.status === 201)!)).order;
    expect(won).toMatchObject({ productId: c.tee.id, variant: { id: c.small.id, options: ["S"], sku: "TEE-S" }, unitPriceCents: 2000 });
    await invariant(room.id);
    const soldOut = await order(room.id, { productId: c.tee.id, variantId: c.small.id });
    expect(await expectError(soldOut, 409, "sold_out")).toBe("Sold out.");

    // The other size still sells, at its own price; the product's count is the sum.
    const m = await order(room.id, { productId: c.tee.id, variantId: c.medium.id, quantity: 2 });
    expect(m.status).toBe(201);
    expect((await json(m)).order).toMatchObject({ variant: { id: c.medium.id, options: ["M"], sku: "TEE-M" }, unitPriceCents: 2200, totalCents: 4400 });
    await expectError(await order(room.id, { productId: c.tee.id, variantId: c.medium.id, quantity: 2 }), 409, "sold_out");
    const tee = (await roomState(room.id)).products.find((p: { id: string }) => p.id === c.tee.id);
    expect([tee.left, tee.variants.map((v: { left: number }) => v.left)]).toEqual([1, [0, 1]]);
    await invariant(room.id);
    // The studio's list names the size.
    const hostOrders = await json(await call(`/api/rooms/${room.id}/orders`, { key: hostKey }));
    expect(hostOrders.orders.map((o: { variant: string[] | null }) => o.variant)).toEqual([["M"], ["S"]]);
    // Viewers were told each change with the variants in it.
    let event = await viewer.next("product");
    while (event.product.left !== 1) event = await viewer.next("product");
    expect(event.product.variants.map((v: { left: number }) => v.left)).toEqual([0, 1]);
  });

  it("replays a retried order (same key, same body) and carries the variant to D1", async () => {
    const c = await catalogue();
    const { room } = await showOf(c, { small: 2, medium: 2 });
    const key = newKey();
    const first = await order(room.id, { productId: c.tee.id, variantId: c.medium.id }, key);
    const retry = await order(room.id, { productId: c.tee.id, variantId: c.medium.id }, key);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    const placed = (await json(first)).order;
    expect((await json(retry)).order).toEqual(placed);
    // The same key for the other size is another order: refused.
    await expectError(await order(room.id, { productId: c.tee.id, variantId: c.small.id }, key), 422, "idempotency_key_reused");
    const tee = (await roomState(room.id)).products.find((p: { id: string }) => p.id === c.tee.id);
    expect(tee.variants.map((v: { left: number }) => v.left)).toEqual([2, 1]);

    const stub = env.Room.getByName(room.id);
    let row: Record<string, unknown> | null = null;
    for (let i = 0; i < 20 && !row; i++) {
      await runInDurableObject(stub, (_room, state) => state.storage.sql.exec("UPDATE outbox SET next_at = 0"));
      await runDurableObjectAlarm(stub);
      row = await env.DB.prepare("SELECT variant_id, variant_options, sku FROM orders WHERE id = ?").bind(placed.id).first();
    }
    expect(row).toEqual({ variant_id: c.medium.id, variant_options: JSON.stringify(["M"]), sku: "TEE-M" });
    const shopOrders = await json(await call(`/api/shops/${c.shop.id}/orders`, { key: c.apiKey }));
    expect(shopOrders.orders[0].variant).toEqual({ id: c.medium.id, options: ["M"], sku: "TEE-M" });
    const csv = await (await call(`/api/shops/${c.shop.id}/orders?format=csv`, { key: c.apiKey })).text();
    expect(csv.split("\r\n")[0]).toMatch(/,variant,sku,phase$/);
    expect(csv.split("\r\n")[1]).toMatch(/,M,TEE-M,prelive$/);
  });

  it("runs a flash deal on one variant only", async () => {
    const c = await catalogue();
    const { room, hostKey } = await showOf(c, { small: 5, medium: 5 });
    await post(`/api/rooms/${room.id}/status`, { status: "live" }, hostKey);
    const deals = `/api/rooms/${room.id}/deals`;
    await expectError(await post(deals, { productId: c.mug.id, variantId: c.small.id, priceCents: 100, durationSeconds: 60 }, hostKey), 422, "unknown_variant");
    // M costs 2200: a deal of 2100 on M is a deal; on the whole product it would not be (S costs 2000).
    await expectError(await post(deals, { productId: c.tee.id, priceCents: 2100, durationSeconds: 60 }, hostKey), 400, "invalid_request");
    const started = await post(deals, { productId: c.tee.id, variantId: c.medium.id, priceCents: 1500, durationSeconds: 60, perBuyerLimit: 1 }, hostKey);
    expect(started.status).toBe(201);
    expect((await json(started)).deal).toMatchObject({ productId: c.tee.id, variantId: c.medium.id, priceCents: 1500 });

    const m = (await json(await order(room.id, { productId: c.tee.id, variantId: c.medium.id }))).order;
    expect([m.unitPriceCents, m.dealId]).toEqual([1500, expect.stringMatching(/^d_/)]);
    const s = (await json(await order(room.id, { productId: c.tee.id, variantId: c.small.id }))).order;
    expect([s.unitPriceCents, s.dealId]).toEqual([2000, null]);
    await expectError(await order(room.id, { productId: c.tee.id, variantId: c.medium.id }), 409, "deal_limit_reached");
    await invariant(room.id);
  });

  it("keeps the invariant per variant under any sequence of buys, holds, payments, expiries, cancels and the shop's cancels", async () => {
    const c = await catalogue();
    const { room } = await showOf(c, { small: 4, medium: 6, mug: 3 });
    const stub = env.Room.getByName(room.id);
    const items = [
      { productId: c.tee.id, variantId: c.small.id },
      { productId: c.tee.id, variantId: c.medium.id },
      { productId: c.mug.id, variantId: null },
      { productId: c.tee.id, variantId: null },
    ];
    const step = fc.oneof(
      fc.record({ kind: fc.constant("buy" as const), item: fc.integer({ min: 0, max: items.length - 1 }), quantity: fc.integer({ min: 1, max: 3 }), hold: fc.boolean() }),
      fc.record({ kind: fc.constantFrom("confirmed" as const, "expired" as const, "cancelled" as const), pick: fc.nat() }),
      // The shop cancels an order (paid or not): its units go back on sale.
      fc.record({ kind: fc.constant("shop_cancel" as const), pick: fc.nat() }),
    );
    await runInDurableObject(stub, (r: Room, state) => {
      let n = 0;
      fc.assert(
        fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
          for (const s of steps) {
            if (s.kind === "buy") {
              const input: PlaceOrder = {
                idempotencyKey: `prop-${++n}`,
                requestHash: `h-${n}`,
                ...items[s.item]!,
                quantity: s.quantity,
                buyer: { name: "P", email: "p@example.com", phone: null },
                fulfilment: { type: "pickup", address: null },
                ref: null,
                payment: s.hold ? "stripe" : "offline",
                holdMs: 60_000,
              };
              const placed = r.placeOrder(input);
              if (isRefusal(placed)) expect(["sold_out", "variant_required"]).toContain(placed.code);
              else expect(placed.order.variant?.id ?? null).toBe(input.variantId);
            } else if (s.kind === "shop_cancel") {
              const open = state.storage.sql.exec<{ id: string }>("SELECT id FROM orders WHERE status IN ('awaiting_payment', 'confirmed') ORDER BY number").toArray();
              if (open.length) expect(isRefusal(r.cancelOrderByShop(open[s.pick % open.length]!.id))).toBe(false);
            } else {
              const holds = state.storage.sql.exec<{ id: string }>("SELECT id FROM orders WHERE status = 'awaiting_payment' ORDER BY number").toArray();
              if (holds.length) r.settle(holds[s.pick % holds.length]!.id, s.kind);
            }
            checkInvariant(state.storage.sql);
          }
          // Sold and held are exactly what the orders say, per variant.
          const byVariant = state.storage.sql
            .exec<{ id: string; sold: number; held: number; s: number; h: number }>(
              `SELECT v.id, v.sold, v.held,
                 coalesce((SELECT sum(quantity) FROM orders o WHERE o.variant_id = v.id AND o.status = 'confirmed'), 0) AS s,
                 coalesce((SELECT sum(quantity) FROM orders o WHERE o.variant_id = v.id AND o.status = 'awaiting_payment'), 0) AS h
               FROM variants v`,
            )
            .toArray();
          for (const v of byVariant) expect([v.sold, v.held]).toEqual([v.s, v.h]);
        }),
        { numRuns: 40 },
      );
    });
  });
});

describe("a room created before variants", () => {
  it("upgrades its storage in place (version 5 to 6) and sells its products as before", async () => {
    const stub = env.Room.getByName("r_BeforeVariants01");
    await runInDurableObject(stub, (_room, state) => {
      // The room as version 5 (the version before variants) left it: every feature's steps up to 5.
      const upTo5 = [showSchema, eventLogSchema, chatSchema, moderationSchema, audienceSchema, ordersSchema, flashDealsSchema, stageSchema, outboxSchema, ticketsSchema]
        .map((schema) => ({ schema: Object.fromEntries(Object.entries(schema ?? {}).filter(([version]) => Number(version) <= 5)) }));
      expect(migrate(state.storage, upTo5)).toEqual([1, 2, 3, 4, 5]);
      const sql = state.storage.sql;
      sql.exec(
        `INSERT INTO room (id, room_id, shop_id, shop_name, title, starts_at, status, host_key_hash, guest_key_hash)
         VALUES (1, 'r_BeforeVariants01', 's_BeforeVariants01', 'Tea', 'Version five', NULL, 'live', 'h', 'g')`,
      );
      sql.exec(
        `INSERT INTO products (id, position, title, description, price_cents, currency, image_url, listed, available, held, sold)
         VALUES ('p_BeforeVariants01', 0, 'Oolong', NULL, 1200, 'EUR', 'https://example.com/o.jpg', 5, 4, 0, 1)`,
      );
      sql.exec(
        "INSERT INTO deals (id, product_id, price_cents, starts_at, ends_at, per_buyer_limit, ended) VALUES ('d_old', 'p_BeforeVariants01', 900, ?, ?, NULL, 0)",
        Date.now() - 1000, Date.now() + 60_000,
      );
    });
    await evictDurableObject(stub);
    await runInDurableObject(stub, (room: Room, state) => {
      const sql = state.storage.sql;
      expect(sql.exec("SELECT version FROM schema_version").one().version).toBe(15);
      const product = room.getState()!.products[0]!;
      expect(product).toMatchObject({ id: "p_BeforeVariants01", left: 4, imageUrl: "https://example.com/o.jpg", optionNames: [], variants: [], photos: [] });
      expect(room.getState()!.deal).toMatchObject({ id: "d_old", variantId: null });
      const placed = room.placeOrder({
        idempotencyKey: "old-room-1", requestHash: "x", productId: "p_BeforeVariants01", variantId: null, quantity: 2,
        buyer: { name: "Mei", email: "mei@example.com", phone: null }, fulfilment: { type: "pickup", address: null }, ref: null, payment: "offline", holdMs: 0,
      });
      expect(placed).toMatchObject({ ok: true, order: { variant: null, unitPriceCents: 900 } });
      expect(room.getState()!.products[0]!.left).toBe(2);
      checkInvariant(sql);
    });
  });
});
