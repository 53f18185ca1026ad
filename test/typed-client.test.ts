/**
 * The typed client (clients/typescript/) against the real Worker: the README's
 * example (a shop, a product, a show, a pin, an order, the shop's orders) and
 * errors as the client hands them back.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { shopAlong } from "../clients/typescript/src/index.ts";
import { BASE } from "./helpers.ts";

const fetchWorker = (request: Request) => exports.default.fetch(request);

describe("@shop-along/client", () => {
  it("creates a show, pins a product, and reads the shop's orders", async () => {
    const anonymous = shopAlong({ baseUrl: `${BASE}/api`, fetch: fetchWorker });
    const created = await anonymous.POST("/shops", { body: { name: "Lotus Tea", currency: "EUR" } });
    expect(created.response.status).toBe(201);
    const { shop, apiKey } = created.data!;

    const api = shopAlong({ baseUrl: `${BASE}/api`, apiKey, fetch: fetchWorker });
    const { data: made } = await api.POST("/shops/{shopId}/products", { params: { path: { shopId: shop.id } }, body: { title: "Jasmine pearls", priceCents: 1899 } });
    const product = made!.product;
    const { data: show } = await api.POST("/shops/{shopId}/rooms", {
      params: { path: { shopId: shop.id } },
      body: { title: "Spring tasting", products: [{ productId: product.id, stock: 40 }] },
    });
    const roomId = show!.room.id;
    expect(show!.links.viewer).toBe(`${BASE}/r/${roomId}`);

    const pinned = await api.POST("/rooms/{roomId}/pin", { params: { path: { roomId } }, body: { productId: product.id } });
    expect(pinned.data!.room.pinnedProductId).toBe(product.id);
    expect(pinned.response.headers.get("RateLimit-Policy")).toBe('"default";q=600;w=60');
    const order = await anonymous.POST("/rooms/{roomId}/orders", {
      params: { path: { roomId }, header: { "idempotency-key": "client-test-1" } },
      body: { productId: product.id, quantity: 2, buyer: { name: "Mei Lin", email: "mei@example.com" }, fulfilment: { type: "pickup" } },
    });
    expect(order.response.status).toBe(201);

    const { data: list } = await api.GET("/shops/{shopId}/orders", { params: { path: { shopId: shop.id } } });
    // The route also answers CSV (`format=csv`), so the type says so: a JSON answer is the object.
    if (!list || typeof list === "string") throw new Error(`expected the JSON list, got ${list}`);
    expect(list.orders.map((o) => [o.id, o.quantity])).toEqual([[order.data!.order.id, 2]]);
  });

  it("hands back the API's error as `error`, with its status", async () => {
    const api = shopAlong({ baseUrl: `${BASE}/api`, apiKey: "sk_0000000000000000000000000000000", fetch: fetchWorker });
    const { data, error, response } = await api.GET("/shops/{shopId}/orders", { params: { path: { shopId: "s_0000000000000000" } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(error!.error.code).toBe("unauthorized");

    const invalid = await shopAlong({ baseUrl: `${BASE}/api`, fetch: fetchWorker }).POST("/shops", { body: { name: "" } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error!.error).toMatchObject({ code: "invalid_request", message: expect.stringContaining("name") });
  });
});
