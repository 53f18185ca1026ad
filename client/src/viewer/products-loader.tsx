/** The list of the show's products (and "My orders") is loaded on the tap that opens it, like the checkout. */
import { tViewer as t } from "../i18n.ts";
import { lazySheet } from "./lazy-sheet.tsx";

export const { LazySheet: Products } = lazySheet(
  () => import("./shop.ts").then((module) => module.ProductSheet),
  () => ({ title: t("productsTitle"), text: t("productsLoading") }),
);
