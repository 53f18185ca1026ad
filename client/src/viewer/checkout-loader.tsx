/**
 * The checkout sheet is loaded on a tap: it is most of what buying costs in
 * bytes, and fetched ahead (at idle, or when a product was pinned) every
 * viewer downloaded it. It starts downloading as a finger lands on "Buy now"
 * or the product list opens; the sheet says "Opening checkout…" for the
 * moment it may still take.
 */
import { tViewer as t } from "../i18n.ts";
import { lazySheet } from "./lazy-sheet.tsx";

const checkout = lazySheet(
  () => import("./shop.ts").then((module) => module.CheckoutSheet),
  (props) => ({ title: props.product.title, text: t("checkoutLoading") }),
);

export const prefetchCheckout = checkout.prefetch;
export const Checkout = checkout.LazySheet;
