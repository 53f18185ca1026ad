import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** The studio opened as the host: Go live is there, and no problem is shown. */
async function expectStudio(page: Page) {
  await page.locator('[data-testid="go-live"], [data-testid="studio-error"]').first().waitFor({ timeout: 15_000 });
  const error = byTestId(page, "studio-error");
  expect(await error.count() ? await error.textContent() : null).toBeNull();
}

async function createFromLanding(page: Page, title: string) {
  await byTestId(page, "shop-name").fill("Maple & Moss");
  await byTestId(page, "show-title").fill(title);
  await byTestId(page, "product-title-0").fill("Merino scarf");
  await byTestId(page, "product-price-0").fill("39.90");
  await byTestId(page, "create-show").click();
  await byTestId(page, "host-link").waitFor({ timeout: 15_000 });
  return (await byTestId(page, "host-link").textContent())!.trim();
}

describe("a host never locks themselves out of the studio", () => {
  it("the studio link works again after a reload, in a new tab, from a bookmark and in another browser", async () => {
    const show = await createShow(origin);
    const context = await desktop(browser);
    const studio = await context.newPage();
    await studio.goto(show.links.host);
    await expectStudio(studio);
    // The key leaves the address bar (hosts share their screen), but not this browser.
    expect(studio.url()).not.toContain("#key=");

    await studio.reload();
    await expectStudio(studio);

    // A new tab, or a bookmark of the address bar as it is now (no key in it).
    const bookmark = studio.url();
    const tab = await context.newPage();
    await tab.goto(bookmark);
    await expectStudio(tab);

    // The link the brand saved, pasted into another browser.
    const elsewhere = await (await phone(browser)).newPage();
    await elsewhere.goto(show.links.host);
    await expectStudio(elsewhere);

    // A browser that never had the key says how to get in.
    const stranger = await (await desktop(browser)).newPage();
    await stranger.goto(bookmark);
    await expect.poll(() => byTestId(stranger, "studio-error").textContent()).toContain("#key=hk_");

    for (const page of [studio, elsewhere, stranger]) await page.context().close();
  });

  it("the studio hands over its own link, for another device", async () => {
    const show = await createShow(origin);
    const context = await desktop(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    const studio = await context.newPage();
    await studio.goto(show.links.host);
    await expectStudio(studio);
    // Only a button: the key itself is never on screen in the studio.
    expect(await studio.locator("body").textContent()).not.toContain(show.links.host);
    expect(await byTestId(studio, "copy-studio-link").count()).toBe(1);
    await byTestId(studio, "copy-studio-link").click();
    await expect.poll(() => studio.evaluate(() => navigator.clipboard.readText())).toBe(show.links.host);
    await context.close();
  });

  it("the result page says to save the studio link, and is still there after a reload and in a new tab", async () => {
    const context = await phone(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    const hostLink = await createFromLanding(page, "Autumn knitwear drop");
    expect(await page.locator(".link-secret").textContent()).toMatch(/Save this link: it is the only way into your studio/);
    await byTestId(page, "copy-host-link").click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(hostLink);

    await page.reload();
    await expect.poll(() => byTestId(page, "host-link").textContent(), { timeout: 10_000 }).toBe(hostLink);
    const tab = await context.newPage();
    await tab.goto(`${origin}/`);
    await expect.poll(() => byTestId(tab, "host-link").textContent(), { timeout: 10_000 }).toBe(hostLink);

    // Another show: the first one's links stay in this browser, a tap away.
    await byTestId(tab, "create-another").click();
    await byTestId(tab, "create-show").waitFor();
    const saved = tab.locator('[data-testid="saved-show"]', { hasText: "Autumn knitwear drop" });
    expect(await saved.locator('[data-testid="saved-show-studio"]').getAttribute("href")).toBe(hostLink);
    const secondLink = await createFromLanding(tab, "Winter coats preview");
    expect(secondLink).not.toBe(hostLink);
    await byTestId(tab, "create-another").click();
    await tab.reload();
    await byTestId(tab, "create-show").waitFor();
    expect(await byTestId(tab, "saved-show").count()).toBe(2);
    // On a shared computer, a show can be forgotten here (after a confirmation).
    tab.once("dialog", (dialog) => void dialog.accept());
    await tab.locator('[data-testid="saved-show"]', { hasText: "Winter coats preview" }).locator('[data-testid="saved-show-forget"]').click();
    await expect.poll(() => byTestId(tab, "saved-show").count()).toBe(1);
    await saved.locator('[data-testid="saved-show-links"]').click();
    await expect.poll(() => byTestId(tab, "host-link").textContent()).toBe(hostLink);
    await context.close();
  });
});
