import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { latestEmail } from "../scripts/stack.ts";
import { byTestId, checkout, createShow, desktop, hostKeyOf, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/shots/fulfilment";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const store = {
  address: { line1: "1 Lotus Lane", city: "Shanghai", postalCode: "200000", country: "CN" },
  hours: "Mon–Fri 10:00–19:00\nSat 10:00–16:00",
  contactEmail: "hello@lotus.example",
  contactPhone: "+86 21 5555 0000",
};

async function send(path: string, method: string, key: string, json?: unknown) {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Waits until the room's outbox has written the order to D1, where the shop's board reads it. */
async function inD1(shopId: string, orderId: string, key: string) {
  await expect
    .poll(async () => (await fetch(`${origin}/api/shops/${shopId}/orders/${orderId}`, { headers: { authorization: `Bearer ${key}` } })).status, { timeout: 10_000 })
    .toBe(200);
}

const boardOrder = (page: Page, orderId: string) => page.locator(`[data-testid=board-order][data-order-id="${orderId}"]`);

/** Nothing wider than the screen. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe("fulfilment: the shop ships, the buyer sees it", () => {
  it("a viewer buys for shipping; the brand marks it packed, then shipped with a tracking link; the buyer's page shows Shipped with the link", async () => {
    const show = await createShow(origin, 5);
    const [jasmine] = show.products;
    await send(`/api/shops/${show.shop.id}/pickup`, "PUT", show.apiKey, store);
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: jasmine.id }, hostKeyOf(show));

    const buyer = await (await phone(browser)).newPage();
    await buyer.goto(`${show.links.viewer}?ref=KOL_MEI`);
    await online(buyer);
    await byTestId(buyer, "buy-now").click();
    // Her own address, so that her emails are hers in the local email view.
    const mei = `mei-${Date.now()}@example.com`;
    await checkout(buyer, { name: "Mei Lin", email: mei, shipping: { line1: "12 Tea Street", city: "Hangzhou", postalCode: "310000", country: "CN" } });
    const confirmation = byTestId(buyer, "order-confirmation");
    await confirmation.waitFor({ timeout: 10_000 });
    const orderId = (await confirmation.getAttribute("data-order-id"))!;
    const orderLink = (await byTestId(buyer, "order-link").getAttribute("href"))!;
    await inD1(show.shop.id, orderId, show.apiKey);
    // The confirmation email, sent through the room's outbox and the email queue, links to the order with its token.
    const confirmed = await latestEmail(origin, mei);
    expect(confirmed.subject).toMatch(/^Order #\d+ confirmed · Lotus Tea House$/);
    expect(confirmed.text).toContain(orderLink);
    expect(confirmed.text).toContain("Spring tasting");

    // A second show of the shop, with no orders yet.
    const autumn = await send(`/api/shops/${show.shop.id}/rooms`, "POST", show.apiKey, { title: "Autumn tasting", products: [{ productId: jasmine.id, stock: 2 }] });

    // The brand's board, on a laptop.
    const brand = await (await desktop(browser, "en-US", 1366, 900)).newPage();
    await brand.goto(`${origin}/orders/${show.shop.id}#key=${show.apiKey}`);
    const row = boardOrder(brand, orderId);
    await row.waitFor({ timeout: 10_000 });
    // Every show of the shop can be chosen in the filter, also one whose orders are not loaded (it has none).
    await expect
      .poll(() => byTestId(brand, "filter-show").locator("option").allTextContents(), { timeout: 10_000 })
      .toEqual(["All shows", "Autumn tasting", "Spring tasting"]);
    expect(autumn.room.id).toMatch(/^r_/);
    // The key left the address bar (kept in this tab only).
    expect(brand.url()).toBe(`${origin}/orders/${show.shop.id}`);
    expect(await row.getAttribute("data-fulfilment")).toBe("unfulfilled");
    expect(await row.textContent()).toContain("Mei Lin");
    expect(await row.textContent()).toContain(mei);
    expect(await row.locator("[data-testid=board-delivery]").textContent()).toContain("12 Tea Street");
    expect(await row.textContent()).toContain("KOL_MEI");
    expect(await row.textContent()).toContain("Jasmine pearls × 1");

    await row.locator("[data-testid=mark-packed]").click();
    await expect.poll(() => row.getAttribute("data-fulfilment")).toBe("packed");
    await row.locator("[data-testid=mark-shipped]").click();
    await row.locator("[data-testid=ship-carrier]").fill("SF Express");
    await row.locator("[data-testid=ship-tracking]").fill("http://track.example.com/SF1");
    expect(await row.locator("[data-testid=ship-save]").isDisabled()).toBe(true);
    await row.locator("[data-testid=ship-tracking]").fill("https://track.example.com/SF1");
    const beforeShip = Date.now();
    await row.locator("[data-testid=ship-save]").click();
    await expect.poll(() => row.getAttribute("data-fulfilment")).toBe("shipped");
    expect(await row.locator("[data-testid=board-fulfilment]").textContent()).toBe("Shipped");
    // And an email that it is on its way, with the tracking link.
    const shipped = await latestEmail(origin, mei, { since: beforeShip });
    expect(shipped.subject).toMatch(/is on its way/);
    expect(shipped.text).toContain("https://track.example.com/SF1");
    expect(shipped.text).toContain("SF Express");
    await brand.screenshot({ path: `${SHOTS}/board-desktop-en.png`, fullPage: true });

    // The CSV export downloads the board's orders.
    const [download] = await Promise.all([brand.waitForEvent("download"), byTestId(brand, "export-csv").click()]);
    expect(download.suggestedFilename()).toBe(`orders-${show.shop.id}.csv`);

    // The buyer's order page.
    const orderPage = await buyer.context().newPage();
    await orderPage.goto(orderLink);
    const status = byTestId(orderPage, "order-status");
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 10_000 }).toBe("shipped");
    expect(await status.textContent()).toBe("Shipped");
    expect(await byTestId(orderPage, "order-from").textContent()).toBe("From Lotus Tea House · Spring tasting");
    const tracking = byTestId(orderPage, "order-tracking");
    expect(await tracking.getAttribute("href")).toBe("https://track.example.com/SF1");
    expect(await tracking.getAttribute("target")).toBe("_blank");
    expect(await tracking.getAttribute("rel")).toContain("noopener");
    expect(await byTestId(orderPage, "order-carrier").textContent()).toContain("SF Express");
    expect(await orderPage.locator('[data-step="shipped"]').getAttribute("data-done")).toBe("true");
    expect(await byTestId(orderPage, "order-payment").textContent()).toMatch(/invoice/i);
    expect(await byTestId(orderPage, "contact-email").getAttribute("href")).toBe("mailto:hello@lotus.example");
    expect(await orderPage.locator("[data-testid=order-store]").count()).toBe(0);
    expect(await overflow(orderPage)).toBeLessThanOrEqual(0);
    await orderPage.screenshot({ path: `${SHOTS}/order-shipped-phone-en.png`, fullPage: true });
    await byTestId(orderPage, "lang-switch").click();
    await expect.poll(() => status.textContent()).toBe("已发货");
    expect(await tracking.textContent()).toBe("查看物流");
    await orderPage.screenshot({ path: `${SHOTS}/order-shipped-phone-zh.png`, fullPage: true });

    await buyer.context().close();
    await brand.context().close();
  });

  it("a pickup order is made ready on a phone's board, shows the store's address and hours to its buyer, and can be cancelled with a confirmation", async () => {
    const show = await createShow(origin, 5);
    const [jasmine, gaiwan] = show.products;
    await send(`/api/shops/${show.shop.id}/pickup`, "PUT", show.apiKey, store);
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
    const place = async (productId: string, n: number) => {
      const res = await fetch(`${origin}/api/rooms/${show.room.id}/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `e2e-fulfil-${Date.now()}-${n}` },
        body: JSON.stringify({ productId, quantity: 2, buyer: { name: "王小明", email: "xiaoming@example.com", phone: "+86 138 0000 0000" }, fulfilment: { type: "pickup" } }),
      });
      return (await res.json()) as { order: { id: string }; orderToken: string };
    };
    const pickup = await place(jasmine.id, 1);
    const doomed = await place(gaiwan.id, 2);
    await inD1(show.shop.id, pickup.order.id, show.apiKey);
    await inD1(show.shop.id, doomed.order.id, show.apiKey);

    // The brand's board on a phone, in Chinese.
    const brand = await (await phone(browser, "zh-CN")).newPage();
    await brand.goto(`${origin}/orders/${show.shop.id}#key=${show.apiKey}`);
    const row = boardOrder(brand, pickup.order.id);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator("[data-testid=board-delivery]").textContent()).toBe("到店自提");
    expect(await row.locator("[data-testid=mark-shipped]").count()).toBe(0);
    await row.locator("[data-testid=mark-packed]").click();
    await expect.poll(() => row.getAttribute("data-fulfilment")).toBe("packed");
    expect(await row.locator("[data-testid=board-fulfilment]").textContent()).toBe("可以取货");
    expect(await overflow(brand)).toBeLessThanOrEqual(0);
    await brand.screenshot({ path: `${SHOTS}/board-phone-zh.png`, fullPage: true });

    // Cancel asks first; "keep it" changes nothing; yes gives the units back to the live show.
    const other = boardOrder(brand, doomed.order.id);
    await other.locator("[data-testid=cancel-order]").click();
    await other.locator("[data-testid=keep-order]").click();
    expect(await other.getAttribute("data-fulfilment")).toBe("unfulfilled");
    await other.locator("[data-testid=cancel-order]").click();
    await brand.screenshot({ path: `${SHOTS}/board-phone-zh-confirm-cancel.png`, fullPage: true });
    await other.locator("[data-testid=confirm-cancel]").click();
    await expect.poll(() => other.getAttribute("data-fulfilment")).toBe("cancelled");
    expect((await show.api(`/api/rooms/${show.room.id}`)).room.products.find((p: any) => p.id === gaiwan.id).left).toBe(5);

    // The filter shows only the cancelled one.
    await byTestId(brand, "filter-status").selectOption("cancelled");
    await expect.poll(() => brand.locator("[data-testid=board-order]").count()).toBe(1);
    expect(await brand.locator("[data-testid=board-order]").getAttribute("data-order-id")).toBe(doomed.order.id);

    // The same board at 320 px, and on a laptop in English.
    const narrow = await (await phone(browser, "en-US", 320)).newPage();
    await narrow.goto(`${origin}/orders/${show.shop.id}#key=${show.apiKey}`);
    await boardOrder(narrow, pickup.order.id).waitFor({ timeout: 10_000 });
    expect(await overflow(narrow)).toBeLessThanOrEqual(0);
    await narrow.screenshot({ path: `${SHOTS}/board-phone-320-en.png`, fullPage: true });
    const laptop = await (await desktop(browser, "zh-CN", 1366, 900)).newPage();
    await laptop.goto(`${origin}/orders/${show.shop.id}#key=${show.apiKey}`);
    await boardOrder(laptop, pickup.order.id).waitFor({ timeout: 10_000 });
    await laptop.screenshot({ path: `${SHOTS}/board-desktop-zh.png`, fullPage: true });

    // The buyer's page: ready for pickup, where and when.
    for (const locale of ["zh-CN", "en-US"]) {
      const page = await (await phone(browser, locale)).newPage();
      await page.goto(`${origin}/o/${pickup.order.id}#token=${pickup.orderToken}`);
      const status = byTestId(page, "order-status");
      await expect.poll(() => status.getAttribute("data-state"), { timeout: 10_000 }).toBe("packed");
      expect(await byTestId(page, "order-store-address").textContent()).toContain("1 Lotus Lane");
      expect(await byTestId(page, "order-store-address").textContent()).toContain("200000 Shanghai");
      expect(await byTestId(page, "order-store-hours").textContent()).toBe(store.hours);
      expect(await page.locator('[data-step="packed"]').getAttribute("data-done")).toBe("true");
      expect(await page.locator('[data-step="picked_up"]').getAttribute("data-done")).toBe("false");
      expect(await byTestId(page, "order-payment").textContent()).toBe(locale === "en-US" ? "Pay at pickup" : "到店取货时付款");
      expect(await status.textContent()).toBe(locale === "en-US" ? "Ready for pickup" : "可以取货");
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/order-pickup-phone-${locale}.png`, fullPage: true });
      await page.context().close();
    }
    // The cancelled order's buyer sees it cancelled, with nothing to pay.
    const cancelledPage = await (await desktop(browser, "en-US", 1366, 900)).newPage();
    await cancelledPage.goto(`${origin}/o/${doomed.order.id}#token=${doomed.orderToken}`);
    await expect.poll(() => byTestId(cancelledPage, "order-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("cancelled");
    expect(await byTestId(cancelledPage, "order-payment").textContent()).toMatch(/Nothing to pay/);
    await cancelledPage.screenshot({ path: `${SHOTS}/order-cancelled-desktop-en.png`, fullPage: true });

    for (const page of [brand, narrow, laptop, cancelledPage]) await page.context().close();
  });

  it("without the key the board says how to open it", async () => {
    const page = await (await phone(browser)).newPage();
    await page.goto(`${origin}/orders/s_AAAAAAAAAAAAAAAA`);
    await byTestId(page, "board-no-key").waitFor({ timeout: 10_000 });
    // Another tab (a hash change alone would not load the page again).
    const wrong = await page.context().newPage();
    await wrong.goto(`${origin}/orders/s_AAAAAAAAAAAAAAAA#key=sk_wrong`);
    await expect.poll(() => byTestId(wrong, "board-problem").getAttribute("data-problem"), { timeout: 10_000 }).toBe("rejected");
    await page.context().close();
  });
});
