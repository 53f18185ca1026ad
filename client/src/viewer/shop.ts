/**
 * The viewer page's shop: the product list and the checkout, one chunk
 * fetched on the first tap that needs either (checkout-loader.tsx,
 * products-loader.tsx). One chunk rather than two: a tap on the bag leads to
 * "Buy now" often enough, and with a third lazy chunk Rolldown moved the
 * page's shared modules out of its entry into a chunk of their own, which
 * cost every viewer a request and 0.4 KB.
 */
export { CheckoutSheet } from "./CheckoutSheet.tsx";
export { ProductSheet } from "./ProductSheet.tsx";
export { ReplayPage } from "../replay/ReplayPage.tsx";
