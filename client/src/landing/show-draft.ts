/**
 * What the brand types on the landing page, checked before anything is sent,
 * and turned into the API's shapes. Limits mirror the database's CHECKs so a
 * problem is named next to its field instead of coming back as a 400.
 */
import { parsePrice, minorDigits } from "../format.ts";
import type { tLanding } from "../i18n.ts";

export const CURRENCIES = ["USD", "EUR", "GBP", "CNY", "JPY"] as const;
export type Currency = (typeof CURRENCIES)[number];

export const MAX_SHOP_NAME = 80;
export const MAX_SHOW_TITLE = 120;
export const MAX_PRODUCT_TITLE = 120;
export const MAX_STOCK = 1_000_000;
/** In the currency's minor unit, as the API caps it. */
export const MAX_PRICE_CENTS = 100_000_000;

export type ProductDraft = {
  /** Stable identity for the list, so removing a row keeps the others' inputs. */
  key: number;
  title: string;
  price: string;
  imageUrl: string;
  stock: string;
};

export type ShowDraft = {
  shopName: string;
  currency: Currency;
  showTitle: string;
  /** A datetime-local value ("2026-12-01T20:00"), local time; empty when not set. */
  startsAt: string;
  products: ProductDraft[];
};

type LandingKey = Parameters<typeof tLanding>[0];

/** A problem with one field; `field` is the field's data-testid. */
export type Problem = { field: string; message: LandingKey; params?: Record<string, string | number> };

export type ShowRequest = {
  shop: { name: string; currency: Currency };
  products: { title: string; priceCents: number; imageUrl?: string; stock: number }[];
  room: { title: string; startsAt?: string };
};

let nextKey = 1;
export function emptyProduct(): ProductDraft {
  return { key: nextKey++, title: "", price: "", imageUrl: "", stock: "10" };
}

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

/** "19.99" for USD, "1500" for JPY: an example price in the format we accept. */
export function examplePrice(currency: Currency): string {
  return minorDigits(currency) === 0 ? "1500" : "19.99";
}

/** Pages show images over https only (their Content-Security-Policy), so an http:// image would never appear. */
function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === "https:";
  } catch {
    return false;
  }
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

  draft.products.forEach((product, i) => {
    const n = i + 1;
    const title = product.title.trim();
    if (!title) problems.push({ field: `product-title-${i}`, message: "errProductTitle", params: { n } });
    else if (title.length > MAX_PRODUCT_TITLE) {
      problems.push({ field: `product-title-${i}`, message: "errProductTitleLong", params: { n, max: MAX_PRODUCT_TITLE } });
    }
    const priceCents = parsePrice(product.price, draft.currency);
    if (priceCents === null || priceCents > MAX_PRICE_CENTS) {
      problems.push({ field: `product-price-${i}`, message: "errProductPrice", params: { n, example: examplePrice(draft.currency) } });
    }
    const image = product.imageUrl.trim();
    if (image && !isHttpsUrl(image)) problems.push({ field: `product-image-${i}`, message: "errProductImage", params: { n } });
    const stock = Number(product.stock.trim());
    if (!/^\d+$/.test(product.stock.trim()) || stock < 1 || stock > MAX_STOCK) {
      problems.push({ field: `product-stock-${i}`, message: "errProductStock", params: { n, max: MAX_STOCK } });
    }
  });
  return problems;
}

/** The API requests for a draft that has no problems. */
export function toRequest(draft: ShowDraft): ShowRequest {
  const startsAt = draft.startsAt ? new Date(draft.startsAt) : null;
  return {
    shop: { name: draft.shopName.trim(), currency: draft.currency },
    products: draft.products.map((product) => ({
      title: product.title.trim(),
      priceCents: parsePrice(product.price, draft.currency) ?? 0,
      imageUrl: product.imageUrl.trim() || undefined,
      stock: Number(product.stock.trim()),
    })),
    room: {
      title: draft.showTitle.trim(),
      startsAt: startsAt && !Number.isNaN(startsAt.getTime()) ? startsAt.toISOString() : undefined,
    },
  };
}
