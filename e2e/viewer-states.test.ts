/**
 * What a viewer sees in the states that were rough (issue 8): a flash deal on
 * a product that is not pinned, a show that has ended (viewer and studio), a
 * mistyped link, and a lost connection while video plays.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, hostKeyOf, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
});

async function open(kind: typeof phone, url: string, locale?: string): Promise<Page> {
  const context = await kind(browser, locale);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

describe("a flash deal on a product that is not pinned", () => {
  it("is shown to every viewer with its price and countdown, beside the pinned product", async () => {
    const show = await createShow(origin, 5);
    const key = hostKeyOf(show);
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, key);
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, key);
    const viewer = await open(phone, show.links.viewer);
    await online(viewer);
    await byTestId(viewer, "pinned-product").waitFor();
    expect(await byTestId(viewer, "deal-card").count()).toBe(0);

    await show.api(`/api/rooms/${show.room.id}/deals`, { productId: show.products[1].id, priceCents: 2900, durationSeconds: 60 }, key);
    const card = byTestId(viewer, "deal-card");
    await card.waitFor({ timeout: 2000 });
    expect(await card.getAttribute("data-product-id")).toBe(show.products[1].id);
    expect(await card.textContent()).toContain("Gaiwan set");
    expect(await card.textContent()).toContain("29.00");
    expect(await card.getByRole("timer").count()).toBeGreaterThan(0);
    // The pinned product is still there, at its own price.
    expect(await byTestId(viewer, "pinned-product").locator("[data-testid=pinned-title]").textContent()).toContain("Jasmine pearls");
    await viewer.screenshot({ path: "/tmp/shots/deal-not-pinned-phone.png" });

    await show.api(`/api/rooms/${show.room.id}/deals/end`, {}, key);
    await expect.poll(() => byTestId(viewer, "deal-card").count(), { timeout: 2000 }).toBe(0);
  });
});

describe("after the host ends the show", () => {
  for (const [label, locale, word] of [["English", "en-US", "has ended"], ["Chinese", "zh-CN", "已结束"]] as const) {
    it(`viewers get no buy, chat or heart controls, and are told it ended (${label}); the studio keeps no show controls`, async () => {
      const show = await createShow(origin, 5);
      const key = hostKeyOf(show);
      await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, key);
      await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, key);
      const viewer = await open(phone, show.links.viewer, locale);
      const studio = await open(desktop, show.links.host, locale);
      await online(viewer);
      await online(studio);
      await byTestId(viewer, "buy-now").waitFor();
      expect(await byTestId(studio, "pin-button").count()).toBeGreaterThan(0);

      await show.api(`/api/rooms/${show.room.id}/status`, { status: "ended" }, key);
      const ended = byTestId(viewer, "show-ended");
      await ended.waitFor({ timeout: 2000 });
      expect(await ended.textContent()).toContain("Lotus Tea House");
      expect(await ended.textContent()).toContain(word);
      for (const control of ["buy-now", "products-button", "chat-input", "react-button", "pinned-product"]) {
        expect(await byTestId(viewer, control).count(), control).toBe(0);
      }
      await expect.poll(() => byTestId(studio, "pin-button").count(), { timeout: 2000 }).toBe(0);
      for (const control of ["unpin-button", "deal-open", "go-live"]) expect(await byTestId(studio, control).count(), control).toBe(0);
      await viewer.screenshot({ path: `/tmp/shots/ended-phone-${locale}.png` });
      await studio.screenshot({ path: `/tmp/shots/ended-studio-${locale}.png` });
    });
  }
});

describe("a mistyped link", () => {
  it("gets the app's own 404 page, in both languages, with a way home", async () => {
    const show = await createShow(origin, 1);
    const typos = [show.links.viewer.slice(0, -1), `${origin}/shows`, `${origin}/studio/r_x`, `${origin}/o/nope`, `${origin}/r/`];
    for (const url of typos) {
      const response = await fetch(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get("content-type"), url).toMatch(/text\/html/);
    }
    for (const [locale, title] of [["en-US", "Page not found"], ["zh-CN", "找不到此页面"]] as const) {
      for (const url of typos) {
        const page = await open(phone, url, locale);
        const dead = byTestId(page, "page-not-found");
        await dead.waitFor({ timeout: 5000 });
        expect(await dead.locator("h1").textContent(), url).toBe(title);
        expect(await dead.locator('a[href="/"]').count(), url).toBe(1);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), url).toBe(true);
        if (url.endsWith("/shows")) await page.screenshot({ path: `/tmp/shots/404-${locale}.png` });
        await page.context().close();
      }
    }
  });
});

describe("a viewer who loses the connection while video plays", () => {
  it("sees the connection state above everything on the stage", async () => {
    const show = await createShow(origin, 1);
    const studio = await open(desktop, show.links.host);
    await expect
      .poll(() => studio.evaluate(() => document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await byTestId(studio, "go-live").click();
    const viewer = await open(phone, show.links.viewer);
    await byTestId(viewer, "unmute").waitFor({ timeout: 15_000 });

    await viewer.context().setOffline(true);
    const chip = viewer.locator('[data-testid="connection-status"]:not([data-state="online"])');
    await chip.waitFor({ timeout: 5000 });
    // Nothing covers it: the topmost element at its centre is the chip itself, and "Tap to unmute" is elsewhere.
    const covered = await viewer.evaluate(() => {
      const label = document.querySelector('[data-testid="connection-status"] .connection-label')!;
      const box = label.getBoundingClientRect();
      const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      const unmute = document.querySelector("[data-testid=unmute]")?.getBoundingClientRect();
      const overlaps = !!unmute && unmute.top < box.bottom && box.top < unmute.bottom && unmute.left < box.right && box.left < unmute.right;
      return { onTop: !!top && label.contains(top), overlaps };
    });
    expect(covered).toEqual({ onTop: true, overlaps: false });
    await viewer.screenshot({ path: "/tmp/shots/reconnecting-phone.png" });
    await viewer.context().setOffline(false);
    await online(viewer);
  });
});
