/**
 * Money, counts and times as people read them, in the page's language.
 *
 * Prices travel as integers in the currency's minor unit ("priceCents"):
 * cents for USD/EUR/GBP/CNY, whole yen for JPY (which has no minor unit),
 * the same convention card processors use.
 */

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const cacheKey = lang + JSON.stringify(options);
  let format = formatters.get(cacheKey);
  if (!format) {
    format = new Intl.NumberFormat(lang, options);
    formatters.set(cacheKey, format);
  }
  return format;
}

/** Digits after the decimal point for a currency: 2 for USD, 0 for JPY. */
export function minorDigits(currency: string): number {
  try {
    return numberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code from the server should not break the page.
    return 2;
  }
}

/** 1999 USD → "$19.99" (en) or "US$19.99" (zh-CN). */
export function formatPrice(priceCents: number, currency: string, lang: string): string {
  const amount = priceCents / 10 ** minorDigits(currency);
  try {
    return numberFormat(lang, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(minorDigits(currency))} ${currency}`;
  }
}

/**
 * "19.99" → 1999 for USD; null when the text is not a price with at most the
 * currency's minor digits. Done on the digits, not with floats, so 0.29 stays 29.
 * A comma is taken as the decimal separator too ("19,99").
 */
export function parsePrice(text: string, currency: string): number | null {
  const match = /^(\d{1,9})(?:[.,](\d*))?$/.exec(text.trim());
  if (!match) return null;
  const digits = minorDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** 1234 → "1,234"; 12345 → "12K" / "1.2万" — short enough for an overlay. */
export function formatCount(count: number, lang: string): string {
  return numberFormat(lang, { notation: count >= 10_000 ? "compact" : "standard", maximumFractionDigits: 1 }).format(count);
}

/** Milliseconds → { days: 2, clock: "03:04:05" }; never negative. Days are worded by the catalogue. */
export function countdown(ms: number): { days: number; clock: string } {
  const total = Math.max(0, Math.floor(ms / 1000));
  const clock = [Math.floor(total / 3600) % 24, Math.floor(total / 60) % 60, total % 60]
    .map((part) => String(part).padStart(2, "0"))
    .join(":");
  return { days: Math.floor(total / 86_400), clock };
}

/** A start time in the reader's own time zone, e.g. "Sat, Nov 29, 8:00 PM". */
export function formatStartTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang, {
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  });
}

/** Chat timestamps: "20:15". */
export function formatClock(at: number, lang: string): string {
  return new Date(at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
}

/** A recording's length, 1:05:09 or 12:34 (a replay's thumbnail, the console's library). */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
