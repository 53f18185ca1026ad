/**
 * The studio as a host runs it: on a phone, the live mode (the camera full
 * screen, the chat over it, products to pin and deal with a thumb, the screen
 * kept awake); on a laptop, the whole studio on one screen.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, hostKeyOf, launchBrowser, online, phone, sendChat } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/**
 * Stands in for the Screen Wake Lock API, to see the page ask for it: every
 * request is kept in `window.wakeLocks`; `release()` marks it released, as
 * the browser does when the page is hidden.
 */
function stubWakeLock() {
  const locks: Array<{ type: string; released: boolean; release(): Promise<void> }> = [];
  (window as unknown as { wakeLocks: typeof locks }).wakeLocks = locks;
  Object.defineProperty(navigator, "wakeLock", {
    configurable: true,
    value: {
      async request(type: string) {
        const lock = {
          type,
          released: false,
          async release() {
            lock.released = true;
          },
          addEventListener() {},
          removeEventListener() {},
        };
        locks.push(lock);
        return lock;
      },
    },
  });
}

const wakeLocks = (page: Page) => page.evaluate(() => (window as unknown as { wakeLocks: Array<{ type: string; released: boolean }> }).wakeLocks.map((l) => ({ ...l })));

const previewWidth = (page: Page, scope = "") =>
  page.evaluate((selector) => document.querySelector<HTMLVideoElement>(`${selector} [data-testid=camera-preview]`)?.videoWidth ?? 0, scope);

describe("the studio's live mode on a phone", () => {
  it("goes full screen when the show goes live: chat over the camera, one-tap pins, two-tap deals, camera switch, screen awake", async () => {
    const show = await createShow(origin, 10);
    const [jasmine, gaiwan] = show.products;
    const hostContext = await phone(browser);
    await hostContext.addInitScript(stubWakeLock);
    const host = await hostContext.newPage();
    await host.goto(show.links.host);
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(show.links.viewer);
    await online(host);
    await online(viewer);
    await expect.poll(() => previewWidth(host), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await byTestId(host, "live-mode").count()).toBe(0);

    // Going live on a phone-sized screen opens the live mode by itself.
    await byTestId(host, "go-live").click();
    const live = byTestId(host, "live-mode");
    await live.waitFor({ timeout: 5000 });
    await expect.poll(() => previewWidth(host, "[data-testid=live-mode]"), { timeout: 10_000 }).toBeGreaterThan(0);
    // The camera fills the screen.
    const box = (await live.locator("[data-testid=camera-preview]").boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(389);
    expect(box.height).toBeGreaterThanOrEqual(843);
    expect(await host.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(844);

    // The screen is kept awake, and asked again when the page comes back into view.
    await expect.poll(async () => (await wakeLocks(host)).map((l) => l.type), { timeout: 3000 }).toEqual(["screen"]);
    await host.evaluate(async () => {
      const locks = (window as unknown as { wakeLocks: Array<{ release(): Promise<void> }> }).wakeLocks;
      await locks[0]!.release();
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await expect.poll(async () => (await wakeLocks(host)).length, { timeout: 3000 }).toBe(2);

    // Viewers and hearts on screen.
    await expect.poll(() => byTestId(host, "live-viewers").textContent(), { timeout: 5000 }).toContain("1");
    await byTestId(viewer, "react-button").click();
    await expect.poll(() => byTestId(host, "live-hearts").textContent(), { timeout: 5000 }).toContain("1");

    // A viewer's message shows over the video, newest at the bottom, inside the screen.
    await byTestId(viewer, "chat-name").fill("Ana");
    for (const text of ["Hello from Ana", "Is the gaiwan in stock?"]) await sendChat(viewer, text);
    const message = live.locator("[data-testid=chat-message]", { hasText: "Is the gaiwan in stock?" });
    await message.waitFor({ timeout: 3000 });
    const texts = await live.locator("[data-testid=chat-message]").allTextContents();
    expect(texts.at(-1)).toContain("Is the gaiwan in stock?");
    const messageBox = (await message.boundingBox())!;
    expect(messageBox.y).toBeGreaterThan(0);
    expect(messageBox.y + messageBox.height).toBeLessThanOrEqual(844);
    expect(await message.isVisible()).toBe(true);

    // One tap pins a product for every viewer; another unpins it.
    const card = live.locator(`[data-testid=live-product][data-product-id="${gaiwan.id}"]`);
    await card.locator("[data-testid=live-pin]").click();
    await expect.poll(() => byTestId(viewer, "pinned-product").getAttribute("data-product-id"), { timeout: 3000 }).toBe(gaiwan.id);
    await expect.poll(() => card.getAttribute("data-pinned")).toBe("true");
    await card.locator("[data-testid=live-pin]").click();
    await expect.poll(() => byTestId(viewer, "pinned-product").count(), { timeout: 3000 }).toBe(0);

    // A flash deal in two taps: the deal button, then the sheet's one confirm (preset price and time).
    const first = live.locator(`[data-testid=live-product][data-product-id="${jasmine.id}"]`);
    await first.locator("[data-testid=live-deal]").click();
    await byTestId(host, "live-deal-start").click();
    await byTestId(viewer, "deal-banner").waitFor({ timeout: 3000 });
    expect(await byTestId(viewer, "pinned-product").getAttribute("data-product-id")).toBe(jasmine.id);
    expect(await byTestId(viewer, "deal-price").textContent()).toContain("15.19"); // 20% off 18.99, the preset
    await byTestId(host, "live-deal-running").waitFor({ timeout: 3000 });

    // The front/back camera switch is there and the picture survives it.
    await byTestId(host, "live-flip-camera").click();
    await expect.poll(() => previewWidth(host, "[data-testid=live-mode]"), { timeout: 10_000 }).toBeGreaterThan(0);

    // Ending the show is within reach, and asks first.
    await byTestId(host, "live-end-show").click();
    await byTestId(host, "live-end-cancel").click();
    expect((await show.api(`/api/rooms/${show.room.id}`)).room.status).toBe("live");

    // Leaving the live mode returns to the studio and lets the screen sleep.
    await byTestId(host, "live-mode-exit").click();
    await byTestId(host, "go-live").or(byTestId(host, "end-show")).waitFor({ timeout: 3000 });
    expect(await byTestId(host, "live-mode").count()).toBe(0);
    expect((await wakeLocks(host)).every((l) => l.released)).toBe(true);
    // ...and the button brings it back.
    await byTestId(host, "live-mode-open").click();
    await live.waitFor({ timeout: 3000 });

    await byTestId(host, "live-end-show").click();
    await byTestId(host, "live-end-confirm").click();
    await expect.poll(() => byTestId(viewer, "stage").getAttribute("data-state"), { timeout: 3000 }).toBe("ended");
    await hostContext.close();
    await viewer.context().close();
  });
});

describe("the live mode's connection", () => {
  for (const [locale, words, width] of [["en-US", "Reconnecting…", 390], ["zh-CN", "重新连接中…", 320]] as const) {
    it(`is a quiet dot while up, and said in words above the camera while lost (${locale}, ${width} px)`, async () => {
      const show = await createShow(origin, 1);
      const context = await phone(browser, locale, width);
      const host = await context.newPage();
      await host.goto(show.links.host);
      await online(host);
      await byTestId(host, "go-live").click();
      const live = byTestId(host, "live-mode");
      await live.waitFor({ timeout: 5000 });
      // Up: the dot in the top bar, no words.
      await live.locator('[data-testid="connection-status"][data-state="online"]').waitFor({ timeout: 5000 });
      expect(await live.locator(".connection-label").count()).toBe(0);
      await host.screenshot({ path: `/tmp/shots/live-mode-online-${width}-${locale}.png` });

      await context.setOffline(true);
      const lost = live.locator('[data-testid="connection-status"]:not([data-state="online"])');
      await lost.waitFor({ timeout: 5000 });
      expect(await lost.textContent()).toBe(words);
      // Nothing covers it, and it stays inside the screen.
      const shown = await host.evaluate(() => {
        const label = document.querySelector('[data-testid="live-mode"] [data-testid="connection-status"]')!;
        const box = label.getBoundingClientRect();
        const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return { onTop: !!top && label.contains(top), inside: box.left >= 0 && box.right <= innerWidth, scroll: document.documentElement.scrollWidth - innerWidth };
      });
      expect(shown).toEqual({ onTop: true, inside: true, scroll: 0 });
      await host.screenshot({ path: `/tmp/shots/live-mode-reconnecting-${width}-${locale}.png` });

      await context.setOffline(false);
      await live.locator('[data-testid="connection-status"][data-state="online"]').waitFor({ timeout: 15_000 });
      await context.close();
    });
  }
});

describe("the studio on a laptop", () => {
  it("products, chat, orders and the stage fit one 1366×900 screen, each panel scrolling inside itself", async () => {
    const show = await createShow(origin, 10);
    // A fuller show than the default: more products and orders than fit their panels.
    for (let n = 1; n <= 6; n++) {
      const { product } = await show.api(`/api/shops/${show.shop.id}/products`, { title: `Tea sampler ${n}`, priceCents: 900 + n }, show.apiKey);
      show.products.push(product);
    }
    const { room, links } = await show.api(
      `/api/shops/${show.shop.id}/rooms`,
      { title: "A long tasting", products: show.products.map((p) => ({ productId: p.id, stock: 20 })) },
      show.apiKey,
    );
    await show.api(`/api/rooms/${room.id}/status`, { status: "live" }, hostKeyOf({ links }));
    for (let n = 0; n < 8; n++) {
      const res = await fetch(`${origin}/api/rooms/${room.id}/orders`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": `fit-${room.id}-${n}` },
        body: JSON.stringify({ productId: show.products[n % show.products.length].id, quantity: 1, buyer: { name: `Buyer ${n}`, email: `b${n}@example.com` }, fulfilment: { type: "pickup", address: null } }),
      });
      expect(res.status).toBe(201);
    }

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "en-US" });
    const host = await context.newPage();
    await host.goto(links.host);
    await online(host);
    await expect.poll(() => previewWidth(host), { timeout: 10_000 }).toBeGreaterThan(0);
    for (let n = 0; n < 5; n++) await sendChat(host, `Welcome, everyone! Message ${n}`);
    await expect.poll(() => byTestId(host, "chat-message").count(), { timeout: 3000 }).toBe(5);
    await expect.poll(() => byTestId(host, "studio-order").count(), { timeout: 5000 }).toBe(8);
    // No live mode on a laptop unless asked for.
    expect(await byTestId(host, "live-mode").count()).toBe(0);

    const fit = await host.evaluate(() => ({ scroll: document.documentElement.scrollHeight, height: innerHeight, width: document.documentElement.scrollWidth }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.height);
    expect(fit.width).toBeLessThanOrEqual(1366);
    for (const selector of ["[data-testid=studio-products]", "[data-testid=chat-list]", "[data-testid=orders-panel]", "[data-testid=stage-list]", "[data-testid=camera-preview]"]) {
      const box = (await host.locator(selector).first().boundingBox())!;
      expect(box, selector).not.toBeNull();
      expect(box.y, selector).toBeGreaterThanOrEqual(0);
      expect(box.y + Math.min(box.height, 40), selector).toBeLessThanOrEqual(900);
    }
    // The newest chat message is in view: the chat scrolls inside its panel.
    expect(await host.locator("[data-testid=chat-message]", { hasText: "Message 4" }).isVisible()).toBe(true);
    await context.close();
  });
});
