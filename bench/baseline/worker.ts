/**
 * The naive baseline the Room replaces: the same Worker front (Hono, the same
 * request schemas, validation and body limit as worker/), but each purchase
 * is a conditional UPDATE straight on D1 (take the units if enough are left)
 * followed by an INSERT of the order. Benchmark-only; never deployed.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { ApiError, renderError } from "../../worker/errors.ts";
import { jsonBody, jsonContent } from "../../worker/openapi.ts";
import { CreateOrder, IdempotencyHeader, RoomParams } from "../../worker/schemas.ts";
import { validationHook } from "../../worker/validation.ts";
import { z } from "@hono/zod-openapi";

type Bindings = { DB: D1Database };
const app = new OpenAPIHono<{ Bindings: Bindings }>({ defaultHook: validationHook as never });
app.use(bodyLimit({ maxSize: 64 * 1024 }));

app.post("/stock", async (c) => {
  const { roomId, productId, units } = await c.req.json<{ roomId: string; productId: string; units: number }>();
  await c.env.DB.batch([
    c.env.DB.prepare("DELETE FROM orders"),
    c.env.DB.prepare("INSERT OR REPLACE INTO stock (room_id, product_id, left) VALUES (?, ?, ?)").bind(roomId, productId, units),
  ]);
  return c.json({ ok: true });
});

app.openapi(
  createRoute({
    method: "post",
    path: "/api/rooms/{roomId}/orders",
    request: { params: RoomParams, headers: IdempotencyHeader, body: jsonBody(CreateOrder) },
    responses: { 201: jsonContent(z.object({ order: z.object({ id: z.string() }) }), "The order") },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const taken = await c.env.DB.prepare("UPDATE stock SET left = left - ? WHERE room_id = ? AND product_id = ? AND left >= ?")
      .bind(body.quantity, roomId, body.productId, body.quantity)
      .run();
    if (taken.meta.changes === 0) throw new ApiError(409, "sold_out", "Sold out.");
    const id = crypto.randomUUID();
    await c.env.DB.prepare("INSERT INTO orders (id, idempotency_key, room_id, product_id, quantity, buyer_email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(id, key, roomId, body.productId, body.quantity, body.buyer.email, Date.now())
      .run();
    return c.json({ order: { id } }, 201);
  },
);

app.get("/state", async (c) => {
  const stock = await c.env.DB.prepare("SELECT left FROM stock").first<{ left: number }>();
  const orders = await c.env.DB.prepare("SELECT count(*) AS n FROM orders").first<{ n: number }>();
  return c.json({ left: stock?.left ?? null, orders: orders?.n ?? 0 });
});

app.onError(renderError);

export default app;
