import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/**
 * How wide the page lays out against the window, and the elements that stick
 * out past its right edge (named by test id or class), to say what to fix.
 */
function measure(page: Page, width: number) {
  return page.evaluate((width) => {
    const wide: string[] = [];
    for (const element of document.body.querySelectorAll<HTMLElement>("*")) {
      if (element.getBoundingClientRect().right > width + 0.5) {
        wide.push(element.dataset.testid ?? (`${element.tagName.toLowerCase()}.${String(element.className).split(" ").join(".")}`));
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, wide: wide.slice(0, 8) };
  }, width);
}

/** Fails, naming the page and what sticks out, when the page is wider than the window it was given. */
async function expectFits(page: Page, width: number, where: string) {
  const { scrollWidth, innerWidth, wide } = await measure(page, width);
  expect(innerWidth, `${where}: the window itself grew (the page zoomed out to fit ${wide.join(", ")})`).toBe(width);
  expect(scrollWidth, `${where}: ${scrollWidth} px wide in a ${width} px window; sticking out: ${wide.join(", ")}`).toBeLessThanOrEqual(width);
}

/** Clicks every Copy button the page shows ("Copied!" is wider than "Copy"), then measures again. */
async function expectFitsAfterCopy(page: Page, width: number, where: string) {
  await expectFits(page, width, where);
  const buttons = page.locator('[data-testid^="copy-"]');
  const count = await buttons.count();
  expect(count, `${where}: no Copy button`).toBeGreaterThan(0);
  const before = await buttons.first().textContent();
  for (let i = 0; i < count; i++) await buttons.nth(i).click();
  await expect.poll(() => buttons.last().textContent(), { timeout: 5000 }).not.toBe(before);
  await expectFits(page, width, `${where}, after Copy`);
}

/** A confirmed order of the show, placed through the API, and its order page's link. */
async function orderLinkOf(show: Awaited<ReturnType<typeof createShow>>): Promise<string> {
  const res = await fetch(`${origin}/api/rooms/${show.room.id}/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({
      productId: show.products[0].id,
      quantity: 1,
      buyer: { name: "Wang Xiaoming", email: "xiaoming@example.com" },
      fulfilment: { type: "shipping", address: { line1: "88 Nanjing West Road", city: "Shanghai", postalCode: "200041", country: "CN" } },
    }),
  });
  expect(res.status).toBe(201);
  const { order, orderToken } = await res.json();
  return `${origin}/o/${order.id}#token=${orderToken}`;
}

/** Fills the landing page's form and creates the show, as a brand does. */
async function createFromLanding(page: Page) {
  await byTestId(page, "shop-name").fill("Lumen Ceramics Studio & Supply Co.");
  await byTestId(page, "show-title").fill("Friday night glaze drop, live from the kiln room");
  await byTestId(page, "product-title-0").fill("Speckled mug");
  await byTestId(page, "product-price-0").fill("28");
  await byTestId(page, "create-show").click();
  await byTestId(page, "viewer-link").waitFor({ timeout: 15_000 });
}

async function visitEveryPage(context: BrowserContext, width: number, label: string) {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  const show = await createShow(origin);
  const page = await context.newPage();

  await page.goto(`${origin}/`);
  await byTestId(page, "create-show").waitFor();
  await expectFits(page, width, `${label} landing page`);
  await createFromLanding(page);
  await expectFitsAfterCopy(page, width, `${label} "Your show is ready"`);

  await page.goto(show.links.viewer);
  await expect.poll(() => byTestId(page, "show-title").textContent(), { timeout: 10_000 }).toContain("Spring tasting");
  await expectFits(page, width, `${label} viewer page`);
  await byTestId(page, "products-button").click();
  await byTestId(page, "product-list").waitFor();
  await expectFits(page, width, `${label} viewer page, products open`);

  await page.goto(show.links.guest);
  await byTestId(page, "guest-panel").waitFor({ timeout: 15_000 });
  await expectFits(page, width, `${label} guest page`);

  await page.goto(show.links.host);
  await byTestId(page, "go-live").waitFor({ timeout: 15_000 });
  await byTestId(page, "copy-guest-invite").waitFor();
  await expectFitsAfterCopy(page, width, `${label} studio`);

  await page.goto(await orderLinkOf(show));
  await byTestId(page, "order-status").waitFor({ timeout: 15_000 });
  await expectFitsAfterCopy(page, width, `${label} order page`);
  await context.close();
}

describe("no page is wider than the screen", () => {
  for (const locale of ["en-US", "zh-CN"]) {
    for (const width of [320, 390]) {
      it(`on a ${width} px phone, in ${locale}`, async () => {
        await visitEveryPage(await phone(browser, locale, width), width, `${width} px ${locale}`);
      });
    }
  }

  it("on a desktop, after Copy too", async () => {
    await visitEveryPage(await desktop(browser, "en-US", 1366, 900), 1366, "desktop");
  });
});
