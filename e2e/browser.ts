/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * plus the small steps the browser tests share.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { api } from "../scripts/stack.ts";

export const CHROME_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";

/**
 * Chromium with a fake camera and microphone. Its permission prompt says yes
 * by itself; with `{ cameraPrompt: "deny" }` there is no fake prompt, and
 * headless Chromium answers every camera and microphone request with
 * NotAllowedError, as when a person blocks them.
 */
export function launchBrowser({ cameraPrompt = "accept" }: { cameraPrompt?: "accept" | "deny" } = {}): Promise<Browser> {
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
      ...(cameraPrompt === "accept" ? ["--use-fake-ui-for-media-stream"] : []),
      // The tests' SFU answers 127.0.0.1 only (SFU_LOOPBACK_ONLY): Chromium must offer a loopback candidate.
      "--allow-loopback-in-peer-connection",
    ],
  });
}

/** A phone-sized context, in the given language; 390 px wide unless told (320: the narrowest phones). */
export function phone(browser: Browser, locale = "en-US", width = 390): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
  });
}

/** A laptop-sized context; 1280 × 800 unless told (another common one: 1366 × 900). */
export function desktop(browser: Browser, locale = "en-US", width = 1280, height = 800): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height }, locale });
}

/** Nothing on the page is wider than its viewport (no sideways scrolling on a phone). */
export const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** An 8 × 8 PNG: a real image a page decodes, resizes and uploads. */
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4YaOBFTEMLQkAdntLARs7+acAAAAASUVORK5CYII=", "base64");

export const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** A show made through the public API, as a developer would. */
/** `recording: false`: the show is not recorded (its replay is the room's state alone). */
export async function createShow(origin: string, stock = 5, { recording = true }: { recording?: boolean } = {}) {
  const { shop, apiKey } = await api(origin, "/api/shops", { name: "Lotus Tea House", currency: "USD" });
  const products = [];
  for (const [title, priceCents] of [["Jasmine pearls", 1899], ["Gaiwan set", 4500]] as const) {
    products.push((await api(origin, `/api/shops/${shop.id}/products`, { title, priceCents, imageUrl: "/demo/gaiwan-set.svg" }, apiKey)).product);
  }
  const { room, links } = await api(origin, `/api/shops/${shop.id}/rooms`, {
    title: "Spring tasting",
    recording,
    products: products.map((p) => ({ productId: p.id, stock })),
  }, apiKey);
  return { shop, apiKey, products, room, links, api: (path: string, json?: unknown, key?: string) => api(origin, path, json, key) };
}

/** The host key from a show's host link (it rides in the fragment). */
/**
 * Sends a chat line as a person does: types it, presses Enter, and sees the
 * box empty once the room took it (a line sent before that would wait in
 * the box, not be sent twice).
 */
export async function sendChat(page: Page, text: string): Promise<void> {
  await byTestId(page, "chat-input").fill(text);
  await byTestId(page, "chat-input").press("Enter");
  await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid="chat-input"]')?.value === "", null, { timeout: 5000 });
}

export const hostKeyOf = (show: { links: { host: string } }) => new URL(show.links.host).hash.slice("#key=".length);

export const online = (page: Page, timeout = 10_000) =>
  page.locator('[data-testid="connection-status"][data-state="online"]').waitFor({ timeout });

/**
 * Fills and submits the open checkout sheet. Without `shipping`, the order is
 * picked up in store.
 */
export async function checkout(
  page: Page,
  buyer: { name: string; email: string; quantity?: number; shipping?: { line1: string; city: string; postalCode: string; country: string } },
) {
  const sheet = byTestId(page, "checkout-sheet");
  await sheet.waitFor({ timeout: 10_000 });
  await byTestId(page, "checkout-name").fill(buyer.name);
  await byTestId(page, "checkout-email").fill(buyer.email);
  if (buyer.shipping) {
    await byTestId(page, "checkout-shipping").click();
    await byTestId(page, "checkout-line1").fill(buyer.shipping.line1);
    await byTestId(page, "checkout-city").fill(buyer.shipping.city);
    await byTestId(page, "checkout-postal").fill(buyer.shipping.postalCode);
    await byTestId(page, "checkout-country").selectOption(buyer.shipping.country);
  } else {
    await byTestId(page, "checkout-pickup").click();
  }
  for (let n = 1; n < (buyer.quantity ?? 1); n++) await byTestId(page, "checkout-quantity-plus").click();
  await byTestId(page, "checkout-submit").click();
}

/**
 * Puts a page's room socket behind a valve: while held, frames from the room
 * queue up instead of reaching the page (a phone on a slow network, still
 * showing stock that is gone). Install before the page opens the room.
 */
export async function valveRoomSocket(page: Page) {
  let holding = false;
  const held: Array<string | Buffer> = [];
  let deliver: ((message: string | Buffer) => void) | null = null;
  await page.routeWebSocket(/\/parties\/room\//, (socket) => {
    const server = socket.connectToServer();
    deliver = (message) => socket.send(message);
    server.onMessage((message) => (holding ? held.push(message) : socket.send(message)));
  });
  return {
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const message of held.splice(0)) deliver?.(message);
    },
  };
}

/** A page in a new context of `kind` (phone, desktop, …) at `url`; the context is kept in `contexts`, for the test to close. */
export async function openPage(
  browser: Browser,
  contexts: BrowserContext[],
  kind: (b: Browser, locale?: string) => Promise<BrowserContext>,
  url: string,
  locale = "en-US",
): Promise<Page> {
  const context = await kind(browser, locale);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Until the page's own camera preview shows a picture (the studio, a guest's page). */
export const previewReady = (page: Page) =>
  expect.poll(() => page.evaluate(() => document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);

/** On the studio page: once the camera preview shows a picture, Go live, and wait until the show is live with the camera on. */
export async function pressGoLive(host: Page): Promise<void> {
  await previewReady(host);
  await byTestId(host, "go-live").click();
  await host.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 10_000 });
  await expect.poll(() => byTestId(host, "show-status").getAttribute("data-state")).toBe("live");
}
