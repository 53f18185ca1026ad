/**
 * The HTTP API's schemas: they validate every request and generate the
 * OpenAPI document, so the docs cannot drift from what the code accepts.
 */
import { z } from "@hono/zod-openapi";
import {
  CONTROL_CHARACTERS,
  FULFILMENT_STATUSES,
  LIMITS,
  ORDER_PHASES,
  ROLES,
  VIEWER_ID,
  type ChatState as WireChatState,
  type FulfilmentStatus,
  type OrderView as WireOrderView,
  type ShopOrder as WireShopOrder,
  type ModerationFrame,
  type ModerationState as WireModerationState,
  type RoomState as WireRoomState,
} from "../durable-objects/protocol.ts";
import { ROOM_ADDRESS } from "../durable-objects/rehearsal.ts";
import { IDS, KEYS, ORIGIN, PROFILE_PHOTO_URL, TIMES, VIEWER_LINK } from "./openapi-examples.ts";

export const CURRENCIES = ["USD", "EUR", "GBP", "CNY", "JPY", "CAD", "AUD", "HKD", "SGD"] as const;

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_request" }),
      message: z.string().openapi({ example: "title: Required" }),
    }),
  })
  .openapi("Error");

const ShopId = z.string().regex(/^s_[0-9A-Za-z]{16}$/, "not a shop id").openapi({ example: IDS.shop });
export const ProductId = z.string().regex(/^p_[0-9A-Za-z]{16}$/, "not a product id").openapi({ example: IDS.product });
export const VariantId = z.string().regex(/^pv_[0-9A-Za-z]{16}$/, "not a variant id").openapi({ example: IDS.variant });
export const PhotoId = z.string().regex(/^ph_[0-9A-Za-z]{16}$/, "not a photo id").openapi({ example: IDS.photo });
export const RoomId = z.string().regex(/^r_[0-9A-Za-z]{16}$/, "not a room id").openapi({ example: IDS.room });
/** A room id, or its private rehearsal's (`{roomId}.rehearsal`). */
export const RoomAddress = z
  .string()
  .regex(ROOM_ADDRESS, "not a room id")
  .openapi({ example: IDS.room, description: "A room id, or `{roomId}.rehearsal` for the show's private rehearsal." });

/**
 * A product image: https, or a path on this site. Pages load images over
 * https only (their Content-Security-Policy: img-src 'self' https:), so an
 * http:// image would be accepted here and then never shown.
 */
export const imageUrl = z
  .string()
  .max(2048)
  .refine(
    (value) => /^https:\/\/[^\s]+$/i.test(value) || /^\/(?!\/)\S*$/.test(value),
    "must be an https:// URL or a path on this site (/…); pages show images over https only, so http:// images would never appear",
  )
  .openapi({ example: "https://example.com/jasmine-pearls.jpg" });

/**
 * How far in the past a start time may be: a brand's clock a little behind
 * ours, or a show created to start "now", is not a mistake.
 */
const START_SKEW_MS = 5 * 60_000;

/**
 * Text a person typed: trimmed, then `min`–`max` characters without control
 * characters, which D1's length() CHECKs and every page that shows the text
 * get wrong. Multi-line text keeps tabs and line breaks; Windows line ends
 * become \n, so every description breaks lines the same way.
 */
export function text({ min = 0, max, multiline = false }: { min?: number; max: number; multiline?: boolean }) {
  const trimmed = multiline ? z.string().trim().overwrite((value) => value.replace(/\r\n?/g, "\n")) : z.string().trim();
  return (min ? trimmed.min(min) : trimmed)
    .max(max)
    .refine(
      (value) => !CONTROL_CHARACTERS.test(multiline ? value.replace(/[\t\n]/g, "") : value),
      multiline ? "must not contain control characters other than tabs and line breaks" : "must not contain control characters (tabs and line breaks included)",
    );
}

// ------------------------------------------------------------------ shops

export const Shop = z
  .object({ id: ShopId, name: z.string().openapi({ example: "Lotus Tea House" }), currency: z.enum(CURRENCIES) })
  .openapi("Shop");
export type Shop = z.infer<typeof Shop>;

export const CreateShop = z
  .object({
    name: text({ min: 1, max: 80 }).openapi({ example: "Lotus Tea House" }),
    currency: z.enum(CURRENCIES).default("USD"),
  })
  .openapi("CreateShop");

export const ShopCreated = z
  .object({
    shop: Shop.extend({ slug: z.string().openapi({ description: "The shop's page is /s/{slug}; made from its name, changed with PUT /shops/{shopId}/slug.", example: "lotus-tea-house" }) }),
    apiKey: z.string().openapi({ description: "Shown once; store it. Send it as `Authorization: Bearer <apiKey>`.", example: "sk_..." }),
  })
  .openapi("ShopCreated");

export const ShopParams = z.object({ shopId: ShopId.openapi({ param: { name: "shopId", in: "path" } }) });

// ------------------------------------------------------------------ products

export const Photo = z
  .object({
    id: PhotoId,
    url: z.string().openapi({ description: "An uploaded photo's address on this site (/photos/…), or the https URL it was added with.", example: `/photos/${IDS.product}/${IDS.photo}.jpg` }),
    width: z.number().int().nullable().openapi({ example: 1200 }),
    height: z.number().int().nullable().openapi({ example: 1200 }),
  })
  .openapi("Photo");

export const Variant = z
  .object({
    id: VariantId,
    options: z.array(z.string()).openapi({ description: "One value per option name of the product, in its order.", example: ["M", "Red"] }),
    sku: z.string().nullable().openapi({ example: "TEE-M-RED" }),
    priceCents: z.number().int().nullable().openapi({ description: "Its own price; null: the product's.", example: 2199 }),
  })
  .openapi("Variant");

export const Product = z
  .object({
    id: ProductId,
    shopId: ShopId,
    title: z.string().openapi({ example: "Jasmine pearls, 100 g" }),
    description: z.string().nullable().openapi({ example: "Hand-rolled green tea scented with fresh jasmine." }),
    priceCents: z.number().int().openapi({ description: "Price in the currency's minor unit.", example: 1899 }),
    currency: z.enum(CURRENCIES),
    imageUrl: z.string().nullable().openapi({ example: "https://example.com/jasmine-pearls.jpg" }),
    optionNames: z.array(z.string()).openapi({ description: "Up to two option names (e.g. Size, Colour); empty when the product has no variants.", example: [] }),
    variants: z.array(Variant).openapi({ example: [] }),
    photos: z.array(Photo).openapi({ description: "In the order the shop gave them; the first is the one small cards show." }),
  })
  .openapi("Product");
export type Product = z.infer<typeof Product>;

export const MAX_OPTIONS = 2;
export const MAX_VARIANTS = 100;
export const MAX_PHOTOS = 12;
const optionName = text({ min: 1, max: 30 });
const optionNames = z
  .array(optionName)
  .max(MAX_OPTIONS)
  .refine((names) => new Set(names.map((n) => n.toLowerCase())).size === names.length, "each option name may appear once")
  .openapi({ description: "Up to two option names, e.g. [\"Size\", \"Colour\"].", example: ["Size"] });

export const CreateProduct = z
  .object({
    title: text({ min: 1, max: 120 }).openapi({ example: "Jasmine pearls, 100 g" }),
    priceCents: z.number().int().min(0).max(100_000_000).openapi({ description: "Price in the currency's minor unit.", example: 1899 }),
    imageUrl: imageUrl.optional(),
    description: text({ max: 2000, multiline: true }).optional().openapi({ example: "Hand-rolled green tea scented with fresh jasmine." }),
    optionNames: optionNames.optional(),
  })
  .openapi("CreateProduct");

export const UpdateProduct = z
  .object({
    title: text({ min: 1, max: 120 }).openapi({ example: "Jasmine pearls, 100 g" }),
    priceCents: z.number().int().min(0).max(100_000_000).openapi({ example: 1699 }),
    imageUrl: imageUrl.nullable(),
    description: text({ max: 2000, multiline: true }).nullable().openapi({ example: "Hand-rolled green tea scented with fresh jasmine. Picked in April." }),
    optionNames: optionNames.openapi({ description: "Renaming is always allowed; changing how many there are only while the product has no variants." }),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field to change")
  .openapi("UpdateProduct");

const sku = text({ min: 1, max: 64 }).openapi({ example: "TEE-M-RED" });
export const CreateVariant = z
  .object({
    options: z.array(text({ min: 1, max: 40 })).min(1).max(MAX_OPTIONS).openapi({ description: "One value per option name of the product.", example: ["M", "Red"] }),
    sku: sku.optional(),
    priceCents: z.number().int().min(0).max(100_000_000).optional().openapi({ description: "Its own price; leave out for the product's.", example: 2199 }),
  })
  .openapi("CreateVariant");
export const UpdateVariant = z
  .object({
    options: CreateVariant.shape.options,
    sku: sku.nullable(),
    priceCents: z.number().int().min(0).max(100_000_000).nullable(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field to change")
  .openapi("UpdateVariant");

export const ProductParams = ShopParams.extend({ productId: ProductId.openapi({ param: { name: "productId", in: "path" } }) });
export const VariantParams = ProductParams.extend({ variantId: VariantId.openapi({ param: { name: "variantId", in: "path" } }) });
export const PhotoParams = ProductParams.extend({ photoId: PhotoId.openapi({ param: { name: "photoId", in: "path" } }) });
export const PhotoOrder = z
  .object({ photoIds: z.array(PhotoId).max(MAX_PHOTOS).openapi({ description: "Every photo of the product, once, in the new order." }) })
  .openapi("PhotoOrder");

export const ProductList = z.object({ products: z.array(Product) }).openapi("ProductList");
export const ProductBody = z.object({ product: Product }).openapi("ProductResponse");
export const VariantBody = z.object({ variant: Variant }).openapi("VariantResponse");
export const PhotoBody = z.object({ photo: Photo }).openapi("PhotoResponse");
export const PhotoList = z.object({ photos: z.array(Photo) }).openapi("PhotoList");

// ------------------------------------------------------------------ rooms

export const RoomProduct = z
  .object({
    id: ProductId,
    title: z.string().openapi({ example: "Jasmine pearls, 100 g" }),
    description: z.string().nullable().openapi({ example: "Hand-rolled green tea scented with fresh jasmine." }),
    priceCents: z.number().int().openapi({ example: 1899 }),
    currency: z.string().openapi({ example: "USD" }),
    imageUrl: z.string().nullable().openapi({ example: "https://example.com/jasmine-pearls.jpg" }),
    left: z.number().int().openapi({ description: "Units this show can still sell; for a product with variants, the sum of theirs.", example: 37 }),
    optionNames: z.array(z.string()).optional().openapi({ example: [] }),
    variants: z
      .array(
        z
          .object({
            id: VariantId,
            options: z.array(z.string()).openapi({ example: ["M", "Red"] }),
            sku: z.string().nullable().openapi({ example: "TEE-M-RED" }),
            priceCents: z.number().int().openapi({ example: 2199 }),
            left: z.number().int().openapi({ example: 8 }),
          })
          .openapi("RoomVariant"),
      )
      .optional()
      .openapi({ description: "The variants on sale in this show, each with its own units; empty for a product sold as one thing.", example: [] }),
    photos: z
      .array(
        z.object({
          url: z.string().openapi({ example: `/photos/${IDS.product}/${IDS.photo}.jpg` }),
          width: z.number().int().nullable().openapi({ example: 1200 }),
          height: z.number().int().nullable().openapi({ example: 1200 }),
        }),
      )
      .optional(),
  })
  .openapi("RoomProduct");

export const FlashDeal = z
  .object({
    id: z.string().openapi({ example: IDS.deal }),
    productId: ProductId,
    variantId: VariantId.nullish().openapi({ description: "The one variant on deal; null: all of the product's.", example: null }),
    priceCents: z.number().int().openapi({ example: 1499 }),
    startsAt: z.number().int().openapi({ description: "Milliseconds since the epoch (server clock).", example: TIMES.live + 20 * 60_000 }),
    endsAt: z.number().int().openapi({ description: "Milliseconds since the epoch (server clock).", example: TIMES.live + 22 * 60_000 }),
    perBuyerLimit: z.number().int().nullable().openapi({ example: 2 }),
  })
  .openapi("FlashDeal");

export const StageTrack = z
  .object({
    sessionId: z.string().openapi({ example: IDS.callsSession }),
    trackName: z.string().openapi({ example: "camera-video-1" }),
    kind: z.enum(["audio", "video"]).openapi({ example: "video" }),
    role: z.enum(["host", "guest"]),
    source: z.enum(["camera", "screen"]),
    paused: z
      .literal(true)
      .optional()
      .openapi({ description: "Present while the publisher has this track turned off (camera off): show its poster, not its black frames." }),
  })
  .openapi("StageTrack");

export const RoomState = z
  .object({
    id: RoomAddress,
    shopId: ShopId,
    shopName: z.string().openapi({ example: "Lotus Tea House" }),
    title: z.string().openapi({ example: "Spring tea tasting, live from the shop" }),
    status: z.enum(["scheduled", "live", "ended"]).openapi({ example: "live" }),
    startsAt: z.string().nullable().openapi({ description: "ISO 8601 planned start, or null.", example: TIMES.startsAt }),
    pinnedProductId: ProductId.nullable(),
    viewers: z.number().int().openapi({ example: 128 }),
    reactions: z.number().int().openapi({ example: 1542 }),
    products: z.array(RoomProduct),
    deal: FlashDeal.nullable().openapi({ description: "The flash deal running now, if any." }),
    stage: z.array(StageTrack).openapi({ description: "The live tracks of the host and guests, which viewers may pull." }),
  })
  .openapi("Room");

// The room's wire type (protocol.ts, zod/mini for the small client) and this
// HTTP schema describe the same object: the compiler checks they agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const roomStatesAgree: Same<z.infer<typeof RoomState>, WireRoomState> = true;
void roomStatesAgree;

export const CreateRoom = z
  .object({
    title: text({ min: 1, max: 120 }).openapi({ example: "Spring tea tasting, live from the shop" }),
    startsAt: z.iso
      .datetime({ offset: true })
      .refine(
        (value) => Date.parse(value) >= Date.now() - START_SKEW_MS,
        "is in the past; give a future time (ISO 8601 with an offset, e.g. 2026-12-01T20:00:00+08:00), or leave it out",
      )
      .optional()
      .openapi({ description: "Planned start (ISO 8601), not in the past (5 minutes of clock skew allowed); shown to viewers as a countdown.", example: TIMES.startsAtGiven }),
    products: z
      .array(z.object({ productId: ProductId, stock: z.number().int().min(0).max(1_000_000).openapi({ example: 40 }) }))
      .max(100)
      .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, "each product may appear once")
      .default([])
      .openapi({ description: "Products without variants, with the units this show may sell.", example: [{ productId: IDS.product, stock: 40 }] }),
    variants: z
      .array(z.object({ variantId: VariantId, stock: z.number().int().min(0).max(1_000_000).openapi({ example: 10 }) }))
      .max(1000)
      .refine((items) => new Set(items.map((i) => i.variantId)).size === items.length, "each variant may appear once")
      .default([])
      .openapi({ description: "Variants of products that have them, with the units of each; their products are listed in the order they first appear, after `products`." }),
    recording: z
      .boolean()
      .default(true)
      .openapi({ description: "Record the show at its publishers' pages for its replay (on unless turned off)." }),
  })
  .refine((room) => room.products.length + room.variants.length > 0, { message: "list at least one product or variant", path: ["products"] })
  .openapi("CreateRoom");

export const RoomLinks = z
  .object({
    viewer: z.string().openapi({ description: "The share link for viewers.", example: VIEWER_LINK }),
    host: z.string().openapi({ description: "The host studio; carries the host key. Keep it secret.", example: `${ORIGIN}/studio/${IDS.room}#key=${KEYS.host}` }),
    guest: z.string().openapi({ description: "For a guest on stage; carries the guest key.", example: `${ORIGIN}/guest/${IDS.room}#key=${KEYS.guest}` }),
    moderator: z.string().openapi({ description: "For someone who moderates the chat; carries the moderator key.", example: `${ORIGIN}/mod/${IDS.room}#key=${KEYS.moderator}` }),
  })
  .openapi("RoomLinks");

export const RoomCreated = z.object({ room: RoomState, links: RoomLinks }).openapi("RoomCreated");
export const RoomLinksBody = z.object({ links: RoomLinks }).openapi("RoomLinksResponse");
export const RoomBody = z.object({ room: RoomState }).openapi("RoomResponse");

export const ShowHost = z
  .object({
    name: z.string().openapi({ description: "The host's display name, as they set it in the console.", example: "Mei" }),
    photoUrl: z.string().nullable().openapi({ description: "Their photo (/photos/…), or null when they have none.", example: PROFILE_PHOTO_URL }),
  })
  .openapi("ShowHost", { description: "Who hosts the show, as its page shows them: a name and a photo, nothing private." });

export const RoomPage = z
  .object({
    room: RoomState.extend({
      description: z.string().nullable().openapi({ description: "What the show is about, as plain text (line breaks kept).", example: "Three spring teas, brewed and tasted live.\nAsk questions in the chat." }),
      coverImageUrl: z.string().nullable().openapi({ description: "The show's cover image: uploaded (/photos/…) or an https URL.", example: "https://example.com/spring-tasting.jpg" }),
      trailerUrl: z.string().nullable().openapi({ description: "A short trailer video (MP4 or WebM, /photos/…; range requests work), or null." }),
      cancelled: z.boolean().openapi({ description: "The shop cancelled the show before it started (its status is then `ended`).", example: false }),
      hosts: z.array(ShowHost).openapi({ description: "The team members assigned to host the show; empty when none is." }),
    }),
  })
  .openapi("RoomPageResponse", { description: "The room's live state (title, start and status come from the room) and what its page says about the show." });
export const RoomParams = z.object({ roomId: RoomId.openapi({ param: { name: "roomId", in: "path" } }) });
/** The room routes a rehearsal answers too: a room id, or its rehearsal's (only the show's team may open it). */
export const RoomAddressParams = z.object({ roomId: RoomAddress.openapi({ param: { name: "roomId", in: "path" } }) });
export const RehearsalCreated = z
  .object({
    room: RoomState,
    links: z.object({
      studio: z.string().url().openapi({ example: `${ORIGIN}/studio/${IDS.room}.rehearsal#key=${KEYS.host}` }),
      viewer: z.string().url().openapi({ example: `${ORIGIN}/r/${IDS.room}.rehearsal` }),
    }),
  })
  .openapi("RehearsalCreated", { description: "The rehearsal's room (fresh counters) and its links; both open only for the show's team." });

export const PinBody = z.object({ productId: ProductId.nullable() }).openapi("Pin");
export const StatusBody = z.object({ status: z.enum(["live", "ended"]) }).openapi("StatusChange");
export const RoleBody = z
  .object({ role: z.enum(ROLES) })
  .openapi("Role", { description: "What the presented key (or none) makes its bearer in this room." });

export const ProductCreated = z.object({ product: Product }).openapi("ProductCreated");

// ------------------------------------------------------------------ moderation

const ViewerId = z.string().regex(VIEWER_ID, "not a viewer id").openapi({ example: IDS.viewer });
const MessageId = z.string().min(1).max(64).openapi({ description: "A chat message's id, as the room's chat events carry it.", example: IDS.chatMessage });

export const ChatMessage = z
  .object({
    id: z.string().openapi({ example: IDS.chatMessage }),
    seq: z.number().int().openapi({ example: 203 }),
    name: z.string().openapi({ example: "Mei Lin" }),
    role: z.enum(ROLES),
    text: z.string().openapi({ example: "Is the jasmine pearls tin resealable?" }),
    at: z.number().int().openapi({ description: "Milliseconds since the epoch (server clock).", example: TIMES.live + 6 * 60_000 }),
    author: z.string().nullish().openapi({ description: "The author's viewer id (`v_…`), which timeouts and bans name.", example: IDS.viewer }),
  })
  .openapi("ChatMessage");

export const Restriction = z
  .object({
    kind: z.enum(["ban", "timeout"]).openapi({ example: "timeout" }),
    until: z.number().int().nullable().openapi({ description: "When a timeout ends (server clock, ms); null for a ban, which lasts until lifted.", example: TIMES.live + 14 * 60_000 }),
  })
  .openapi("Restriction");

export const ChatState = z
  .object({
    slowModeSeconds: z.number().int().openapi({ description: "One message per this many seconds per viewer; 0 = off.", example: 5 }),
    pinned: ChatMessage.nullable().openapi({ description: "The chat message pinned on top of the chat." }),
  })
  .openapi("ChatRules");

export const ModerationState = z
  .object({
    blockedWords: z.array(z.string()).openapi({ example: ["cheap-tea.example"] }),
    restricted: z
      .array(z.object({ viewerId: z.string().openapi({ example: "v_8Rk2Wq5Ls9Xb3Nd7" }), name: z.string().nullable().openapi({ example: "Tea Deals 4U" }), restriction: Restriction }))
      .openapi({ description: "Viewers banned or timed out now, with the name of their last message." }),
  })
  .openapi("Moderation");

export const ModerationBody = z.object({ chat: ChatState, moderation: ModerationState }).openapi("ModerationResponse");

export const ModerationAction = z
  .discriminatedUnion("action", [
    z.object({ action: z.literal("delete"), messageId: MessageId }),
    z.object({ action: z.literal("pin_message"), messageId: MessageId.nullable().openapi({ description: "null unpins." }) }),
    z.object({ action: z.literal("timeout"), viewerId: ViewerId }),
    z.object({ action: z.literal("ban"), viewerId: ViewerId }),
    z.object({ action: z.literal("unban"), viewerId: ViewerId }),
    z.object({ action: z.literal("slow_mode"), seconds: z.number().int().min(0).max(LIMITS.slowModeMaxSeconds) }),
    z.object({ action: z.literal("blocked_words"), words: z.array(text({ min: 1, max: LIMITS.blockedWordLength })).max(LIMITS.blockedWords) }),
  ])
  .openapi("ModerationAction", {
    description:
      "`delete` a message for everyone; `pin_message` (null unpins); `timeout` a viewer for 5 minutes, `ban` them from the chat " +
      "(they still watch and buy) or `unban` them (lifts a timeout too); `slow_mode` in seconds (0 = off); `blocked_words` replaces the list.",
  });

// The same decisions as the socket's moderation frames (protocol.ts), named by `action` instead of `type`.
type AsAction<F> = F extends { type: infer T } ? { action: T } & Omit<F, "type"> : never;
const moderationAgrees: Same<z.infer<typeof ModerationAction>, AsAction<ModerationFrame>> = true;
const chatStatesAgree: Same<z.infer<typeof ChatState>, WireChatState> = true;
const moderationStatesAgree: Same<z.infer<typeof ModerationState>, WireModerationState> = true;
void moderationAgrees;
void chatStatesAgree;
void moderationStatesAgree;

// ------------------------------------------------------------------ orders

const ORDER_STATUSES = ["awaiting_payment", "confirmed", "expired", "cancelled"] as const;
export const OrderId = z.string().regex(/^o_[0-9A-Za-z]{26}$/, "not an order id").openapi({ example: IDS.order });
export const OrderParams = z.object({ orderId: OrderId.openapi({ param: { name: "orderId", in: "path" } }) });

const Address = z
  .object({
    line1: text({ min: 1, max: 120 }).openapi({ example: "1288 Nanjing West Road" }),
    line2: text({ max: 120 }).optional().openapi({ example: "Unit 5B" }),
    city: text({ min: 1, max: 80 }).openapi({ example: "Shanghai" }),
    postalCode: text({ min: 1, max: 20 }).openapi({ example: "200040" }),
    region: text({ max: 80 }).optional().openapi({ example: "Jing'an" }),
    country: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166 alpha-2 code such as US, CN or DE").openapi({ example: "CN" }),
  })
  .openapi("Address");

const Fulfilment = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("pickup") }),
    z.object({ type: z.literal("shipping"), address: Address }),
  ])
  .openapi("Fulfilment", { description: "Ship to an address, or pick up in store." });

export const CreateOrder = z
  .object({
    productId: ProductId,
    variantId: VariantId.optional().openapi({ description: "Required when the product has variants in this show (422 `variant_required` otherwise)." }),
    quantity: z.number().int().min(1).max(10).openapi({ example: 1 }),
    buyer: z.object({
      name: text({ min: 1, max: 80 }).openapi({ example: "Mei Lin" }),
      email: z.email().max(254).openapi({ example: "mei@example.com" }),
      phone: text({ max: 30 }).optional().openapi({ example: "+86 138 0013 8000" }),
    }),
    fulfilment: Fulfilment,
    ref: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "1–40 letters, digits, _ or -").optional().openapi({
      description: "The referral code of the share link the buyer came from (`?ref=` on the viewer link).",
      example: "mei",
    }),
  })
  // Whole, as the order it places (o_…, number 17): its fields' example would name a variant, and Jasmine pearls has none.
  .openapi("CreateOrder", {
    example: { productId: IDS.product, quantity: 2, buyer: { name: "Mei Lin", email: "mei@example.com", phone: "+86 138 0013 8000" }, fulfilment: { type: "pickup" }, ref: "mei" },
  });

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string({ error: "the Idempotency-Key header is required: a unique string per order attempt, reused when retrying it" })
    .regex(/^[A-Za-z0-9_-]{8,128}$/, "Idempotency-Key must be 8–128 letters, digits, _ or -")
    .openapi({ param: { name: "idempotency-key", in: "header" }, example: "3f1c0b9e-6a7d-4a8e-9d3c-0e6b7f1a2c4d" }),
});

export const Order = z
  .object({
    id: OrderId,
    number: z.number().int().openapi({ description: "The order's number within its show (1, 2, …).", example: 17 }),
    roomId: RoomAddress,
    shopId: ShopId,
    productId: ProductId,
    variant: z
      .object({ id: z.string(), options: z.array(z.string()), sku: z.string().nullable() })
      .nullable()
      // The examples' order is of Jasmine pearls, sold as one thing.
      .openapi("OrderVariant", { description: "The variant bought, as it was then; null for a product without variants.", example: null }),
    title: z.string().openapi({ example: "Jasmine pearls, 100 g" }),
    quantity: z.number().int().openapi({ example: 2 }),
    unitPriceCents: z.number().int().openapi({ example: 1899 }),
    totalCents: z.number().int().openapi({ example: 3798 }),
    currency: z.string().openapi({ example: "USD" }),
    status: z.enum(ORDER_STATUSES).openapi({ example: "confirmed" }),
    payment: z.enum(["offline", "stripe"]),
    buyer: z.object({
      name: z.string().openapi({ example: "Mei Lin" }),
      email: z.string().openapi({ example: "mei@example.com" }),
      phone: z.string().nullable().openapi({ example: "+86 138 0013 8000" }),
    }),
    fulfilment: z.discriminatedUnion("type", [
      z.object({ type: z.literal("pickup"), address: z.null() }),
      z.object({ type: z.literal("shipping"), address: Address }),
    ]),
    ref: z.string().nullable().openapi({ example: "mei" }),
    dealId: z.string().nullable(),
    phase: z
      .enum(ORDER_PHASES)
      .nullable()
      .openapi({ description: "When in the show's life it was placed: `prelive` (before it went live), `live`, or `replay` (after the end, from its replay); null on orders older than this field.", example: "live" }),
    createdAt: z.number().int().openapi({ example: TIMES.ordered }),
    holdExpiresAt: z.number().int().nullable().openapi({ description: "When an unpaid order's units return to stock." }),
    test: z.literal(true).optional().openapi({ description: "A rehearsal's test order: it touches no real stock, count or email, and has no order page." }),
  })
  .openapi("Order");

export const OrderCreated = z
  .object({
    order: Order,
    orderToken: z.string().openapi({ description: "Lets the buyer read this order: `Authorization: Bearer <orderToken>`.", example: "ot_Jq8Vm3Xc1Lr7Nb2Kd9Ws4Hz6Ft0Py5Ga" }),
    checkoutUrl: z.string().nullable().openapi({ description: "Where to pay (Stripe Checkout), or null when no online payment is due." }),
  })
  .openapi("OrderCreated");

export const OrderSummary = z
  .object({
    id: OrderId,
    number: z.number().int().openapi({ example: 17 }),
    productId: ProductId,
    variant: z.array(z.string()).nullish().openapi({ description: "The variant's option values, e.g. [\"M\"]; null for a product without variants.", example: null }),
    title: z.string().openapi({ example: "Jasmine pearls, 100 g" }),
    quantity: z.number().int().openapi({ example: 2 }),
    totalCents: z.number().int().openapi({ example: 3798 }),
    currency: z.string().openapi({ example: "USD" }),
    status: z.enum(ORDER_STATUSES).openapi({ example: "confirmed" }),
    buyerName: z.string().openapi({ example: "Mei Lin" }),
    fulfilment: z.enum(["shipping", "pickup"]).openapi({ example: "pickup" }),
    ref: z.string().nullable().openapi({ example: "mei" }),
    dealId: z.string().nullable(),
    createdAt: z.number().int().openapi({ example: TIMES.ordered }),
  })
  .openapi("OrderSummary");
export const RoomOrders = z.object({ orders: z.array(OrderSummary) }).openapi("RoomOrders");

export const StartDeal = z
  .object({
    productId: ProductId,
    variantId: VariantId.optional().openapi({ description: "Put the deal on this variant only; leave out for all of the product's." }),
    priceCents: z.number().int().min(0).openapi({ example: 1499 }),
    durationSeconds: z.number().int().min(10).max(300).openapi({ example: 120 }),
    perBuyerLimit: z.number().int().min(1).max(100).optional().openapi({ example: 2 }),
  })
  // Whole, for all of the product's units: its fields' example would name a variant, and Jasmine pearls has none.
  .openapi("StartDeal", { example: { productId: IDS.product, priceCents: 1499, durationSeconds: 120, perBuyerLimit: 2 } });
export const DealStarted = z.object({ deal: FlashDeal, room: RoomState }).openapi("DealStarted");

type OrderSummaryWire = import("../durable-objects/protocol.ts").OrderSummary;
type OrderDo = import("../durable-objects/orders.ts").Order;
const orderSummariesAgree: Same<z.infer<typeof OrderSummary>, OrderSummaryWire> = true;
const ordersAgree: Same<z.infer<typeof Order>, OrderDo> = true;
void orderSummariesAgree;
void ordersAgree;

// ------------------------------------------------------------------ sockets

export const ViewerTokenHeader = z.object({
  "x-viewer-token": z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: "x-viewer-token", in: "header" }, description: "The viewer token from an earlier ticket, to keep the same identity." }),
});

export const TicketBody = z
  .object({
    ticket: z.string().openapi({ description: "Opens one socket: `/parties/room/{roomId}?ticket=…`. Single use.", example: "tk_Hw3Zq8Lm1Vx6Rb4Nc9Kt2Pd7Fs0Jy5Ga" }),
    expiresAt: z.number().int().openapi({ description: "Milliseconds since the epoch; unused tickets stop working then.", example: TIMES.live + 30_000 }),
    role: z.enum(ROLES),
    viewer: z.object({
      id: z.string().openapi({ example: IDS.viewer }),
      token: z.string().openapi({ description: "Keep it and send it as X-Viewer-Token next time; it stays the same identity.", example: KEYS.viewerToken }),
    }),
  })
  .openapi("SocketTicket");

// ------------------------------------------------------------------ fulfilment (the shop's side of an order)

export { FULFILMENT_STATUSES, type FulfilmentStatus };

const trackingUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => /^https:\/\/[^\s]+$/i.test(value) && URL.canParse(value), "must be an https:// link (the buyer's page opens it)")
  .openapi({ example: "https://tracking.example.com/1Z999AA10123456784" });

/** Where an order is on its way to the buyer; the shop's own columns, never written by the room. */
const FulfilmentProgress = {
  fulfilmentStatus: z.enum(FULFILMENT_STATUSES).openapi({
    description: "unfulfilled → packed → shipped (shipping) or picked_up (pickup: packed means ready for pickup); or cancelled by the shop.",
    example: "packed",
  }),
  carrier: z.string().nullable(),
  trackingUrl: z.string().nullable(),
  packedAt: z.number().int().nullable().openapi({ example: TIMES.packed }),
  shippedAt: z.number().int().nullable(),
  pickedUpAt: z.number().int().nullable(),
  cancelledAt: z.number().int().nullable(),
};

export const FulfilmentStep = z
  .object({
    status: z.enum(["packed", "shipped", "picked_up", "cancelled"]),
    at: z.number().int().openapi({ example: TIMES.packed }),
    actor: z.string().openapi({ description: "Who did it: `api_key` (one of the shop's keys), or `account:{accountId}` for a signed-in member.", example: `account:${IDS.account}` }),
    carrier: z.string().nullable(),
    trackingUrl: z.string().nullable(),
  })
  .openapi("FulfilmentStep");

export const ShopOrder = Order.omit({ holdExpiresAt: true })
  .extend({ showTitle: z.string().openapi({ example: "Spring tea tasting, live from the shop" }), updatedAt: z.number().int().openapi({ example: TIMES.packed }), ...FulfilmentProgress })
  .openapi("ShopOrder");
export const ShopOrders = z
  .object({
    orders: z.array(ShopOrder),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next (older) page; null on the last page.", example: btoa(`${TIMES.ordered}.17.${IDS.order}`).replaceAll("=", "") }),
  })
  .openapi("ShopOrders");
export const ShopOrderDetail = z
  .object({ order: ShopOrder.extend({ history: z.array(FulfilmentStep) }) })
  .openapi("ShopOrderDetail");

/** A time bound: an ISO 8601 date-time with offset, or a date (a whole UTC day). */
const timeBound = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const ShopOrdersQuery = z.object({
  format: z.enum(["json", "csv"]).default("json").openapi({ param: { name: "format", in: "query" }, description: "`csv` for a spreadsheet." }),
  roomId: RoomId.optional().openapi({ param: { name: "roomId", in: "query" }, description: "Only this show's orders." }),
  status: z.enum(ORDER_STATUSES).optional().openapi({ param: { name: "status", in: "query" }, description: "Payment status." }),
  fulfilmentStatus: z.enum(FULFILMENT_STATUSES).optional().openapi({ param: { name: "fulfilmentStatus", in: "query" } }),
  from: timeBound.optional().openapi({ param: { name: "from", in: "query" }, description: "Placed at or after (ISO 8601 date-time, or a date: from its start, UTC).", example: "2027-03-01" }),
  to: timeBound.optional().openapi({ param: { name: "to", in: "query" }, description: "Placed before (a date: up to its end, UTC).", example: "2027-03-31" }),
  limit: z.coerce.number().int().min(1).max(5000).default(5000).openapi({ param: { name: "limit", in: "query" }, description: "Orders per page (JSON); the CSV holds up to 5,000." }),
  cursor: z.string().max(200).optional().openapi({ param: { name: "cursor", in: "query" }, description: "`nextCursor` of the previous page." }),
});

export const ShopOrderParams = ShopParams.extend({ orderId: OrderId.openapi({ param: { name: "orderId", in: "path" } }) });

export const UpdateFulfilment = z
  .object({
    fulfilmentStatus: z.enum(["packed", "shipped", "picked_up"]).openapi({ description: "To cancel, POST …/cancel.", example: "shipped" }),
    carrier: text({ min: 1, max: 60 }).optional().openapi({ example: "SF Express" }),
    trackingUrl: trackingUrl.optional(),
  })
  .refine((body) => body.fulfilmentStatus === "shipped" || (body.carrier === undefined && body.trackingUrl === undefined), {
    message: "carrier and trackingUrl go with fulfilmentStatus \"shipped\" only",
    path: ["fulfilmentStatus"],
  })
  .openapi("UpdateFulfilment");

export const PickupStore = z
  .object({
    address: Address,
    hours: text({ min: 1, max: 500, multiline: true }).openapi({ description: "Opening hours, as buyers will read them.", example: "Mon–Fri 10:00–19:00\nSat 10:00–16:00" }),
    contactEmail: z.email().max(254).nullable().default(null).openapi({ description: "Shown to buyers, to reach the shop.", example: "hello@lotus-tea.example" }),
    contactPhone: text({ min: 1, max: 30 }).nullable().default(null).openapi({ example: "+86 21 6288 1234" }),
  })
  .openapi("PickupStore");
export const PickupStoreBody = z.object({ store: PickupStore.nullable() }).openapi("PickupStoreResponse");

/** An order as its buyer (or the shop) reads it: the room's order, where it is, and who to ask. */
export const OrderView = z
  .object({
    order: Order,
    progress: z.object(FulfilmentProgress).openapi("FulfilmentProgress"),
    shop: z.object({
      id: ShopId,
      name: z.string().openapi({ example: "Lotus Tea House" }),
      contactEmail: z.string().nullable().openapi({ example: "hello@lotus-tea.example" }),
      contactPhone: z.string().nullable().openapi({ example: "+86 21 6288 1234" }),
    }),
    show: z.object({ id: RoomId, title: z.string().openapi({ example: "Spring tea tasting, live from the shop" }) }),
    pickupStore: z
      .object({ address: Address, hours: z.string().openapi({ example: "Mon–Fri 10:00–19:00\nSat 10:00–16:00" }) })
      .nullable()
      .openapi({ description: "For a pickup order: the store's address and opening hours (null if the shop has not set them)." }),
  })
  .openapi("OrderView");

const orderViewsAgree: Same<z.infer<typeof OrderView>, WireOrderView> = true;
const shopOrdersAgree: Same<z.infer<typeof ShopOrder>, WireShopOrder> = true;
void orderViewsAgree;
void shopOrdersAgree;

// ------------------------------------------------------------------ referral codes

export const ReferralCodeValue = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, "1–40 letters, digits, _ or -")
  .transform((code) => code.toLowerCase())
  .openapi({ example: "mei", description: "Letters, digits, _ or -; stored lowercase (`?ref=MEI` counts for `mei`)." });

export const CreateReferralCode = z
  .object({
    code: ReferralCodeValue,
    name: text({ min: 1, max: 80 }).openapi({ example: "Mei Lin (KOL)", description: "Who shares with this code." }),
  })
  .openapi("CreateReferralCode");

const ReferralFigures = z.object({
  orders: z.number().int().openapi({ example: 12 }),
  units: z.number().int().openapi({ example: 19 }),
  revenueCents: z.number().int().openapi({ example: 36081 }),
});

export const ReferralCode = z
  .object({
    code: z.string().openapi({ example: "mei" }),
    /** null: a code seen on orders that the shop never named (someone shared `?ref=` of their own). */
    name: z.string().nullable().openapi({ example: "Mei Lin (KOL)" }),
    createdAt: z.number().int().nullable().openapi({ example: TIMES.roomCreated }),
    totals: ReferralFigures,
    shows: z.array(
      ReferralFigures.extend({
        roomId: z.string().openapi({ example: IDS.room }),
        title: z.string().openapi({ example: "Spring tea tasting, live from the shop" }),
        link: z.url().openapi({ example: `${VIEWER_LINK}?ref=mei` }),
      }),
    ),
  })
  .openapi("ReferralCode", {
    description:
      "A referral code with its confirmed orders, units and revenue in total and per show (each with the show's share link for this code): " +
      "the shows it sold in, then the shop's five newest shows it has not sold in yet. " +
      "Cancelled, expired and unpaid orders do not count.",
  });

export const ReferralCodeCreated = z.object({ referralCode: ReferralCode }).openapi("ReferralCodeCreated");
export const ReferralCodeList = z
  .object({ referralCodes: z.array(ReferralCode), currency: z.string().openapi({ example: "USD" }) })
  .openapi("ReferralCodeList", { description: "The shop's named codes first (newest first), then codes only seen on orders." });
export const ReferralCodeParams = ShopParams.extend({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).openapi({ param: { name: "code", in: "path" } }),
});

// ------------------------------------------------------------------ accounts (sign-in, sessions, the console)

const Email = z.email().max(254).openapi({ example: "owner@lotus-tea.example" });
const AccountRole = z.enum(["owner", "manager", "host", "moderator"]);

export const AccountBody = z
  .object({
    account: z.object({
      id: z.string().openapi({ example: IDS.account }),
      email: z.string().nullable().openapi({ description: "Set once confirmed through a link sent to it.", example: "owner@lotus-tea.example" }),
      displayName: z.string().openapi({ example: "Mei" }),
      photoUrl: z.string().nullable().openapi({ description: "The account's photo (/photos/…), shown on the shows it hosts; null: none.", example: PROFILE_PHOTO_URL }),
      createdAt: z.number().int().openapi({ example: TIMES.shopCreated }),
    }),
    shops: z.array(z.object({ id: ShopId, name: z.string().openapi({ example: "Lotus Tea House" }), currency: z.string().openapi({ example: "USD" }), role: AccountRole })),
    session: z.object({ id: z.string().openapi({ example: IDS.session }), expiresAt: z.number().int().openapi({ example: TIMES.sessionExpires }) }),
  })
  .openapi("Me", { description: "The signed-in account, its shops with its role in each, and this session." });

export const Profile = z
  .object({ displayName: z.string().openapi({ example: "Mei" }), photoUrl: z.string().nullable().openapi({ example: PROFILE_PHOTO_URL }) })
  .openapi("Profile", { description: "What viewers see of a team member on the shows they host." });
export const ProfileBody = z.object({ profile: Profile }).openapi("ProfileResponse");
export const EditProfile = z.object({ displayName: text({ min: 1, max: 80 }).openapi({ example: "Mei" }) }).openapi("EditProfile");

export const ClaimShop = z
  .object({ email: Email.optional().openapi({ description: "The owner's email: a link is sent to confirm it (it then signs in too)." }) })
  .openapi("ClaimShop");

export const EmailBody = z.object({ email: Email }).openapi("EmailAddress");
export const EmailLinkSent = z
  .object({ sent: z.literal(true) })
  .openapi("EmailLinkSent", { description: "The same answer whether or not an account has this email." });
export const ConsumeEmailLink = z
  .object({ token: z.string().regex(/^el_[0-9A-Za-z]{32}$/, "not a sign-in link's token").openapi({ example: "el_Mv5Kq2Xz8Lb3Nc7Rw1Hp9Td4Fs6Jy0Ga" }) })
  .openapi("ConsumeEmailLink");
export const RecoveryCodeBody = z
  .object({ code: z.string().trim().min(16).max(40).openapi({ example: "7K2M-9QXD-4HNP-W3RT-8CBZ" }) })
  .openapi("RecoveryCodeSignIn");

/** A browser's WebAuthn answer as @simplewebauthn/browser returns it; SimpleWebAuthn checks the rest. */
const WebAuthnResponse = z
  .looseObject({ id: z.string().min(1).max(1024).openapi({ example: IDS.passkey }), type: z.literal("public-key"), response: z.looseObject({}) })
  .openapi({ description: "The object @simplewebauthn/browser's startRegistration / startAuthentication resolves with." });

export const PasskeyOptions = z
  .object({
    challengeId: z.string().openapi({ example: IDS.challenge }),
    options: z.looseObject({ challenge: z.string() }).openapi({ description: "For @simplewebauthn/browser's optionsJSON." }),
  })
  .openapi("PasskeyOptions");
export const RegisterPasskey = z
  .object({
    challengeId: z.string().max(40).openapi({ example: IDS.challenge }),
    name: text({ min: 1, max: 60 }).openapi({ description: "What this device is, to recognise it in the list.", example: "Phone" }),
    response: WebAuthnResponse,
  })
  .openapi("RegisterPasskey");
export const SignInWithPasskey = z.object({ challengeId: z.string().max(40).openapi({ example: IDS.challenge }), response: WebAuthnResponse }).openapi("SignInWithPasskey");

const Passkey = z
  .object({
    id: z.string().openapi({ example: IDS.passkey }),
    name: z.string().openapi({ example: "Phone" }),
    createdAt: z.number().int().openapi({ example: TIMES.shopCreated }),
    lastUsedAt: z.number().int().nullable().openapi({ example: TIMES.signedIn }),
  })
  .openapi("Passkey");
export const PasskeyAdded = z
  .object({
    passkey: Passkey,
    recoveryCode: z.string().nullable().openapi({ description: "With the account's first passkey: its recovery code, shown this once.", example: "7K2M-9QXD-4HNP-W3RT-8CBZ" }),
  })
  .openapi("PasskeyAdded");
export const PasskeyList = z.object({ passkeys: z.array(Passkey) }).openapi("PasskeyList");
export const SignedInWithCode = AccountBody.extend({
  recoveryCode: z.string().openapi({ description: "The account's new recovery code (the one used is gone), shown this once.", example: "Q9TB-2MXE-6RKH-0VNC-4JWD" }),
}).openapi("SignedInWithRecoveryCode");

export const SessionList = z
  .object({
    sessions: z.array(
      z.object({
        id: z.string().openapi({ example: IDS.session }),
        createdAt: z.number().int().openapi({ example: TIMES.signedIn }),
        lastSeenAt: z.number().int().openapi({ example: TIMES.live - 15 * 60_000 }),
        expiresAt: z.number().int().openapi({ example: TIMES.sessionExpires }),
        userAgent: z.string().openapi({ example: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1" }),
        current: z.boolean(),
      }),
    ),
  })
  .openapi("SessionList");
export const SessionParams = z.object({ sessionId: z.string().max(40).openapi({ param: { name: "sessionId", in: "path" } }) });
export const PasskeyParams = z.object({ passkeyId: z.string().max(1024).openapi({ param: { name: "passkeyId", in: "path" } }) });
export const Done = z.object({ ok: z.literal(true) }).openapi("Done");


// ------------------------------------------------------------------ the console's shows

export const ShowParams = z.object({
  shopId: ShopParams.shape.shopId,
  roomId: RoomId.openapi({ param: { name: "roomId", in: "path" } }),
});

/** What a show's page says about it before it starts; the Room keeps the title and start, D1 the rest. */
export const EditShow = z
  .object({
    title: CreateRoom.shape.title,
    startsAt: CreateRoom.shape.startsAt.unwrap().nullable().openapi({ description: "The new planned start (not in the past), or null for none.", example: TIMES.startsAtGiven }),
    description: text({ max: 2000, multiline: true }).nullable().openapi({ description: "What the show is about; null clears it.", example: "Three spring teas, brewed and tasted live.\nAsk questions in the chat." }),
    coverImageUrl: imageUrl.nullable().openapi({ description: "The show's cover image (https); null clears it." }),
    recording: z.boolean().openapi({ description: "Whether the show is recorded for its replay; off: its pages do not record and takes are refused (409 recording_off)." }),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field to change")
  .openapi("EditShow");

const ShowFigures = {
  orders: z.number().int().openapi({ description: "Orders placed (not counting expired or cancelled ones).", example: 31 }),
  revenueCents: z.number().int().openapi({ description: "Their total, in the shop's currency's minor unit.", example: 84269 }),
  rsvps: z.number().int().openapi({ description: "Confirmed email RSVPs (\"Remind me\").", example: 64 }),
};

export const ShopShow = z
  .object({
    id: RoomId,
    title: z.string().openapi({ example: "Spring tea tasting, live from the shop" }),
    status: z.enum(["scheduled", "live", "ended"]).openapi({ example: "ended" }),
    cancelled: z.boolean().openapi({ description: "Cancelled before it started (its status is then ended).", example: false }),
    startsAt: z.string().nullable().openapi({ example: TIMES.startsAt }),
    createdAt: z.number().int().openapi({ example: TIMES.roomCreated }),
    liveAt: z.number().int().nullable().openapi({ description: "When it went live (ms since the epoch, the room's clock); null if it never did.", example: TIMES.live }),
    endedAt: z.number().int().nullable().openapi({ description: "When it ended (ms since the epoch); null while it has not.", example: TIMES.ended }),
    viewerLink: z.string().openapi({ example: VIEWER_LINK }),
    recording: z.boolean().openapi({ description: "Whether the show is recorded for its replay." }),
    ...ShowFigures,
  })
  .openapi("ShopShow");
export type ShopShow = z.infer<typeof ShopShow>;

export const ShopShowDetails = z
  .object({
    show: ShopShow.extend({
      description: z.string().nullable().openapi({ example: "Three spring teas, brewed and tasted live.\nAsk questions in the chat." }),
      coverImageUrl: z.string().nullable().openapi({ example: "https://example.com/spring-tasting.jpg" }),
      trailerUrl: z.string().nullable().openapi({ description: "The uploaded trailer (POST …/trailer), or null." }),
      products: z.array(z.object({ productId: ProductId, stock: z.number().int().openapi({ example: 40 }) })).openapi({ description: "Products sold as one thing, with the units listed." }),
      variants: z
        .array(z.object({ variantId: VariantId, productId: ProductId, stock: z.number().int() }))
        .openapi({ description: "Variants listed, with their units.", example: [] }),
    }),
  })
  .openapi("ShopShowDetails", { description: "One show as listed, what it sells, and what it sold; enough to duplicate it." });
export type ShopShowDetails = z.infer<typeof ShopShowDetails>;

export const ShowMedia = z
  .object({
    coverImageUrl: z.string().nullable().openapi({ description: "The cover image now (/photos/… once uploaded).", example: `/photos/${IDS.room}/cv_Yt5Lq2Wm8Xb3Nk7R.jpg` }),
    trailerUrl: z.string().nullable().openapi({ description: "The trailer now, or null.", example: `/photos/${IDS.room}/tr_Fz9Kp4Vn1Lc6Xq3M.mp4` }),
  })
  .openapi("ShowMedia");

export const ShopShows = z
  .object({ shows: z.array(ShopShow) })
  .openapi("ShopShows", { description: "The shop's shows, newest first, with each room's status now." });

// ------------------------------------------------------------------ the console's API keys

export const ApiKey = z
  .object({
    id: z.string().openapi({ example: IDS.apiKey }),
    name: z.string().openapi({ example: "Order sync" }),
    createdAt: z.number().int().openapi({ example: TIMES.shopCreated }),
    lastUsedAt: z.number().int().nullable().openapi({ description: "When it was last used (recorded at most once a minute).", example: TIMES.ordered }),
    revokedAt: z.number().int().nullable(),
  })
  .openapi("ApiKey", { description: "A shop's API key as listed: never the key itself, which is shown once when made." });
export type ApiKey = z.infer<typeof ApiKey>;
export const ApiKeyList = z.object({ apiKeys: z.array(ApiKey) }).openapi("ApiKeyList");
export const CreateApiKey = z.object({ name: text({ min: 1, max: 60 }).openapi({ example: "Order sync" }) }).openapi("CreateApiKey");
export const ApiKeyCreated = z
  .object({ apiKey: ApiKey, key: z.string().openapi({ description: "Shown once; store it. Send it as `Authorization: Bearer <key>`.", example: "sk_..." }) })
  .openapi("ApiKeyCreated");
export const RevokeApiKey = z
  .object({ confirmLast: z.boolean().default(false).openapi({ description: "Needed to revoke the shop's last live key (scripts using it then stop working)." }) })
  .openapi("RevokeApiKey");
export const ApiKeyParams = z.object({
  shopId: ShopParams.shape.shopId,
  keyId: z.string().regex(/^ak_[0-9A-Za-z]{16}$/, "not an API key id").openapi({ param: { name: "keyId", in: "path" } }),
});

// ------------------------------------------------------------------ the team (invites, members, hosts of shows)

const InviteRole = z.enum(["manager", "host", "moderator"]);
const AccountId = z.string().regex(/^a_[0-9A-Za-z]{16}$/, "not an account id").openapi({ example: IDS.account });
const InviteToken = z.string().regex(/^iv_[0-9A-Za-z]{32}$/, "not an invite token").openapi({ description: "From the invite link's fragment (`#invite={shopId}.{token}`).", example: KEYS.invite });

export const Invite = z
  .object({
    id: z.string().openapi({ example: IDS.invite }),
    role: InviteRole.openapi({ example: "host" }),
    name: z.string().nullable().openapi({ example: "Wen" }),
    email: z.string().nullable().openapi({ example: "wen@lotus-tea.example" }),
    createdAt: z.number().int().openapi({ example: TIMES.invited }),
    expiresAt: z.number().int().openapi({ example: TIMES.inviteExpires }),
  })
  .openapi("Invite");

export const Member = z
  .object({
    accountId: AccountId,
    displayName: z.string().openapi({ example: "Mei" }),
    email: z.string().nullable().openapi({ example: "owner@lotus-tea.example" }),
    role: AccountRole,
    since: z.number().int().openapi({ example: TIMES.shopCreated }),
    shows: z.array(RoomId).openapi({ description: "The shows assigned to this member (hosts only).", example: [] }),
  })
  .openapi("Member");

export const Team = z.object({ members: z.array(Member), invites: z.array(Invite) }).openapi("Team", { description: "The shop's members, oldest first, and its invites not yet accepted." });

export const CreateInvite = z
  .object({
    role: InviteRole.openapi({ example: "host" }),
    name: text({ min: 1, max: 80 }).optional().openapi({ description: "Who it is for, to recognise the invite in the list.", example: "Wen" }),
    email: Email.optional().openapi({ description: "When given, the link is also emailed there.", example: "wen@lotus-tea.example" }),
  })
  .openapi("CreateInvite");

export const InviteCreated = z
  .object({
    invite: Invite,
    link: z.url().openapi({ description: "Shown once: the invite's token is in its fragment. Single use, 7 days.", example: `${ORIGIN}/console#invite=${IDS.shop}.${KEYS.invite}` }),
  })
  .openapi("InviteCreated");

export const InviteTokenBody = z.object({ token: InviteToken }).openapi("InviteToken");

export const InvitePreview = z
  .object({
    shop: z.object({ id: ShopId, name: z.string().openapi({ example: "Lotus Tea House" }) }),
    role: InviteRole.openapi({ example: "host" }),
    name: z.string().nullable().openapi({ example: "Wen" }),
    expiresAt: z.number().int().openapi({ example: TIMES.inviteExpires }),
  })
  .openapi("InvitePreview", { description: "What the invite gives, for the invitee to read before accepting." });

export const AcceptInvite = z
  .object({
    token: InviteToken,
    displayName: text({ min: 1, max: 80 })
      .optional()
      .openapi({ description: "Signed out: the name of the account to create (then signed in; add a passkey next). Signed in: not used.", example: "Wen" }),
  })
  .openapi("AcceptInvite");

export const InviteAccepted = z
  .object({ shop: z.object({ id: ShopId, name: z.string().openapi({ example: "Lotus Tea House" }) }), role: InviteRole.openapi({ example: "host" }), accountId: AccountId, newAccount: z.boolean() })
  .openapi("InviteAccepted");

export const InviteParams = ShopParams.extend({ inviteId: z.string().regex(/^in_[0-9A-Za-z]{16}$/).openapi({ param: { name: "inviteId", in: "path" } }) });
export const MemberParams = ShopParams.extend({ accountId: AccountId.openapi({ param: { name: "accountId", in: "path" } }) });
export const ChangeRole = z.object({ role: AccountRole.openapi({ example: "manager" }) }).openapi("ChangeRole");
export const ShowHostParams = ShopParams.extend({ roomId: RoomId.openapi({ param: { name: "roomId", in: "path" } }) });
export const ShowHostMemberParams = ShowHostParams.extend({ accountId: AccountId.openapi({ param: { name: "accountId", in: "path" } }) });
export const AssignHost = z.object({ accountId: AccountId }).openapi("AssignHost");
export const ShowHosts = z.object({ roomId: RoomId, hosts: z.array(AccountId) }).openapi("ShowHosts", { description: "The members assigned to host this show." });
export const RoomRoleHeader = z.object({
  "x-room-role": z
    .enum(["host", "moderator"])
    .optional()
    .openapi({
      param: { name: "x-room-role", in: "header" },
      description: "Without a key: the role a signed-in team member's page asks for with its session cookie (owners and managers host any show of their shop, hosts the shows assigned to them, moderators moderate).",
    }),
});

// ------------------------------------------------------------------ the shop's page (/s/{slug})

export const ShopSlug = z
  .object({
    slug: z.string().openapi({ example: "mei-tea" }),
    url: z.string().openapi({ description: "The shop's page.", example: "https://shop-along.example/s/mei-tea" }),
  })
  .openapi("ShopSlug");

export const SetShopSlug = z
  .object({
    slug: z.string().trim().toLowerCase().max(60).openapi({
      description: "3-40 lowercase letters a-z, digits and hyphens (one at a time, not at either end); not a word the site keeps for itself. The old slug keeps redirecting to the new one for 90 days.",
      example: "mei-tea",
    }),
  })
  .openapi("SetShopSlug");

export const ShopSlugChanged = ShopSlug.extend({
  previous: z.string().nullable().openapi({ description: "The slug given up, which now redirects here for 90 days; null when nothing changed." }),
}).openapi("ShopSlugChanged");

export const SlugParams = z.object({ slug: z.string().min(1).max(100).openapi({ param: { name: "slug", in: "path" }, example: "lotus-tea-house" }) });

export const PublicShow = z
  .object({
    id: RoomId,
    title: z.string().openapi({ example: "Spring tea tasting, live from the shop" }),
    status: z.enum(["scheduled", "live", "ended"]).openapi({ example: "ended" }),
    startsAt: z.string().nullable().openapi({ description: "The planned start (ISO 8601, UTC), or null.", example: TIMES.startsAt }),
    description: z.string().nullable().openapi({ example: "Three spring teas, brewed and tasted live.\nAsk questions in the chat." }),
    imageUrl: z.string().nullable().openapi({ description: "Absolute: the cover image, else the first product photo.", example: "https://example.com/spring-tasting.jpg" }),
    viewerLink: z.string().openapi({ example: VIEWER_LINK }),
    replay: z
      .object({
        liveAt: z.number().int().nullable().openapi({ description: "When it went live (epoch ms).", example: TIMES.live }),
        durationMs: z.number().int().openapi({ example: TIMES.ended - TIMES.live }),
        thumbnailUrl: z.string().nullable().openapi({ description: "Absolute: the replay's thumbnail, else the show's image.", example: `${ORIGIN}/photos/${IDS.room}/th_Zk2Pq7Ln4Vb9Xc1M.jpg` }),
        products: z
          .array(z.object({ id: ProductId, title: z.string().openapi({ example: "Jasmine pearls, 100 g" }) }))
          .openapi({ description: "The products it showed (pinned), at most 8." }),
      })
      .optional()
      .openapi({ description: "Past shows only: the replay as the library lists it (the viewer link plays it)." }),
  })
  .openapi("PublicShow");

export const ShopPage = z
  .object({
    shop: z.object({
      id: ShopId,
      name: z.string().openapi({ example: "Lotus Tea House" }),
      slug: z.string().openapi({ example: "lotus-tea-house" }),
      url: z.string().openapi({ example: `${ORIGIN}/s/lotus-tea-house` }),
    }),
    now: z.number().int().openapi({ description: "The server's clock (epoch ms), for countdowns.", example: TIMES.ended + 3 * 3600_000 }),
    live: z.array(PublicShow).openapi({ description: "Live now.", example: [] }),
    upcoming: z.array(PublicShow).openapi({ description: "Not started yet, soonest first (a show with no planned start last).", example: [] }),
    past: z.array(PublicShow).openapi({ description: "Ended, newest first (at most 12), each with its replay; a replay the brand hid is not listed." }),
  })
  .openapi("ShopPage");

// ------------------------------------------------------------------ "Remind me": RSVPs and the calendar

export const RsvpRequest = z
  .object({
    email: Email.openapi({ example: "mei@example.com" }),
    productId: ProductId.optional().openapi({ description: "For \"tell me when this is on\": one of the show's products." }),
    locale: z.enum(["en", "zh-CN"]).default("en").openapi({ description: "The language of its emails." }),
    timeZone: z
      .string()
      .max(64)
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, "not an IANA time zone")
      .optional()
      .openapi({ example: "Europe/Stockholm", description: "The viewer's time zone, for the times its emails give (else UTC)." }),
  })
  .openapi("RsvpRequest");

export const RsvpAccepted = z
  .object({
    status: z.literal("check_your_inbox"),
    message: z.string().openapi({ example: "If this address can get reminders, a confirmation email is on its way: follow its link to turn them on." }),
  })
  .openapi("RsvpAccepted", { description: "The same answer whether or not the address was known: a confirmation email is on its way unless it is already confirmed." });

export const RsvpToken = z
  .object({ token: z.string().min(1).max(200).openapi({ example: "rc_Bz4Lq9Vm2Xc7Nt1Rk8Wp3Hd6Fs0Jy5Ga" }) })
  .openapi("RsvpToken");

export const RsvpConfirmed = z
  .object({ rsvp: z.object({ roomId: RoomId, productId: ProductId.nullable(), viewerLink: z.string().openapi({ example: `${VIEWER_LINK}#product=${IDS.product}` }) }) })
  .openapi("RsvpConfirmed");

export const Unsubscribed = z.object({ unsubscribed: z.literal(true) }).openapi("Unsubscribed");

export const RsvpCounts = z
  .object({
    active: z.number().int().openapi({ description: "Confirmed RSVPs (they get the reminders).", example: 64 }),
    pending: z.number().int().openapi({ description: "Asked, not yet confirmed.", example: 7 }),
    series: z
      .array(z.object({ at: z.number().int().openapi({ example: TIMES.rsvpsHour }), count: z.number().int().openapi({ example: 12 }) }))
      .openapi({ description: "Confirmed RSVPs over time: the running total at the end of each hour in which some were confirmed." }),
  })
  .openapi("RsvpCounts");

export const RsvpList = z
  .object({
    rsvps: RsvpCounts,
    emails: z.array(
      z.object({
        email: z.string().openapi({ example: "mei@example.com" }),
        productId: ProductId.nullable(),
        locale: z.string().openapi({ example: "zh-CN" }),
        confirmedAt: z.number().int().openapi({ example: TIMES.rsvpsHour + 17 * 60_000 }),
      }),
    ),
  })
  .openapi("RsvpList", { description: "The show's RSVP counts and its opted-in addresses (oldest first)." });
export const RsvpCountsBody = z.object({ rsvps: RsvpCounts }).openapi("RsvpCountsResponse");

export const RsvpListQuery = z.object({
  format: z.enum(["json", "csv"]).default("json").openapi({ param: { name: "format", in: "query" }, description: "`csv` for a spreadsheet of the opted-in emails." }),
});
export const UnsubscribeQuery = z.object({
  token: z.string().max(200).optional().openapi({ param: { name: "token", in: "query" }, description: "The token of the email's List-Unsubscribe URL (RFC 8058 one-click)." }),
});

// ------------------------------------------------------------------ replay timeline

export const ReplayEventsQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ param: { name: "after", in: "query" }, description: "The `next` of the page before; absent for the first page." }),
});

export const ReplayTimeline = z
  .object({
    liveAt: z.number().int().openapi({ description: "When the show went live (room clock, ms since the epoch): replay time 0.", example: TIMES.live }),
    endedAt: z.number().int().openapi({ description: "When it ended (room clock, ms).", example: TIMES.ended }),
    head: z.number().int().openapi({ description: "The room log's newest event number (it grows after the end as the replay sells).", example: 2317 }),
    start: z
      .object({
        seq: z.number().int().openapi({ description: "The event the state is at: the show going live.", example: 188 }),
        room: RoomState,
        messages: z.array(ChatMessage).openapi({ description: "The chat's last lines before it went live." }),
        chat: ChatState,
      })
      .nullable()
      .openapi({ description: "First page only: the room as it was when it went live." }),
    audience: z
      .object({
        fromSecond: z.number().int().openapi({ description: "The room clock's second (ms / 1000) of the arrays' first entry: liveAt's.", example: TIMES.live / 1000 }),
        hearts: z.array(z.number().int()).openapi({ description: "Hearts in each second, from fromSecond to endedAt's second.", example: [0, 3, 1, 0, 7] }),
        viewers: z.array(z.number().int().nullable()).openapi({ description: "Viewers counted in each second; null where the count did not change.", example: [96, null, 98, null, 103] }),
      })
      .nullable()
      .openapi({ description: "First page only: hearts and viewers per second." }),
    events: z.array(
      z.object({
        seq: z.number().int().openapi({ example: 214 }),
        at: z.number().int().openapi({ description: "Room clock, ms; replay time is at - liveAt.", example: TIMES.live + 6 * 60_000 }),
        event: z
          .looseObject({ type: z.string(), seq: z.number().int() })
          .openapi({
            description: "A durable room event as a viewer's socket receives it (chat, pin, product, deal, stage, …; see the WebSocket protocol).",
            example: { type: "pin", seq: 214, productId: IDS.product },
          }),
      }),
    ),
    next: z.number().int().nullable().openapi({ description: "Pass as `after` for the next page; null on the last page.", example: 714 }),
  })
  .openapi("ReplayTimeline");
export const ReplayTimelineBody = z.object({ timeline: ReplayTimeline }).openapi("ReplayTimelineResponse");
