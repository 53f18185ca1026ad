/** The HTTP shapes of a show's numbers (routes.ts); they generate its part of the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { ProductId } from "../schemas.ts";
import { NUMBER_TABLES } from "./figure-types.ts";

const Phase = z.enum(["prelive", "live", "replay"]);
const count = z.number().int().nonnegative();

const Totals = z.object({
  visits: count.openapi({ description: "Visits of the show's page" }),
  peakViewers: count,
  uniqueViewers: count,
  averageWatchMs: count.openapi({ description: "Watch time per unique viewer" }),
  chatMessages: count,
  hearts: count,
  orders: count.openapi({ description: "Confirmed orders" }),
  units: count,
  revenueCents: count,
  buyers: count.openapi({ description: "Distinct buyers (by email)" }),
  conversion: z.number().nonnegative().openapi({ description: "Buyers ÷ unique viewers" }),
});

export const ShowNumbersBody = z
  .object({
    numbers: z.object({
      roomId: z.string(),
      title: z.string(),
      currency: z.string(),
      total: Totals,
      phases: z.array(Totals.extend({ phase: Phase })),
      rsvps: z.object({ active: count, pending: count }),
      minutes: z.array(
        z.object({
          at: z.number().int().openapi({ description: "The minute's start, room clock ms" }),
          phase: Phase,
          peakViewers: count,
          averageViewers: z.number().nonnegative(),
          uniqueViewers: count,
          visits: count,
          chatMessages: count,
          hearts: count,
          orders: count,
          units: count,
          revenueCents: count,
        }),
      ),
      products: z.array(
        z.object({
          productId: z.string(),
          title: z.string(),
          pinnedMs: count,
          cardViews: count,
          checkoutOpens: count,
          orders: count,
          units: count,
          revenueCents: count,
        }),
      ),
      referrals: z.array(z.object({ code: z.string(), visits: count, orders: count, units: count, revenueCents: count })),
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
    viewerToken: z.string().max(200).openapi({ description: "The page's viewer token (vt_…); a beacon cannot send headers." }),
  })
  .openapi("ViewRequest");

export const ViewAccepted = z.object({ accepted: z.literal(true) }).openapi("ViewAccepted");
