/** The HTTP shapes of a show's numbers (routes.ts); they generate its part of the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { IDS, KEYS, TIMES } from "../openapi-examples.ts";
import { ProductId } from "../schemas.ts";
import { NUMBER_TABLES } from "./figure-types.ts";

const Phase = z.enum(["prelive", "live", "replay"]);
const count = z.number().int().nonnegative();

const Totals = z.object({
  visits: count.openapi({ description: "Visits of the show's page", example: 612 }),
  peakViewers: count.openapi({ example: 141 }),
  uniqueViewers: count.openapi({ example: 388 }),
  averageWatchMs: count.openapi({ description: "Watch time per unique viewer", example: 1_164_000 }),
  chatMessages: count.openapi({ example: 257 }),
  hearts: count.openapi({ example: 1542 }),
  orders: count.openapi({ description: "Confirmed orders", example: 31 }),
  units: count.openapi({ example: 44 }),
  revenueCents: count.openapi({ example: 84269 }),
  buyers: count.openapi({ description: "Distinct buyers (by email)", example: 29 }),
  conversion: z.number().nonnegative().openapi({ description: "Buyers ÷ unique viewers", example: 0.0747 }),
});

export const ShowNumbersBody = z
  .object({
    numbers: z.object({
      roomId: z.string().openapi({ example: IDS.room }),
      title: z.string().openapi({ example: "Spring tea tasting, live from the shop" }),
      currency: z.string().openapi({ example: "USD" }),
      total: Totals,
      phases: z.array(Totals.extend({ phase: Phase.openapi({ example: "live" }) })),
      rsvps: z.object({ active: count.openapi({ example: 64 }), pending: count.openapi({ example: 7 }) }),
      minutes: z.array(
        z.object({
          at: z.number().int().openapi({ description: "The minute's start, room clock ms", example: TIMES.live + 6 * 60_000 }),
          phase: Phase.openapi({ example: "live" }),
          peakViewers: count.openapi({ example: 118 }),
          averageViewers: z.number().nonnegative().openapi({ example: 112.4 }),
          uniqueViewers: count.openapi({ example: 131 }),
          visits: count.openapi({ example: 22 }),
          chatMessages: count.openapi({ example: 9 }),
          hearts: count.openapi({ example: 47 }),
          orders: count.openapi({ example: 3 }),
          units: count.openapi({ example: 4 }),
          revenueCents: count.openapi({ example: 7596 }),
        }),
      ),
      products: z.array(
        z.object({
          productId: z.string().openapi({ example: IDS.product }),
          title: z.string().openapi({ example: "Jasmine pearls, 100 g" }),
          pinnedMs: count.openapi({ example: 1_260_000 }),
          cardViews: count.openapi({ example: 402 }),
          checkoutOpens: count.openapi({ example: 58 }),
          orders: count.openapi({ example: 19 }),
          units: count.openapi({ example: 27 }),
          revenueCents: count.openapi({ example: 51273 }),
        }),
      ),
      referrals: z.array(
        z.object({
          code: z.string().openapi({ example: "mei" }),
          visits: count.openapi({ example: 96 }),
          orders: count.openapi({ example: 12 }),
          units: count.openapi({ example: 19 }),
          revenueCents: count.openapi({ example: 36081 }),
        }),
      ),
    }),
  })
  .openapi("ShowNumbers", { description: "A show's figures, a few seconds behind the show: totals, by phase, per minute, per product, per referral code." });

export const NumbersCsvQuery = z.object({
  table: z.enum(NUMBER_TABLES).openapi({ param: { name: "table", in: "query" }, description: "Which table: minutes, products, referrals or phases." }),
});

export const ViewRequest = z
  .object({
    what: z.enum(["card", "checkout", "watch"]).openapi({ description: "A product's card seen, its checkout opened, or (a replay's page, every 15 s) watching." }),
    productId: ProductId.optional(),
    viewerToken: z.string().max(200).openapi({ description: "The page's viewer token (vt_…); a beacon cannot send headers.", example: KEYS.viewerToken }),
  })
  .openapi("ViewRequest");

export const ViewAccepted = z.object({ accepted: z.literal(true) }).openapi("ViewAccepted");
