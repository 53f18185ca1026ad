/**
 * A product as a form holds it (what the brand typed, a photo picked, and
 * optional sizes / colours), checked before anything is sent, and turned
 * into the catalogue API's shapes. Limits mirror the API's.
 */
import { minorDigits, parsePrice } from "../format.ts";
import type { tLanding } from "../i18n.ts";
import type { PhotoDraft } from "./photo-upload.ts";

export const MAX_PRODUCT_TITLE = 120;
export const MAX_STOCK = 1_000_000;
/** In the currency's minor unit, as the API caps it. */
export const MAX_PRICE_CENTS = 100_000_000;
export const MAX_OPTIONS = 2;
export const MAX_VARIANTS = 100;
const MAX_OPTION_NAME = 30;
const MAX_OPTION_VALUE = 40;

/** One option (e.g. Size) and its values as typed: "S, M, L". */
export type OptionDraft = { name: string; values: string };

export type ProductDraft = {
  /** Stable identity for the list, so removing a row keeps the others' inputs. */
  key: number;
  title: string;
  price: string;
  imageUrl: string;
  /** Units for the show, when the product has no variants. */
  stock: string;
  photo: PhotoDraft | null;
  /** Empty: sold as one thing. */
  options: OptionDraft[];
  /** Units per variant, by `variantLabel` of its values. */
  variantStock: Record<string, string>;
};

export type ProductRequest = {
  title: string;
  priceCents: number;
  imageUrl?: string;
  stock: number;
  photo?: PhotoDraft;
  optionNames?: string[];
  variants?: { options: string[]; stock: number }[];
};

type LandingKey = Parameters<typeof tLanding>[0];
/** A problem with one field; `field` is the field's id (and data-testid). */
export type Problem = { field: string; message: LandingKey; params?: Record<string, string | number> };

let nextKey = 1;
export function emptyProduct(): ProductDraft {
  return { key: nextKey++, title: "", price: "", imageUrl: "", stock: "10", photo: null, options: [], variantStock: {} };
}

/** "19.99" for USD, "1500" for JPY: an example price in the format we accept. */
export function examplePrice(currency: string): string {
  return minorDigits(currency) === 0 ? "1500" : "19.99";
}

/** The values typed for an option: split at commas (either script's), trimmed, each once. */
export function optionValues(typed: string): string[] {
  return [...new Set(typed.split(/[,，、]/).map((value) => value.trim()).filter(Boolean))];
}

/** Every combination of the options' values, in the order typed: S / Red, S / Blue, M / Red, … */
export function combinations(options: OptionDraft[]): string[][] {
  return options.reduce<string[][]>((combos, option) => combos.flatMap((combo) => optionValues(option.values).map((value) => [...combo, value])), [[]]);
}

export const variantLabel = (values: string[]) => values.join(" / ");

/** The units typed for a variant; a new combination starts at 10, like a new product. */
export const variantUnits = (draft: ProductDraft, values: string[]) => draft.variantStock[variantLabel(values)] ?? "10";

/** Pages show images over https only (their Content-Security-Policy), so an http:// image would never appear. */
function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === "https:";
  } catch {
    return false;
  }
}

const isUnits = (typed: string, min: number) => /^\d+$/.test(typed.trim()) && Number(typed) >= min && Number(typed) <= MAX_STOCK;

/** Every problem of product `i` (shown as "Product {n}"), in the order its fields appear. */
export function productProblems(product: ProductDraft, i: number, currency: string): Problem[] {
  const problems: Problem[] = [];
  const n = i + 1;
  const title = product.title.trim();
  if (!title) problems.push({ field: `product-title-${i}`, message: "errProductTitle", params: { n } });
  else if (title.length > MAX_PRODUCT_TITLE) problems.push({ field: `product-title-${i}`, message: "errProductTitleLong", params: { n, max: MAX_PRODUCT_TITLE } });
  const priceCents = parsePrice(product.price, currency);
  if (priceCents === null || priceCents > MAX_PRICE_CENTS) {
    problems.push({ field: `product-price-${i}`, message: "errProductPrice", params: { n, example: examplePrice(currency) } });
  }
  const image = product.imageUrl.trim();
  if (image && !isHttpsUrl(image)) problems.push({ field: `product-image-${i}`, message: "errProductImage", params: { n } });
  if (product.options.length === 0) {
    if (!isUnits(product.stock, 1)) problems.push({ field: `product-stock-${i}`, message: "errProductStock", params: { n, max: MAX_STOCK } });
    return problems;
  }
  product.options.forEach((option, j) => {
    const name = option.name.trim();
    if (!name || name.length > MAX_OPTION_NAME) problems.push({ field: `product-option-name-${i}-${j}`, message: "errOptionName", params: { n, max: MAX_OPTION_NAME } });
    const values = optionValues(option.values);
    if (values.length === 0 || values.some((value) => value.length > MAX_OPTION_VALUE)) {
      problems.push({ field: `product-option-values-${i}-${j}`, message: "errOptionValues", params: { n, option: name || String(j + 1), max: MAX_OPTION_VALUE } });
    }
  });
  const names = product.options.map((option) => option.name.trim().toLowerCase());
  if (names.length === 2 && names[0] && names[0] === names[1]) problems.push({ field: `product-option-name-${i}-1`, message: "errOptionNameTwice", params: { n } });
  const combos = combinations(product.options);
  if (combos.length > MAX_VARIANTS) problems.push({ field: `product-option-values-${i}-0`, message: "errTooManyVariants", params: { n, max: MAX_VARIANTS } });
  combos.forEach((values, k) => {
    if (!isUnits(variantUnits(product, values), 0)) {
      problems.push({ field: `product-variant-stock-${i}-${k}`, message: "errVariantStock", params: { n, variant: variantLabel(values), max: MAX_STOCK } });
    }
  });
  if (combos.length && combos.every((values) => Number(variantUnits(product, values)) === 0)) {
    problems.push({ field: `product-variant-stock-${i}-0`, message: "errVariantsNoUnits", params: { n } });
  }
  return problems;
}

/** The API request of a product that has no problems. */
export function toProductRequest(product: ProductDraft, currency: string): ProductRequest {
  const options = product.options.map((option) => ({ name: option.name.trim(), values: option.values }));
  return {
    title: product.title.trim(),
    priceCents: parsePrice(product.price, currency) ?? 0,
    imageUrl: product.imageUrl.trim() || undefined,
    stock: Number(product.stock.trim()),
    photo: product.photo ?? undefined,
    ...(options.length
      ? {
          optionNames: options.map((option) => option.name),
          variants: combinations(options).map((values) => ({ options: values, stock: Number(variantUnits(product, values)) })),
        }
      : {}),
  };
}
