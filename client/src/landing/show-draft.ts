/**
 * What the brand types on the landing page, checked before anything is sent,
 * and turned into the API's shapes. Limits mirror the database's CHECKs so a
 * problem is named next to its field instead of coming back as a 400.
 */
import { productProblems, toProductRequest, type ProductDraft, type ProductRequest, type Problem } from "../catalogue/product-draft.ts";

export { emptyProduct, examplePrice, type ProductDraft, type Problem } from "../catalogue/product-draft.ts";

export const CURRENCIES = ["USD", "EUR", "GBP", "CNY", "JPY"] as const;
export type Currency = (typeof CURRENCIES)[number];

export const MAX_SHOP_NAME = 80;
export const MAX_SHOW_TITLE = 120;

export type ShowDraft = {
  shopName: string;
  currency: Currency;
  showTitle: string;
  /** A datetime-local value ("2026-12-01T20:00"), local time; empty when not set. */
  startsAt: string;
  products: ProductDraft[];
};

export type ShowRequest = {
  shop: { name: string; currency: Currency };
  products: ProductRequest[];
  room: { title: string; startsAt?: string };
};

/** A sensible currency for the visitor's locale; they can change it. */
export function defaultCurrency(locale = navigator.language): Currency {
  const [language = "", region = ""] = locale.split("-");
  if (language === "zh") return "CNY";
  if (language === "ja") return "JPY";
  if (region === "GB") return "GBP";
  if (["de", "fr", "es", "it", "nl", "pt", "fi", "el", "sk", "sl", "et", "lv", "lt"].includes(language) && region !== "CH") {
    return "EUR";
  }
  return "USD";
}

/** A start time a minute or more ago is a mistake (the API allows a few minutes for clocks that disagree). */
function isPast(startsAt: string, now = Date.now()): boolean {
  const start = new Date(startsAt).getTime();
  return !Number.isNaN(start) && start < now - 60_000;
}

/** Now, as a datetime-local value: the earliest start the picker offers. */
export function earliestStart(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** Every problem in the draft, in the order the fields appear; empty when it can be sent. */
export function findProblems(draft: ShowDraft): Problem[] {
  const problems: Problem[] = [];
  const shopName = draft.shopName.trim();
  if (!shopName) problems.push({ field: "shop-name", message: "errShopName" });
  else if (shopName.length > MAX_SHOP_NAME) problems.push({ field: "shop-name", message: "errShopNameLong", params: { max: MAX_SHOP_NAME } });

  const showTitle = draft.showTitle.trim();
  if (!showTitle) problems.push({ field: "show-title", message: "errShowTitle" });
  else if (showTitle.length > MAX_SHOW_TITLE) problems.push({ field: "show-title", message: "errShowTitleLong", params: { max: MAX_SHOW_TITLE } });
  if (draft.startsAt && isPast(draft.startsAt)) problems.push({ field: "starts-at", message: "errStartsAtPast" });

  draft.products.forEach((product, i) => problems.push(...productProblems(product, i, draft.currency)));
  return problems;
}

/** The API requests for a draft that has no problems. */
export function toRequest(draft: ShowDraft): ShowRequest {
  const startsAt = draft.startsAt ? new Date(draft.startsAt) : null;
  return {
    shop: { name: draft.shopName.trim(), currency: draft.currency },
    products: draft.products.map((product) => toProductRequest(product, draft.currency)),
    room: {
      title: draft.showTitle.trim(),
      startsAt: startsAt && !Number.isNaN(startsAt.getTime()) ? startsAt.toISOString() : undefined,
    },
  };
}
