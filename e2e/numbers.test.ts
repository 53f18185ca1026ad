/**
 * A show's numbers as a brand sees them: the owner's studio goes live, two
 * viewers join on their phones (one opens a product's card and its checkout,
 * the other buys), and the studio's numbers panel says 2 watching and 1
 * order within seconds; the host ends the show and sees its summary, whose
 * link opens the console's numbers page of the show: charts, tables, and a
 * CSV that downloads. Screenshots at 390×844 and 1366×900, in English and
 * Simplified Chinese, and nothing wider than a 320 px phone.
 */
import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, checkout, desktop, fitsWidth, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/shots/numbers";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** A shop claimed by this page (signed in as its owner), with two products and a show, made with the shop's key. */
async function ownedShow(page: Page) {
  await page.goto(`${origin}/console`);
  return page.evaluate(async () => {
    const post = async (path: string, body: unknown, key?: string) => {
      const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const { shop, apiKey } = await post("/api/shops", { name: "Lotus Tea House", currency: "USD" });
    await post("/api/auth/claim", {}, apiKey);
    const products = [];
    for (const [title, priceCents] of [["Jasmine pearls", 1899], ["Gaiwan set", 4500]] as const) {
      products.push((await post(`/api/shops/${shop.id}/products`, { title, priceCents, imageUrl: "/demo/gaiwan-set.svg" }, apiKey)).product);
    }
    const { room, links } = await post(`/api/shops/${shop.id}/rooms`, { title: "Spring tasting", products: products.map((p: { id: string }) => ({ productId: p.id, stock: 5 })) }, apiKey);
    return { shopId: shop.id as string, room: room as { id: string }, links: links as { host: string; viewer: string }, products: products as Array<{ id: string }> };
  });
}

/** The same signed-in owner in another window (its size and language). */
async function sameOwner(from: BrowserContext, make: Promise<BrowserContext>): Promise<Page> {
  const context = await make;
  await context.addCookies(await from.cookies());
  return context.newPage();
}

const text = (page: Page, id: string) => byTestId(page, id).locator("dd").textContent();

describe("a show's numbers", () => {
  it("counts two viewers and an order live in the studio, sums the show up when it ends, and the console charts it and exports CSV", async () => {
    const ownerContext = await desktop(browser, "en-US", 1366, 900);
    const studio = await ownerContext.newPage();
    const show = await ownedShow(studio);
    await studio.goto(show.links.host);
    await online(studio);
    await byTestId(studio, "go-live").click();
    await expect.poll(() => byTestId(studio, "show-status").getAttribute("data-state"), { timeout: 5000 }).toBe("live");

    // Two viewers on their phones: one looks at the mug and opens its checkout; the other buys it.
    const looker = await (await phone(browser)).newPage();
    const buyer = await (await phone(browser)).newPage();
    for (const page of [looker, buyer]) {
      await page.goto(show.links.viewer);
      await online(page);
    }
    await byTestId(looker, "products-button").click();
    await byTestId(looker, "product-list").waitFor({ timeout: 10_000 });
    await byTestId(looker, "product-buy").first().click();
    await byTestId(looker, "checkout-sheet").waitFor({ timeout: 10_000 });
    await byTestId(buyer, "products-button").click();
    await byTestId(buyer, "product-buy").first().click();
    await checkout(buyer, { name: "Bo Chen", email: "bo@example.com" });
    await byTestId(buyer, "order-confirmation").waitFor({ timeout: 10_000 });

    // The studio's panel, within seconds.
    const panel = byTestId(studio, "studio-numbers");
    await panel.waitFor({ timeout: 10_000 });
    await expect.poll(() => text(studio, "number-viewers-now"), { timeout: 5000 }).toBe("2");
    await expect.poll(() => text(studio, "number-unique"), { timeout: 5000 }).toBe("2");
    await expect.poll(() => text(studio, "number-orders"), { timeout: 5000 }).toBe("1");
    await expect.poll(() => text(studio, "number-conversion"), { timeout: 5000 }).toBe("50%");
    const jasmine = panel.locator(`[data-testid="numbers-products"] tr[data-product-id="${show.products[0]!.id}"] td`);
    // Card views (both viewers saw the card), checkouts opened (both), orders (one); the cell before them is its pinned time.
    await expect.poll(async () => (await jasmine.allTextContents()).slice(1, 4), { timeout: 5000 }).toEqual(["2", "2", "1"]);
    await byTestId(studio, "numbers-chart-viewers").locator("canvas").waitFor({ timeout: 5000 });
    await panel.scrollIntoViewIfNeeded();
    await studio.screenshot({ path: `${SHOTS}/numbers-studio-desktop-en.png` });

    // The same owner on a phone, in its live mode (Chinese): the numbers open from the rail, over the camera.
    const phoneLive = await sameOwner(ownerContext, phone(browser, "zh-CN"));
    await phoneLive.goto(show.links.host);
    await byTestId(phoneLive, "live-mode").waitFor({ timeout: 15_000 });
    await byTestId(phoneLive, "live-numbers").click();
    const sheet = phoneLive.locator(".sheet").filter({ has: byTestId(phoneLive, "studio-numbers") });
    await sheet.waitFor({ timeout: 10_000 });
    expect(await sheet.locator(".sheet-title").textContent()).toBe("实时数据");
    await expect.poll(() => text(phoneLive, "number-orders"), { timeout: 5000 }).toBe("1");
    await expect.poll(() => text(phoneLive, "number-unique"), { timeout: 5000 }).toBe("2");
    await byTestId(phoneLive, "numbers-chart-viewers").locator("canvas").waitFor({ timeout: 5000 });
    expect(await fitsWidth(phoneLive)).toBe(true);
    await phoneLive.screenshot({ path: `${SHOTS}/numbers-live-mode-phone-zh.png` });
    await phoneLive.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached", timeout: 3000 });
    await phoneLive.context().close();

    // The host ends the show: the summary, in one screen.
    studio.once("dialog", (dialog) => dialog.accept());
    await byTestId(studio, "end-show").click();
    const summary = byTestId(studio, "show-summary");
    await summary.waitFor({ timeout: 10_000 });
    await expect.poll(() => text(studio, "number-peak"), { timeout: 5000 }).toBe("2");
    await expect.poll(() => text(studio, "number-orders")).toBe("1");
    await summary.scrollIntoViewIfNeeded();
    await studio.screenshot({ path: `${SHOTS}/numbers-summary-desktop-en.png` });
    const phoneStudio = await sameOwner(ownerContext, phone(browser, "zh-CN"));
    await phoneStudio.goto(show.links.host);
    await byTestId(phoneStudio, "show-summary").waitFor({ timeout: 10_000 });
    await byTestId(phoneStudio, "show-summary").scrollIntoViewIfNeeded();
    expect(await byTestId(phoneStudio, "summary-console-link").textContent()).toBe("在控制台查看全部数据");
    expect(await fitsWidth(phoneStudio)).toBe(true);
    await phoneStudio.screenshot({ path: `${SHOTS}/numbers-summary-phone-zh.png` });

    // Its link: the console's numbers page of this show, opened.
    await byTestId(studio, "summary-console-link").click();
    await studio.waitForURL(`${origin}/console#numbers=${show.room.id}`);
    const numbers = byTestId(studio, "show-numbers");
    await numbers.waitFor({ timeout: 10_000 });
    for (const chart of ["viewers", "orders", "revenue"]) await byTestId(studio, `numbers-chart-${chart}`).locator("canvas").waitFor({ timeout: 5000 });
    await expect.poll(() => numbers.locator('[data-testid="numbers-phases"] tr[data-phase="live"] td').first().textContent()).toBe("2"); // the two viewers' page visits
    expect(await numbers.locator('[data-testid="numbers-products"] tbody tr').count()).toBe(2);
    await numbers.scrollIntoViewIfNeeded();
    await studio.screenshot({ path: `${SHOTS}/numbers-console-desktop-en.png` });

    // Every table downloads as CSV.
    const [download] = await Promise.all([studio.waitForEvent("download"), byTestId(studio, "numbers-csv-products").click()]);
    const csv = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
    expect(download.suggestedFilename()).toBe(`numbers-${show.room.id}-products.csv`);
    expect(csv[0]).toBe("product_id,title,pinned_seconds,card_views,checkout_opens,orders,units,revenue");
    expect(csv.find((line) => line.startsWith(show.products[0]!.id))).toMatch(/,Jasmine pearls,0,2,2,1,1,18\.99$/);
    expect(csv.find((line) => line.startsWith(show.products[1]!.id))).toMatch(/,Gaiwan set,0,2,0,0,0,0\.00$/);

    // The console's page on phones (390 and 320 px) and a laptop, in both languages.
    for (const [name, context] of [
      ["phone-en", phone(browser, "en-US")],
      ["phone-zh", phone(browser, "zh-CN")],
      ["desktop-zh", desktop(browser, "zh-CN", 1366, 900)],
      ["narrow-en", phone(browser, "en-US", 320)],
    ] as const) {
      const page = await sameOwner(ownerContext, context);
      await page.goto(`${origin}/console#numbers=${show.room.id}`);
      await byTestId(page, "show-numbers").waitFor({ timeout: 10_000 });
      await byTestId(page, "numbers-chart-viewers").locator("canvas").waitFor({ timeout: 5000 });
      expect(await fitsWidth(page)).toBe(true);
      await byTestId(page, "show-numbers").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/numbers-console-${name}.png` });
      if (name === "phone-zh") expect(await byTestId(page, "number-orders").locator("dt").textContent()).toBe("订单");
      await page.context().close();
    }
    await phoneStudio.context().close();
    await looker.context().close();
    await buyer.context().close();
    await ownerContext.close();
  }, 150_000);
});
