import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, desktop, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("a brand creates a shop-along from the landing page", () => {
  it("gets the share link, QR code, host and guest links with one button", async () => {
    const context = await desktop(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    const page = await context.newPage();
    await page.goto(`${origin}/`);

    await byTestId(page, "shop-name").fill("Maple & Moss");
    await byTestId(page, "show-title").fill("Autumn knitwear drop");
    await byTestId(page, "product-title-0").fill("Merino scarf");
    await byTestId(page, "product-price-0").fill("39.90");
    await byTestId(page, "product-stock-0").fill("12");
    await byTestId(page, "add-product").click();
    await byTestId(page, "product-title-1").fill("Wool beanie <b>bold</b>");
    await byTestId(page, "product-price-1").fill("19");
    await byTestId(page, "product-stock-1").fill("30");
    await byTestId(page, "create-show").click();

    const viewerLink = byTestId(page, "viewer-link");
    await expect.poll(() => viewerLink.textContent(), { timeout: 15_000 }).toMatch(/\/r\/r_[0-9A-Za-z]{16}$/);
    const viewerUrl = (await viewerLink.textContent())!.trim();
    expect(viewerUrl.startsWith(origin)).toBe(true);
    expect((await byTestId(page, "host-link").textContent())!.trim()).toMatch(/\/studio\/r_[0-9A-Za-z]{16}#key=hk_/);
    expect((await byTestId(page, "guest-link").textContent())!.trim()).toMatch(/\/guest\/r_[0-9A-Za-z]{16}#key=gk_/);
    expect(await byTestId(page, "qr-code").locator("svg").count()).toBe(1);

    await byTestId(page, "copy-viewer-link").click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(viewerUrl);

    // The link works on a phone: the show and its products are there, as text.
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(viewerUrl);
    await expect.poll(() => byTestId(viewer, "show-title").textContent()).toContain("Autumn knitwear drop");
    await byTestId(viewer, "products-button").click();
    await expect.poll(() => byTestId(viewer, "product-list").textContent()).toContain("Wool beanie <b>bold</b>");
    expect(await viewer.locator("[data-testid=product-list] b").count()).toBe(0);
    await context.close();
    await viewer.context().close();
  });

  it("explains what is wrong instead of creating a broken show", async () => {
    const page = await (await desktop(browser)).newPage();
    await page.goto(`${origin}/`);
    await byTestId(page, "shop-name").fill("No products yet");
    await byTestId(page, "show-title").fill("Empty show");
    await byTestId(page, "create-show").click();
    await expect.poll(() => byTestId(page, "form-error").textContent()).toBeTruthy();
    expect(await byTestId(page, "viewer-link").count()).toBe(0);
    await page.context().close();
  });
});
