/** The webhook routes' request and response bodies (zod → OpenAPI). */
import { z } from "@hono/zod-openapi";
import { ShopParams } from "../schemas.ts";
import { EVENT_TYPES } from "./events.ts";

const EndpointId = z.string().regex(/^we_[0-9A-Za-z]{16}$/, "not a webhook endpoint id").openapi({ example: "we_4kQ9sLm2Xb7Nc1Vz" });
const DeliveryId = z.string().regex(/^whd_[0-9a-f]{20}$/, "not a delivery id").openapi({ example: "whd_5f0c3a9e2b7d41c8a6e1" });

export const EndpointParams = ShopParams.extend({ endpointId: EndpointId.openapi({ param: { name: "endpointId", in: "path" } }) });
export const DeliveryParams = ShopParams.extend({ deliveryId: DeliveryId.openapi({ param: { name: "deliveryId", in: "path" } }) });

const EventType = z.enum(EVENT_TYPES).openapi({ example: "order.created" });
const Url = z.string().trim().min(1).max(2000).openapi({ example: "https://shop.example/hooks/shop-along" });
const Events = z.array(EventType).min(1).max(EVENT_TYPES.length).transform((events) => [...new Set(events)]);

export const CreateEndpoint = z
  .object({
    url: Url,
    events: Events.openapi({ example: ["order.created", "order.paid"] }),
    description: z.string().trim().max(200).optional().openapi({ example: "Our order system" }),
  })
  .openapi("CreateWebhookEndpoint", { example: { url: "https://shop.example/hooks/shop-along", events: ["order.created", "order.paid"], description: "Our order system" } });

export const UpdateEndpoint = z
  .object({
    url: Url.optional(),
    events: Events.optional(),
    description: z.string().trim().max(200).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .openapi("UpdateWebhookEndpoint", { example: { enabled: false } });

const ENDPOINT_EXAMPLE = {
  id: "we_4kQ9sLm2Xb7Nc1Vz", url: "https://shop.example/hooks/shop-along", description: "Our order system", events: ["order.created" as const, "order.paid" as const],
  enabled: true, disabledReason: null, previousSecretUntil: null, createdAt: 1767225600000,
};

export const Endpoint = z
  .object({
    id: EndpointId,
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(EventType),
    enabled: z.boolean(),
    disabledReason: z.enum(["failing"]).nullable().openapi({ description: "`failing`: disabled automatically after a day of failed deliveries" }),
    previousSecretUntil: z.number().nullable().openapi({ description: "After a rotation: until when (ms) the old secret still signs too" }),
    createdAt: z.number(),
  })
  .openapi("WebhookEndpoint", { example: ENDPOINT_EXAMPLE });
export type Endpoint = z.infer<typeof Endpoint>;

const SECRET_EXAMPLE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

export const EndpointList = z.object({ endpoints: z.array(Endpoint) }).openapi("WebhookEndpointList", { example: { endpoints: [ENDPOINT_EXAMPLE] } });
export const EndpointOne = z.object({ endpoint: Endpoint }).openapi("WebhookEndpointOne", { example: { endpoint: ENDPOINT_EXAMPLE } });
export const EndpointWithSecret = z
  .object({ endpoint: Endpoint, secret: z.string().openapi({ description: "The signing secret, in this answer only", example: SECRET_EXAMPLE }) })
  .openapi("WebhookEndpointWithSecret", { example: { endpoint: ENDPOINT_EXAMPLE, secret: SECRET_EXAMPLE } });

const Attempt = z.object({
  attempt: z.number(),
  status: z.number().nullable().openapi({ description: "The HTTP status the endpoint answered, null when none came" }),
  ok: z.boolean(),
  latencyMs: z.number(),
  response: z.string().nullable().openapi({ description: "The first 500 characters of the answer, or why it failed" }),
  at: z.number(),
});

const DELIVERY_EXAMPLE = {
  id: "whd_5f0c3a9e2b7d41c8a6e1", eventId: "msg_2Qm8XbLk0Vn4Hc7Js1Pd9Fa3", eventType: "order.created", status: "delivered" as const,
  createdAt: 1767225600000, deliveredAt: 1767225631000,
  attempts: [
    { attempt: 2, status: 200, ok: true, latencyMs: 84, response: "ok", at: 1767225631000 },
    { attempt: 1, status: 503, ok: false, latencyMs: 1210, response: "Service Unavailable", at: 1767225601000 },
  ],
};

export const Delivery = z
  .object({
    id: DeliveryId,
    eventId: z.string().openapi({ description: "The `webhook-id` header", example: "msg_2Qm8XbLk0Vn4Hc7Js1Pd9Fa3" }),
    eventType: z.string().openapi({ example: "order.created" }),
    status: z.enum(["pending", "delivered", "failed"]),
    createdAt: z.number(),
    deliveredAt: z.number().nullable(),
    attempts: z.array(Attempt),
  })
  .openapi("WebhookDelivery", { example: DELIVERY_EXAMPLE });

export const DeliveryList = z.object({ deliveries: z.array(Delivery) }).openapi("WebhookDeliveryList", { example: { deliveries: [DELIVERY_EXAMPLE] } });
export const DeliveryOne = z.object({ delivery: Delivery }).openapi("WebhookDeliveryOne", { example: { delivery: DELIVERY_EXAMPLE } });
export const EmptyBody = z.object({}).openapi("Empty", { example: {} });
