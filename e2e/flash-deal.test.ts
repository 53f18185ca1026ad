import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, checkout, createShow, desktop, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** "0:42" → 42 */
const seconds = (clock: string | null) => {
  const [minutes, secs] = (clock ?? "").trim().split(":").map(Number);
  return minutes! * 60 + secs!;
};

/** The host goes live, pins the first product and starts a flash deal on it from the studio. */
async function liveShowWithDeal(deal: { price: string; seconds: number; limit?: number }) {
  const show = await createShow(origin, 10);
  const [jasmine] = show.products;
  const host = await (await desktop(browser)).newPage();
  await host.goto(show.links.host);
  const viewer = await (await phone(browser)).newPage();
  await viewer.goto(show.links.viewer);
  await online(host);
  await online(viewer);
  await byTestId(host, "go-live").click();
  // Going live puts the camera on stage first (a Calls session and a publish), then changes the status.
  await expect.poll(() => byTestId(host, "show-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("live");
  const row = host.locator(`[data-testid=studio-product][data-product-id="${jasmine.id}"]`);
  await row.locator("[data-testid=pin-button]").click();
  await byTestId(viewer, "pinned-product").waitFor({ timeout: 2000 });

  await row.locator("[data-testid=deal-open]").click();
  await row.locator("[data-testid=deal-price]").fill(deal.price);
  await row.locator("[data-testid=deal-duration]").fill(String(deal.seconds));
  if (deal.limit) await row.locator("[data-testid=deal-limit]").fill(String(deal.limit));
  await row.locator("[data-testid=deal-start]").click();
  await byTestId(host, "deal-running").waitFor({ timeout: 3000 });
  await byTestId(viewer, "deal-banner").waitFor({ timeout: 3000 });
  return { show, host, viewer };
}

const closeAll = (...pages: Page[]) => Promise.all(pages.map((page) => page.context().close()));

describe("flash deals", () => {
  // 20 seconds: long enough for a checkout on a busy 2-core machine to land inside the deal.
  it("a 20-second deal: the countdown runs on the room's clock, an order gets the deal price, then the price reverts", async () => {
    const { show, host, viewer } = await liveShowWithDeal({ price: "12.00", seconds: 20 });
    const dealId = await byTestId(host, "deal-running").getAttribute("data-deal-id");
    expect(await byTestId(viewer, "deal-banner").getAttribute("data-deal-id")).toBe(dealId);
    expect(await byTestId(viewer, "deal-price").textContent()).toContain("12.00");
    expect(await byTestId(viewer, "pinned-price").textContent()).toContain("18.99");
    const first = seconds(await byTestId(viewer, "deal-countdown").textContent());
    expect(first).toBeGreaterThan(10);
    expect(first).toBeLessThanOrEqual(20);
    await expect.poll(async () => seconds(await byTestId(viewer, "deal-countdown").textContent()), { timeout: 2500 }).toBeLessThan(first);

    // A phone whose clock is five minutes fast still counts down the room's time.
    const skewed = await (await phone(browser)).newPage();
    await skewed.addInitScript(() => {
      const deviceNow = Date.now.bind(Date);
      Date.now = () => deviceNow() + 5 * 60_000;
    });
    await skewed.goto(show.links.viewer);
    await byTestId(skewed, "deal-banner").waitFor({ timeout: 10_000 });
    const onSkewed = seconds(await byTestId(skewed, "deal-countdown").textContent());
    const onViewer = seconds(await byTestId(viewer, "deal-countdown").textContent());
    expect(Math.abs(onSkewed - onViewer)).toBeLessThanOrEqual(1);

    await byTestId(viewer, "buy-now").click();
    await checkout(viewer, { name: "Lan", email: "lan@example.com" });
    await byTestId(viewer, "order-confirmation").waitFor({ timeout: 10_000 });
    expect(await byTestId(viewer, "order-total").textContent()).toContain("12.00");
    const orderId = await byTestId(viewer, "order-confirmation").getAttribute("data-order-id");
    const order = host.locator(`[data-testid=studio-order][data-order-id="${orderId}"]`);
    await expect.poll(() => order.count(), { timeout: 2000 }).toBe(1);
    expect(await order.textContent()).toContain("12.00");

    // The deal ends on its own: the viewer sees the regular price again, the studio no running deal.
    await viewer.keyboard.press("Escape");
    await expect.poll(() => byTestId(viewer, "deal-banner").count(), { timeout: 22_000 }).toBe(0);
    expect(await byTestId(viewer, "deal-price").count()).toBe(0);
    expect(await byTestId(viewer, "pinned-price").textContent()).toContain("18.99");
    await expect.poll(() => byTestId(host, "deal-running").count(), { timeout: 3000 }).toBe(0);
    const state = await show.api(`/api/rooms/${show.room.id}`);
    expect(state.room.deal).toBeNull();

    // And an order now pays the regular price.
    await byTestId(viewer, "buy-now").click();
    await checkout(viewer, { name: "Lan", email: "lan@example.com" });
    await byTestId(viewer, "order-confirmation").waitFor({ timeout: 10_000 });
    expect(await byTestId(viewer, "order-total").textContent()).toContain("18.99");
    await closeAll(host, viewer, skewed);
  }, 120_000);

  it("a per-buyer limit of 1 holds across tabs, and the host can end the deal early", async () => {
    const { host, viewer } = await liveShowWithDeal({ price: "9.99", seconds: 300, limit: 1 });
    expect(await byTestId(host, "deal-running").textContent()).toMatch(/1/);

    await byTestId(viewer, "buy-now").click();
    await checkout(viewer, { name: "Kai", email: "kai@example.com" });
    await byTestId(viewer, "order-confirmation").waitFor({ timeout: 10_000 });
    expect(await byTestId(viewer, "order-total").textContent()).toContain("9.99");

    // A second unit for the same email: refused, in this tab…
    await viewer.keyboard.press("Escape");
    await byTestId(viewer, "buy-now").click();
    await checkout(viewer, { name: "Kai", email: "kai@example.com" });
    await expect.poll(() => byTestId(viewer, "checkout-error").getAttribute("data-code"), { timeout: 10_000 }).toBe("deal_limit_reached");

    // …and from a second tab.
    const tab = await viewer.context().newPage();
    await tab.goto(await viewer.url());
    await byTestId(tab, "deal-banner").waitFor({ timeout: 10_000 });
    await byTestId(tab, "buy-now").click();
    await checkout(tab, { name: "Kai", email: "KAI@example.com" });
    await expect.poll(() => byTestId(tab, "checkout-error").getAttribute("data-code"), { timeout: 10_000 }).toBe("deal_limit_reached");
    expect(await byTestId(tab, "order-confirmation").count()).toBe(0);

    // The host ends it: every viewer sees the regular price again.
    await byTestId(host, "deal-end").click();
    for (const page of [viewer, tab]) {
      await expect.poll(() => byTestId(page, "deal-banner").count(), { timeout: 3000 }).toBe(0);
    }
    await viewer.keyboard.press("Escape");
    expect(await byTestId(viewer, "pinned-price").textContent()).toContain("18.99");
    expect(await byTestId(viewer, "deal-price").count()).toBe(0);
    await expect.poll(() => byTestId(host, "deal-running").count(), { timeout: 3000 }).toBe(0);
    await closeAll(host, viewer);
  });
});
