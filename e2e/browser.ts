/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * plus the small steps the browser tests share.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROME_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROME_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
    ],
  });
}

/** A phone-sized context, in the given language. */
export function phone(browser: Browser, locale = "en-US"): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
  });
}

export function desktop(browser: Browser, locale = "en-US"): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
}

export const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function api(origin: string, path: string, json?: unknown, key?: string) {
  const res = await fetch(`${origin}${path}`, {
    method: json === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const body = (await res.json()) as any;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A show made through the public API, as a developer would. */
export async function createShow(origin: string, stock = 5) {
  const { shop, apiKey } = await api(origin, "/api/shops", { name: "Lotus Tea House", currency: "USD" });
  const products = [];
  for (const [title, priceCents] of [["Jasmine pearls", 1899], ["Gaiwan set", 4500]] as const) {
    products.push((await api(origin, `/api/shops/${shop.id}/products`, { title, priceCents, imageUrl: "/demo/gaiwan-set.svg" }, apiKey)).product);
  }
  const { room, links } = await api(origin, `/api/shops/${shop.id}/rooms`, {
    title: "Spring tasting",
    products: products.map((p) => ({ productId: p.id, stock })),
  }, apiKey);
  return { shop, apiKey, products, room, links, api: (path: string, json?: unknown, key?: string) => api(origin, path, json, key) };
}
