/**
 * A shop's webhook endpoints: subscribe, change, enable/disable, delete,
 * rotate the secret, read the delivery log, redeliver, send a test event.
 * The shop's API key or a signed-in owner or manager.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { ShopParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";
import { newEndpointId, newEventId, PING, queueDeliveries } from "./events.ts";
import { CreateEndpoint, DeliveryList, DeliveryOne, DeliveryParams, EmptyBody, EndpointList, EndpointOne, EndpointParams, EndpointWithSecret, UpdateEndpoint, type Endpoint } from "./schemas.ts";
import { newSigningSecret, sealSecret } from "./secrets.ts";
import { addressProblem } from "./urls.ts";

export const webhookEndpoints = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** The old secret keeps signing this long after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3600_000;
const MAX_ENDPOINTS = 20;

const TAGS = ["Webhooks"];

type EndpointRow = { id: string; url: string; description: string | null; events: string; enabled: number; disabled_reason: string | null; previous_until: number | null; created_at: number };
const COLUMNS = "id, url, description, events, enabled, disabled_reason, previous_until, created_at";

const toEndpoint = (r: EndpointRow): Endpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: JSON.parse(r.events),
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason === "failing" ? "failing" : null,
  previousSecretUntil: r.previous_until && r.previous_until > Date.now() ? r.previous_until : null,
  createdAt: r.created_at,
});

async function endpointOf(db: D1Database, shopId: string, endpointId: string): Promise<EndpointRow> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ? AND shop_id = ?`).bind(endpointId, shopId).first<EndpointRow>();
  if (!row) throw notFound(`Webhook endpoint ${endpointId} of this shop`);
  return row;
}

async function checkUrl(env: Env, url: string): Promise<void> {
  const problem = await addressProblem(url, env);
  if (problem) throw new ApiError(400, "invalid_url", problem);
}

/** Everything of an endpoint still waiting, onto the queue (after enabling it). */
async function queueWaiting(env: Env, endpointId: string): Promise<void> {
  const { results } = await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending' AND queued_at IS NULL ORDER BY occurred_at")
    .bind(endpointId)
    .all<{ id: string }>();
  await queueDeliveries(env, results.map((r) => r.id)).catch((error) => console.warn("webhooks: queueing after enable failed; the sweep will", String(error)));
}

webhookEndpoints.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/webhooks",
    tags: TAGS,
    summary: "The shop's webhook endpoints",
    description: "Oldest first; never their secrets.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams },
    responses: { 200: jsonContent(EndpointList, "The endpoints"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { results } = await c.env.DB.prepare(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE shop_id = ? ORDER BY created_at, id`).bind(c.get("shop").id).all<EndpointRow>();
    c.header("Cache-Control", "no-store");
    return c.json({ endpoints: results.map(toEndpoint) }, 200);
  },
);

webhookEndpoints.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/webhooks",
    tags: TAGS,
    summary: "Subscribe an endpoint",
    description:
      "The URL must be https and must not resolve to a private, loopback or link-local address (on a local deployment, http://localhost and 127.0.0.1 are allowed too). The signing secret (`whsec_…`, Standard Webhooks) is in this answer only.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, body: jsonBody(CreateEndpoint) },
    responses: { 201: jsonContent(EndpointWithSecret, "The endpoint and its secret, shown once"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const shopId = c.get("shop").id;
    const body = c.req.valid("json");
    await checkUrl(c.env, body.url);
    const count = (await c.env.DB.prepare("SELECT count(*) AS n FROM webhook_endpoints WHERE shop_id = ?").bind(shopId).first<{ n: number }>())!.n;
    if (count >= MAX_ENDPOINTS) throw new ApiError(409, "too_many_endpoints", `A shop has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`);
    const secret = newSigningSecret();
    const now = Date.now();
    const id = newEndpointId();
    await c.env.DB.prepare(
      "INSERT INTO webhook_endpoints (id, shop_id, url, description, events, secret, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
    )
      .bind(id, shopId, body.url, body.description || null, JSON.stringify(body.events), await sealSecret(c.env.DB, secret), now, now)
      .run();
    c.header("Cache-Control", "no-store");
    return c.json({ endpoint: toEndpoint(await endpointOf(c.env.DB, shopId, id)), secret }, 201);
  },
);

webhookEndpoints.openapi(
  createRoute({
    method: "patch",
    path: "/{shopId}/webhooks/{endpointId}",
    tags: TAGS,
    summary: "Change an endpoint, or disable / enable it",
    description: "Enabling an endpoint sends what waited for it (events written while it was enabled); events that happened while it was disabled are not sent.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: EndpointParams, body: jsonBody(UpdateEndpoint) },
    responses: { 200: jsonContent(EndpointOne, "The endpoint after the change"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const shopId = c.get("shop").id;
    const { endpointId } = c.req.valid("param");
    const body = c.req.valid("json");
    const before = await endpointOf(c.env.DB, shopId, endpointId);
    if (body.url !== undefined) await checkUrl(c.env, body.url);
    const enabling = body.enabled === true && before.enabled === 0;
    await c.env.DB.prepare(
      `UPDATE webhook_endpoints SET url = coalesce(?, url), events = coalesce(?, events), description = CASE WHEN ? THEN ? ELSE description END,
       enabled = coalesce(?, enabled), disabled_reason = CASE WHEN ? IS NULL THEN disabled_reason ELSE NULL END,
       failing_since = CASE WHEN ? THEN NULL ELSE failing_since END, updated_at = ? WHERE id = ? AND shop_id = ?`,
    )
      .bind(
        body.url ?? null, body.events ? JSON.stringify(body.events) : null, body.description !== undefined ? 1 : 0, body.description || null,
        body.enabled === undefined ? null : body.enabled ? 1 : 0, body.enabled === undefined ? null : 1, enabling ? 1 : 0, Date.now(), endpointId, shopId,
      )
      .run();
    if (enabling) await queueWaiting(c.env, endpointId);
    return c.json({ endpoint: toEndpoint(await endpointOf(c.env.DB, shopId, endpointId)) }, 200);
  },
);

webhookEndpoints.openapi(
  createRoute({
    method: "delete",
    path: "/{shopId}/webhooks/{endpointId}",
    tags: TAGS,
    summary: "Delete an endpoint",
    description: "With its delivery log; nothing more is sent to it.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: EndpointParams },
    responses: { 200: jsonContent(EndpointList, "The endpoints left"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const shopId = c.get("shop").id;
    const { endpointId } = c.req.valid("param");
    await endpointOf(c.env.DB, shopId, endpointId);
    await c.env.DB.batch([
      c.env.DB.prepare("DELETE FROM webhook_attempts WHERE endpoint_id = ?").bind(endpointId),
      c.env.DB.prepare("DELETE FROM webhook_deliveries WHERE endpoint_id = ?").bind(endpointId),
      c.env.DB.prepare("DELETE FROM webhook_endpoints WHERE id = ? AND shop_id = ?").bind(endpointId, shopId),
    ]);
    const { results } = await c.env.DB.prepare(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE shop_id = ? ORDER BY created_at, id`).bind(shopId).all<EndpointRow>();
    return c.json({ endpoints: results.map(toEndpoint) }, 200);
  },
);

webhookEndpoints.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/webhooks/{endpointId}/rotate-secret",
    tags: TAGS,
    summary: "Rotate an endpoint's signing secret",
    description: "The new secret is in this answer only. For 24 hours every delivery carries two signatures, one with the old secret and one with the new, so the receiver can switch at its own pace.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: EndpointParams },
    responses: { 200: jsonContent(EndpointWithSecret, "The endpoint and its new secret, shown once"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const shopId = c.get("shop").id;
    const { endpointId } = c.req.valid("param");
    await endpointOf(c.env.DB, shopId, endpointId);
    const secret = newSigningSecret();
    const now = Date.now();
    await c.env.DB.prepare("UPDATE webhook_endpoints SET previous_secret = secret, previous_until = ?, secret = ?, updated_at = ? WHERE id = ? AND shop_id = ?")
      .bind(now + ROTATION_OVERLAP_MS, await sealSecret(c.env.DB, secret), now, endpointId, shopId)
      .run();
    c.header("Cache-Control", "no-store");
    return c.json({ endpoint: toEndpoint(await endpointOf(c.env.DB, shopId, endpointId)), secret }, 200);
  },
);

type LogRow = { id: string; event_id: string; type: string; status: "pending" | "delivered" | "failed"; created_at: number; delivered_at: number | null; log: string };

const DELIVERY_QUERY = `SELECT d.id, d.event_id, v.type, d.status, d.created_at, d.delivered_at,
  (SELECT json_group_array(json_object('attempt', a.attempt, 'status', a.status, 'ok', a.ok, 'latencyMs', a.latency_ms, 'response', a.response, 'at', a.at))
   FROM (SELECT * FROM webhook_attempts WHERE delivery_id = d.id ORDER BY attempt DESC LIMIT 20) a) AS log
  FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id`;

const toDelivery = (r: LogRow) => ({
  id: r.id,
  eventId: r.event_id,
  eventType: r.type,
  status: r.status,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
  attempts: (JSON.parse(r.log) as { attempt: number; status: number | null; ok: number; latencyMs: number; response: string | null; at: number }[]).map((a) => ({ ...a, ok: a.ok === 1 })),
});

webhookEndpoints.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/webhooks/{endpointId}/deliveries",
    tags: TAGS,
    summary: "An endpoint's delivery log",
    description: "The latest 50 deliveries, newest first, each with its attempts (newest first): HTTP status, latency, the first 500 characters of the answer, when.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: EndpointParams },
    responses: { 200: jsonContent(DeliveryList, "The log"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { endpointId } = c.req.valid("param");
    await endpointOf(c.env.DB, c.get("shop").id, endpointId);
    const { results } = await c.env.DB.prepare(`${DELIVERY_QUERY} WHERE d.endpoint_id = ? ORDER BY d.occurred_at DESC, d.event_id DESC LIMIT 50`).bind(endpointId).all<LogRow>();
    c.header("Cache-Control", "no-store");
    return c.json({ deliveries: results.map(toDelivery) }, 200);
  },
);

webhookEndpoints.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/webhooks/deliveries/{deliveryId}/redeliver",
    tags: TAGS,
    summary: "Deliver an event again",
    description: "A new round of attempts (with the same `webhook-id`), whatever became of the last one.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: DeliveryParams },
    responses: { 202: jsonContent(DeliveryOne, "The delivery, queued"), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const shopId = c.get("shop").id;
    const { deliveryId } = c.req.valid("param");
    const owned = await c.env.DB.prepare("SELECT e.enabled FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ? AND e.shop_id = ?")
      .bind(deliveryId, shopId)
      .first<{ enabled: number }>();
    if (!owned) throw notFound(`Delivery ${deliveryId} of this shop`);
    if (!owned.enabled) throw new ApiError(409, "endpoint_disabled", "This endpoint is disabled; enable it first.");
    await c.env.DB.prepare("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, queued_at = NULL, delivered_at = NULL WHERE id = ?").bind(deliveryId).run();
    await queueDeliveries(c.env, [deliveryId]).catch((error) => console.warn("webhooks: redelivery not queued yet; the sweep will", String(error)));
    const row = await c.env.DB.prepare(`${DELIVERY_QUERY} WHERE d.id = ?`).bind(deliveryId).first<LogRow>();
    return c.json({ delivery: toDelivery(row!) }, 202);
  },
);

webhookEndpoints.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/webhooks/{endpointId}/test",
    tags: TAGS,
    summary: "Send a test event",
    description: "A `ping` event to this endpoint only, signed and retried like any other.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: EndpointParams, body: { required: false, content: { "application/json": { schema: EmptyBody } } } },
    responses: { 202: jsonContent(DeliveryOne, "The test delivery, queued"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const shopId = c.get("shop").id;
    const { endpointId } = c.req.valid("param");
    const endpoint = await endpointOf(c.env.DB, shopId, endpointId);
    if (!endpoint.enabled) throw new ApiError(409, "endpoint_disabled", "This endpoint is disabled; enable it first.");
    const id = newEventId();
    const now = Date.now();
    // A ping is for this endpoint only, so its delivery is written here rather than fanned out.
    await c.env.DB.batch([
      c.env.DB.prepare("INSERT INTO webhook_events (id, shop_id, room_id, type, payload, occurred_at, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?)").bind(
        id, shopId, PING, JSON.stringify({ type: PING, timestamp: new Date(now).toISOString(), data: { endpointId, shopId } }), now, now,
      ),
      c.env.DB.prepare(
        "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, room_id, occurred_at, status, attempts, created_at) VALUES ('whd_' || lower(hex(randomblob(10))), ?, ?, NULL, ?, 'pending', 0, ?)",
      ).bind(id, endpointId, now, now),
    ]);
    const row = await c.env.DB.prepare(`${DELIVERY_QUERY} WHERE d.event_id = ?`).bind(id).first<LogRow>();
    await queueDeliveries(c.env, [row!.id]).catch((error) => console.warn("webhooks: test event not queued yet; the sweep will", String(error)));
    return c.json({ delivery: toDelivery(row!) }, 202);
  },
);

