/**
 * Buying does not hide the show (issue 8, defect 9): on a phone the checkout
 * sheet leaves the whole picture in view above it; on a desktop the video is
 * large, with the chat, the pinned product and the sheets in a column beside it.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, hostKeyOf, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;
let show: Awaited<ReturnType<typeof createShow>>;

beforeAll(async () => {
  browser = await launchBrowser();
  show = await createShow(origin, 5);
  const host = await (await desktop(browser)).newPage();
  await host.goto(show.links.host);
  await byTestId(host, "go-live").click();
  await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, hostKeyOf(show));
}, 60_000);
afterAll(() => browser?.close());

type Box = { x: number; y: number; width: number; height: number };

/** Where the host's picture is drawn: the video element's box, less its letterbox (object-fit: contain). */
async function pictureOf(page: Page): Promise<Box> {
  const video = page.locator("[data-testid=stage] video").first();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
  return video.evaluate((v: HTMLVideoElement) => {
    const box = v.getBoundingClientRect();
    const scale = Math.min(box.width / v.videoWidth, box.height / v.videoHeight);
    const width = v.videoWidth * scale;
    const height = v.videoHeight * scale;
    return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
  });
}

const boxOf = async (page: Page, testId: string): Promise<Box> => (await byTestId(page, testId).boundingBox())!;
const overlapArea = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

async function openCheckout(page: Page) {
  await page.goto(show.links.viewer);
  await online(page);
  await byTestId(page, "buy-now").click();
  await byTestId(page, "checkout-sheet").waitFor();
  // The sheet slides up and the stage moves with it.
  await page.waitForTimeout(400);
}

describe("the show stays in view while buying", () => {
  for (const locale of ["en-US", "zh-CN"]) {
    it(`on a phone (${locale}), the checkout sheet leaves the whole picture above it`, async () => {
      const page = await (await phone(browser, locale)).newPage();
      await openCheckout(page);
      const picture = await pictureOf(page);
      const sheet = await boxOf(page, "checkout-sheet");
      expect(picture.y).toBeGreaterThanOrEqual(0);
      expect(picture.y + picture.height).toBeLessThanOrEqual(sheet.y + 1);
      // The whole width of a landscape camera, not a strip.
      expect(picture.width).toBeGreaterThanOrEqual(388);
      // And the form still has room: Place order is on screen without scrolling the page.
      const submit = (await byTestId(page, "checkout-submit").boundingBox())!;
      expect(submit.y + submit.height).toBeLessThanOrEqual(844);
      await page.screenshot({ path: `e2e/.artifacts/watch-while-buying-phone-${locale}.png` });
      await page.context().close();
    });
  }

  it("on a desktop, the video is large and the chat, the pinned product and the checkout sit beside it", async () => {
    const page = await (await desktop(browser, "en-US", 1366, 900)).newPage();
    await page.goto(show.links.viewer);
    await online(page);
    const picture = await pictureOf(page);
    expect(picture.width).toBeGreaterThanOrEqual(1366 * 0.6);
    for (const beside of ["buy-now", "chat-input", "products-button"]) {
      expect(overlapArea(picture, await boxOf(page, beside)), `${beside} is beside the video, not over it`).toBe(0);
    }

    await byTestId(page, "buy-now").click();
    await byTestId(page, "checkout-sheet").waitFor();
    await page.waitForTimeout(400);
    const sheet = await boxOf(page, "checkout-sheet");
    expect(overlapArea(await pictureOf(page), sheet)).toBe(0);
    expect((await pictureOf(page)).width).toBeGreaterThanOrEqual(1366 * 0.6);
    await page.screenshot({ path: "e2e/.artifacts/watch-while-buying-desktop.png" });

    // The product list opens in the same column.
    await page.keyboard.press("Escape");
    await byTestId(page, "checkout-sheet").waitFor({ state: "detached" });
    await byTestId(page, "products-button").click();
    await byTestId(page, "product-list").waitFor();
    expect(overlapArea(await pictureOf(page), await boxOf(page, "product-list"))).toBe(0);
    await page.context().close();
  });
});
