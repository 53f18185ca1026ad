/**
 * Referral codes as a brand uses them: it names a code for a KOL on its
 * shop's page, copies her share link for the show, a viewer buys from that
 * link, and the code's figures count the order.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, checkout, createShow, desktop, hostKeyOf, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("referral codes", () => {
  for (const [label, context, locale] of [["phone, zh-CN", phone, "zh-CN"], ["desktop, en", desktop, "en-US"]] as const) {
    it(`a KOL's code: named, its link shared, an order from it counted (${label})`, async () => {
      const show = await createShow(origin, 5);
      await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
      await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, hostKeyOf(show));
      const brand = await (await context(browser, locale)).newPage();
      await brand.goto(`${origin}/orders/${show.shop.id}#key=${show.apiKey}`);
      await byTestId(brand, "referral-codes").waitFor({ timeout: 10_000 });

      await byTestId(brand, "referral-code-input").fill("Mei");
      await byTestId(brand, "referral-name-input").fill("Mei Lin (KOL)");
      await byTestId(brand, "add-referral").click();
      const mei = brand.locator("[data-testid=referral][data-code=mei]");
      await mei.waitFor({ timeout: 5000 });
      const link = (await mei.locator("[data-testid=referral-link]").first().textContent())!;
      expect(link).toBe(`${origin}/r/${show.room.id}?ref=mei`);
      await mei.locator("[data-testid=referral-qr-button]").first().click();
      await mei.locator("[data-testid=qr-code]").waitFor();
      // The same code again is refused, in words.
      await byTestId(brand, "referral-code-input").fill("MEI");
      await byTestId(brand, "referral-name-input").fill("Someone else");
      await byTestId(brand, "add-referral").click();
      await byTestId(brand, "referral-problem").waitFor();
      const width = await brand.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(brand.viewportSize()!.width);
      await brand.screenshot({ path: `e2e/.artifacts/referrals-${label.replace(/\W+/g, "-")}.png`, fullPage: true });

      const viewer = await (await phone(browser)).newPage();
      await viewer.goto(link);
      await online(viewer);
      await byTestId(viewer, "buy-now").click();
      await checkout(viewer, { name: "Ana", email: "ana@example.com", quantity: 2 });
      await byTestId(viewer, "order-confirmation").waitFor({ timeout: 10_000 });

      await expect
        .poll(async () => {
          await brand.reload();
          await mei.waitFor({ timeout: 5000 });
          return mei.locator("[data-testid=referral-totals]").textContent();
        }, { timeout: 15_000 })
        .toMatch(/\D1\D.*\D2\D.*37\.98/);
      await viewer.context().close();
      await brand.context().close();
    });
  }
});
