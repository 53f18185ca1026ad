/**
 * Which fulfilment steps an order may take, decided from its D1 row alone:
 *
 *   unfulfilled → packed → shipped      (shipping)
 *   unfulfilled → packed → picked_up    (pickup; packed = ready for pickup)
 *   unfulfilled | packed → cancelled    (by the shop)
 *
 * Packing, shipping and handing over need a confirmed (paid or offline)
 * order; cancelling does not. Asking for the status an order already has is
 * a repeat and changes nothing.
 */
import type { FulfilmentStatus } from "../schemas.ts";

export type Step = Exclude<FulfilmentStatus, "unfulfilled">;
export type StepDecision = { ok: true; repeat: boolean } | { ok: false; message: string };

const NEXT: Record<FulfilmentStatus, readonly Step[]> = {
  unfulfilled: ["packed", "shipped", "picked_up", "cancelled"],
  packed: ["shipped", "picked_up", "cancelled"],
  shipped: [],
  picked_up: [],
  cancelled: [],
};

const WORDS: Record<FulfilmentStatus, string> = {
  unfulfilled: "not yet packed",
  packed: "packed",
  shipped: "shipped",
  picked_up: "picked up",
  cancelled: "cancelled",
};

export function decideStep(order: { fulfilmentStatus: FulfilmentStatus; type: "shipping" | "pickup"; status: string }, to: Step): StepDecision {
  if (order.fulfilmentStatus === to) return { ok: true, repeat: true };
  if (!NEXT[order.fulfilmentStatus].includes(to)) {
    return { ok: false, message: `This order is ${WORDS[order.fulfilmentStatus]}; it cannot be marked ${WORDS[to]} any more.` };
  }
  if (to === "shipped" && order.type === "pickup") {
    return { ok: false, message: "This order is picked up in store, not shipped: mark it packed (ready for pickup), then picked up." };
  }
  if (to === "picked_up" && order.type === "shipping") {
    return { ok: false, message: "This order is shipped to the buyer, not picked up: mark it packed, then shipped." };
  }
  if (to !== "cancelled" && order.status !== "confirmed") {
    return {
      ok: false,
      message: order.status === "awaiting_payment"
        ? "This order is still awaiting payment; pack it once it is confirmed."
        : `This order was ${order.status} before it was paid; there is nothing to fulfil.`,
    };
  }
  return { ok: true, repeat: false };
}
