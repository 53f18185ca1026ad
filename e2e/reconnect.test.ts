import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const state = (page: Page) => byTestId(page, "connection-status").getAttribute("data-state");
const texts = (page: Page) => page.locator("[data-testid=chat-message]").allTextContents();

describe("a viewer who loses the network", () => {
  it("gets back everything it missed, once, in order", async () => {
    const show = await createShow(origin);
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(show.links.viewer);
    await expect.poll(() => state(viewer), { timeout: 10_000 }).toBe("online");

    const hostKey = new URL(show.links.host).hash.slice("#key=".length);
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, hostKey);
    await expect.poll(() => byTestId(viewer, "pinned-product").count()).toBe(1);

    await viewer.context().setOffline(true);
    await expect.poll(() => state(viewer), { timeout: 15_000 }).not.toBe("online");

    // While the viewer is away: another viewer chats three times, and the
    // host pins another product and goes live (six events in all).
    const other = await (await phone(browser)).newPage();
    await other.goto(show.links.viewer);
    await expect.poll(() => state(other), { timeout: 10_000 }).toBe("online");
    for (const text of ["missed one", "missed two", "missed three"]) {
      await byTestId(other, "chat-input").fill(text);
      await byTestId(other, "chat-input").press("Enter");
      await expect.poll(() => other.locator("[data-testid=chat-message]", { hasText: text }).count()).toBe(1);
    }
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[1].id }, hostKey);
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKey);
    // pin (1), three chats (2–4), pin (5), live (6): the other viewer, online throughout, reaches 6.
    const headSeq = 6;
    await expect.poll(() => other.locator("[data-seq]").first().getAttribute("data-seq"), { timeout: 5000 }).toBe(String(headSeq));

    await viewer.context().setOffline(false);
    await expect.poll(() => state(viewer), { timeout: 20_000 }).toBe("online");
    await expect.poll(() => viewer.locator("[data-seq]").first().getAttribute("data-seq"), { timeout: 5000 }).toBe(String(headSeq));
    const seen = await texts(viewer);
    expect(seen.filter((t) => t.includes("missed one"))).toHaveLength(1);
    expect(seen.filter((t) => t.includes("missed two"))).toHaveLength(1);
    expect(seen.filter((t) => t.includes("missed three"))).toHaveLength(1);
    expect(seen.findIndex((t) => t.includes("missed one"))).toBeLessThan(seen.findIndex((t) => t.includes("missed three")));
    expect(await byTestId(viewer, "pinned-product").getAttribute("data-product-id")).toBe(show.products[1].id);
    expect(await byTestId(viewer, "stage").getAttribute("data-state")).toBe("live");
    await viewer.context().close();
    await other.context().close();
  });
});
