import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, checkout, createShow, desktop, hostKeyOf, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Any space (Chromium writes "7:00 AM" with a narrow no-break space) as a plain one. */
const plain = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim();

/** An order placed through the API, as another buyer would. */
async function buy(roomId: string, productId: string, quantity: number, fulfilment: unknown = { type: "pickup" }) {
  const res = await fetch(`${origin}/api/rooms/${roomId}/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({ productId, quantity, buyer: { name: "Li Na", email: `li.${crypto.randomUUID()}@example.com` }, fulfilment }),
  });
  expect(res.status).toBe(201);
  const { order, orderToken } = await res.json();
  return `${origin}/o/${order.id}#token=${orderToken}`;
}

async function fillShow(page: Page, { image = "", startsAt = "" }: { image?: string; startsAt?: string }) {
  await byTestId(page, "shop-name").fill("Lumen Ceramics");
  await byTestId(page, "show-title").fill("Friday night glaze drop");
  await byTestId(page, "starts-at").fill(startsAt);
  await byTestId(page, "product-title-0").fill("Speckled mug");
  await byTestId(page, "product-price-0").fill("28");
  await byTestId(page, "product-image-0").fill(image);
}

/** A datetime-local value `days` from now at `hour`:00 in `timeZone`, and the same instant in ISO 8601. */
function wallClock(days: number, hour: number, timeZone: string, offset: string) {
  const date = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(Date.now() + days * 86_400_000);
  const local = `${date}T${String(hour).padStart(2, "0")}:00`;
  return { local, instant: new Date(`${local}:00${offset}`) };
}

describe("what the pages say is true", () => {
  for (const [locale, image, past] of [
    ["en-US", /Product 1: the image link must start with https:\/\//, /The start time has already passed/],
    ["zh-CN", /商品 1：图片链接须以 https:\/\/ 开头/, /开播时间已过/],
  ] as const) {
    it(`the landing form refuses an http:// image and a start time in the past (${locale})`, async () => {
      const page = await (await phone(browser, locale)).newPage();
      await page.goto(`${origin}/`);
      await fillShow(page, { image: "http://example.com/mug.jpg", startsAt: wallClock(-1, 10, "UTC", "Z").local });
      await byTestId(page, "create-show").click();
      await byTestId(page, "form-error").waitFor();
    expect(await byTestId(page, "form-error").textContent()).toMatch(image);
      expect(await byTestId(page, "form-error").textContent()).toMatch(past);
      expect(await byTestId(page, "starts-at").getAttribute("aria-invalid")).toBe("true");
      expect(await byTestId(page, "viewer-link").count()).toBe(0);

      await byTestId(page, "product-image-0").fill("https://example.com/mug.jpg");
      await byTestId(page, "starts-at").fill("");
      await byTestId(page, "create-show").click();
      await byTestId(page, "viewer-link").waitFor({ timeout: 15_000 });
      await page.context().close();
    });
  }

  it("the scheduled time is shown in each reader's time zone and language: result page, studio, viewers", async () => {
    // The brand is in Shanghai and plans 20:00 tomorrow, its time.
    const brand = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = await brand.newPage();
    await page.goto(`${origin}/`);
    const { local, instant } = wallClock(1, 20, "Asia/Shanghai", "+08:00");
    await fillShow(page, { startsAt: local });
    await byTestId(page, "create-show").click();
    const day = `${Number(local.slice(8, 10))}日`;
    await byTestId(page, "viewer-link").waitFor({ timeout: 15_000 });
    expect(plain(await page.locator('[data-testid="result-starts-at"]').textContent({ timeout: 2000 }))).toMatch(new RegExp(`^开播时间：.*${day}.*20:00$`));

    const host = (await byTestId(page, "host-link").textContent())!.trim();
    const studio = await brand.newPage();
    await studio.goto(host);
    await byTestId(studio, "go-live").waitFor({ timeout: 15_000 });
    expect(plain(await studio.locator('[data-testid="studio-starts-at"]').textContent({ timeout: 2000 }))).toMatch(new RegExp(`^计划开播：.*${day}.*20:00$`));

    // A viewer in New York sees the same instant in their own clock and words.
    const viewerLink = (await byTestId(page, "viewer-link").textContent())!.trim();
    const viewer = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "en-US", timezoneId: "America/New_York" })).newPage();
    await viewer.goto(viewerLink);
    const newYork = plain(new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone: "America/New_York" }).format(instant));
    // The show's page before it starts (e2e/pre-live.test.ts has the rest of it).
    await byTestId(viewer, "prelive-starts-at").waitFor({ timeout: 15_000 });
    expect(plain(await byTestId(viewer, "prelive-starts-at").textContent())).toMatch(new RegExp(`${newYork}$`));
    expect(await byTestId(viewer, "prelive-countdown").count()).toBe(1);

    await brand.close();
    await viewer.context().close();
  });

  it("a shipped order is paid on invoice, a picked-up one at the store (checkout confirmation, order page)", async () => {
    const show = await createShow(origin, 10);
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, hostKeyOf(show));
    const buyer = await (await phone(browser)).newPage();
    await buyer.goto(show.links.viewer);
    await online(buyer);
    await byTestId(buyer, "buy-now").click();
    await checkout(buyer, { name: "Mei Lin", email: "mei@example.com", shipping: { line1: "1 Harbour Road", city: "Hong Kong", postalCode: "000000", country: "HK" } });
    await byTestId(buyer, "order-confirmation").waitFor({ timeout: 10_000 });
    const shipped = await byTestId(buyer, "order-payment").textContent();
    expect(shipped).toMatch(/invoice/i);
    expect(shipped).not.toMatch(/pick/i);

    const orderLink = (await byTestId(buyer, "order-link").getAttribute("href"))!;
    const orderPage = await buyer.context().newPage();
    await orderPage.goto(orderLink);
    await byTestId(orderPage, "order-payment").waitFor({ timeout: 10_000 });
    expect(await byTestId(orderPage, "order-payment").textContent()).toBe(shipped);

    await orderPage.goto(await buy(show.room.id, show.products[0].id, 1));
    await byTestId(orderPage, "order-payment").waitFor({ timeout: 10_000 });
    expect(await byTestId(orderPage, "order-payment").textContent()).toBe("Pay at pickup");

    const chinese = await (await phone(browser, "zh-CN")).newPage();
    await chinese.goto(orderLink);
    await byTestId(chinese, "order-payment").waitFor({ timeout: 10_000 });
    expect(await byTestId(chinese, "order-payment").textContent()).toMatch(/账单/);
    expect(await byTestId(chinese, "order-payment").textContent()).not.toMatch(/到店|自提/);
    await buyer.context().close();
    await chinese.context().close();
  });

  it("\"only N left\" only when few are left; a plain count otherwise (English and Chinese)", async () => {
    const show = await createShow(origin, 20);
    const [tea] = show.products;
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: tea.id }, hostKeyOf(show));
    const english = await (await phone(browser)).newPage();
    const chinese = await (await phone(browser, "zh-CN")).newPage();
    for (const page of [english, chinese]) {
      await page.goto(show.links.viewer);
      await online(page);
    }
    const left = (page: Page) => byTestId(page, "pinned-left").textContent();
    await expect.poll(() => left(english), { timeout: 5000 }).toBe("20 left");
    await expect.poll(() => left(chinese)).toBe("20 件可售");

    await buy(show.room.id, tea.id, 10);
    await buy(show.room.id, tea.id, 7);
    await expect.poll(() => left(english), { timeout: 5000 }).toBe("Only 3 left");
    await expect.poll(() => left(chinese)).toBe("仅剩 3 件");

    // The show's product list says the same.
    await byTestId(chinese, "products-button").click();
    const rows = chinese.locator('[data-testid="product-left"]');
    await expect.poll(() => rows.allTextContents()).toEqual(["仅剩 3 件", "20 件可售"]);
    await english.context().close();
    await chinese.context().close();
  });
});
