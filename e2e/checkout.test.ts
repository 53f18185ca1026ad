import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, checkout, createShow, desktop, hostKeyOf, launchBrowser, online, phone, valveRoomSocket } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const left = (page: Page) => byTestId(page, "pinned-left").getAttribute("data-left");

describe("see now, buy now", () => {
  it("a viewer buys the pinned product for in-store pickup; everyone else sees it at once", async () => {
    const show = await createShow(origin, 5);
    const [jasmine] = show.products;
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: jasmine.id }, hostKeyOf(show));

    const host = await (await desktop(browser)).newPage();
    await host.goto(show.links.host);
    const buyer = await (await phone(browser)).newPage();
    await buyer.goto(`${show.links.viewer}?ref=KOL_MEI`);
    const other = await (await phone(browser)).newPage();
    await other.goto(show.links.viewer);
    for (const page of [host, buyer, other]) await online(page);
    await expect.poll(() => left(other)).toBe("5");

    await byTestId(buyer, "buy-now").click();
    await checkout(buyer, { name: "Mei Lin", email: "mei@example.com", quantity: 2 });
    const confirmation = byTestId(buyer, "order-confirmation");
    await confirmation.waitFor({ timeout: 10_000 });
    const orderId = (await confirmation.getAttribute("data-order-id"))!;
    expect(orderId).toMatch(/^o_[0-9A-Za-z]{26}$/);
    expect(await byTestId(buyer, "order-number").textContent()).toMatch(/#\d+/);
    expect(await byTestId(buyer, "order-total").textContent()).toContain("37.98");
    expect(await byTestId(buyer, "order-payment").textContent()).toMatch(/pickup|invoice/i);

    // Every viewer's count drops within a second; the studio sees the order with its share code.
    await expect.poll(() => left(other), { timeout: 1000 }).toBe("3");
    const row = host.locator(`[data-testid=studio-order][data-order-id="${orderId}"]`);
    await expect.poll(() => row.count(), { timeout: 2000 }).toBe(1);
    expect(await row.getAttribute("data-status")).toBe("confirmed");
    expect(await row.textContent()).toContain("KOL_MEI");
    expect(await row.textContent()).toContain("Mei Lin");
    const studioRow = host.locator(`[data-testid=studio-product][data-product-id="${jasmine.id}"]`);
    expect(await studioRow.locator("[data-testid=product-sold]").getAttribute("data-sold")).toBe("2");

    // The order link opens the order page, which shows the order as confirmed.
    const link = (await byTestId(buyer, "order-link").getAttribute("href"))!;
    expect(link).toContain(`/o/${orderId}#token=ot_`);
    const orderPage = await buyer.context().newPage();
    await orderPage.goto(link);
    await expect.poll(() => byTestId(orderPage, "order-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("confirmed");
    expect(await byTestId(orderPage, "order-number").textContent()).toBe(await byTestId(buyer, "order-number").textContent());
    expect(await byTestId(orderPage, "order-total").textContent()).toContain("37.98");
    // The token stays on this device: the link without it still works here.
    await orderPage.goto(`${origin}/o/${orderId}`);
    await expect.poll(() => byTestId(orderPage, "order-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("confirmed");

    // "My orders" in the product sheet lists it.
    await buyer.keyboard.press("Escape");
    await byTestId(buyer, "products-button").click();
    await expect.poll(() => buyer.locator(`[data-testid=my-order][data-order-id="${orderId}"]`).count()).toBe(1);

    for (const page of [host, buyer, other]) await page.context().close();
  });

  it("the last units sell out everywhere, and a late attempt is refused as sold out", async () => {
    const show = await createShow(origin, 2);
    const [jasmine] = show.products;
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: jasmine.id }, hostKeyOf(show));

    const buyer = await (await phone(browser)).newPage();
    await buyer.goto(show.links.viewer);
    // This viewer has the sheet open when the last units go.
    const watcher = await (await phone(browser)).newPage();
    await watcher.goto(show.links.viewer);
    // This one is on a slow network: it still shows stock that is gone when it taps "Place order".
    const late = await (await phone(browser)).newPage();
    const valve = await valveRoomSocket(late);
    await late.goto(show.links.viewer);
    for (const page of [buyer, watcher, late]) {
      await online(page);
      await expect.poll(() => left(page)).toBe("2");
    }
    await byTestId(watcher, "buy-now").click();
    await byTestId(watcher, "checkout-sheet").waitFor({ timeout: 10_000 });
    await byTestId(late, "buy-now").click();
    await byTestId(late, "checkout-sheet").waitFor({ timeout: 10_000 });
    valve.hold();

    await byTestId(buyer, "buy-now").click();
    await checkout(buyer, { name: "Ana", email: "ana@example.com", quantity: 2 });
    await byTestId(buyer, "order-confirmation").waitFor({ timeout: 10_000 });

    // Every viewer with a live connection sees "Sold out" and cannot buy.
    for (const page of [buyer, watcher]) {
      await expect.poll(() => byTestId(page, "sold-out").count(), { timeout: 1000 }).toBeGreaterThan(0);
    }
    await buyer.keyboard.press("Escape");
    expect(await byTestId(buyer, "buy-now").isDisabled()).toBe(true);
    await byTestId(buyer, "products-button").click();
    const row = buyer.locator(`[data-testid=product-buy][data-product-id="${jasmine.id}"]`);
    await expect.poll(() => row.isDisabled()).toBe(true);
    expect(await buyer.locator(`.product-row[data-product-id="${jasmine.id}"] [data-testid=sold-out]`).count()).toBe(1);
    // The open sheet says so and will not submit.
    expect(await byTestId(watcher, "checkout-error").getAttribute("data-code")).toBe("sold_out");
    expect(await byTestId(watcher, "checkout-submit").isDisabled()).toBe(true);

    // The late viewer still sees 2 left; the room refuses the order.
    expect(await left(late)).toBe("2");
    await checkout(late, { name: "Bo", email: "bo@example.com" });
    await expect.poll(() => byTestId(late, "checkout-error").getAttribute("data-code"), { timeout: 10_000 }).toBe("sold_out");
    expect(await byTestId(late, "checkout-error").textContent()).toMatch(/sold out/i);
    expect(await byTestId(late, "order-confirmation").count()).toBe(0);
    valve.release();
    await expect.poll(() => left(late), { timeout: 2000 }).toBe("0");

    const state = await show.api(`/api/rooms/${show.room.id}`);
    expect(state.room.products.find((p: { id: string }) => p.id === jasmine.id).left).toBe(0);
    for (const page of [buyer, watcher, late]) await page.context().close();
  });

  it("an answer lost on the network is retried with the same Idempotency-Key: one order, not two", async () => {
    const show = await createShow(origin, 5);
    const [jasmine] = show.products;
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: jasmine.id }, hostKeyOf(show));
    const buyer = await (await phone(browser)).newPage();
    const keys: string[] = [];
    // The first attempt reaches the room (which places the order), but its answer never comes back.
    await buyer.route(/\/api\/rooms\/[^/]+\/orders$/, async (route) => {
      keys.push(route.request().headers()["idempotency-key"] ?? "");
      if (keys.length === 1) {
        await route.fetch();
        await route.abort("connectionreset");
      } else {
        await route.continue();
      }
    });
    await buyer.goto(show.links.viewer);
    await online(buyer);
    await byTestId(buyer, "buy-now").click();
    await checkout(buyer, { name: "Ren", email: "ren@example.com" });
    await byTestId(buyer, "order-confirmation").waitFor({ timeout: 15_000 });

    expect(keys.length).toBe(2);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    expect(keys[1]).toBe(keys[0]);
    const { orders } = await show.api(`/api/rooms/${show.room.id}/orders`, undefined, hostKeyOf(show));
    expect(orders).toHaveLength(1);
    expect(orders[0].id).toBe(await byTestId(buyer, "order-confirmation").getAttribute("data-order-id"));
    await expect.poll(() => left(buyer)).toBe("4");

    // A new submission is a new order, with a new key.
    await buyer.keyboard.press("Escape");
    await byTestId(buyer, "buy-now").click();
    await checkout(buyer, { name: "Ren", email: "ren@example.com" });
    await byTestId(buyer, "order-confirmation").waitFor({ timeout: 10_000 });
    expect(keys).toHaveLength(3);
    expect(keys[2]).not.toBe(keys[0]);
    await buyer.context().close();
  });
});
