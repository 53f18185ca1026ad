// A big show's viewers on audience shards, as people use it: a stack of its own whose Room keeps no viewer itself
// (AUDIENCE_SHARD_FROM=0, two per shard), so every phone below is on a shard. They see the pin, chat both ways,
// count the whole audience, buy, and come back after a reload, in English and Chinese.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../scripts/stack.ts";
import { byTestId, checkout, createShow, desktop, hostKeyOf, launchBrowser, online, phone, sendChat } from "./browser.ts";

let browser: Browser;
let stack: Stack;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack({ vars: { AUDIENCE_SHARD_FROM: "0", AUDIENCE_SHARD_SIZE: "2" } })]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const left = (page: Page) => byTestId(page, "pinned-left").getAttribute("data-left");

describe("viewers on audience shards", () => {
  it("watch the pin, chat with the host, are all counted, buy, and come back after a reload", async () => {
    const show = await createShow(stack.origin, 5, { recording: false });
    const [jasmine] = show.products;
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
    const host = await (await desktop(browser)).newPage();
    await host.goto(show.links.host);
    const viewers: Page[] = [];
    // Frames that came as a batch (an array: what the shard had for its viewers within a few ms), per page.
    const batches: number[] = [];
    for (const locale of ["en-US", "zh-CN", "en-US"]) {
      const page = await (await phone(browser, locale)).newPage();
      const i = batches.push(0) - 1;
      page.on("websocket", (ws) => ws.on("framereceived", (frame) => void (String(frame.payload).startsWith("[") && (batches[i] = batches[i]! + 1))));
      await page.goto(show.links.viewer);
      viewers.push(page);
    }
    for (const page of [host, ...viewers]) await online(page);

    // Three viewers over two shards: the host's count and each viewer's are the whole audience.
    await expect.poll(() => byTestId(host, "viewer-count").textContent(), { timeout: 5000 }).toBe("3");
    for (const page of viewers) await expect.poll(() => byTestId(page, "viewer-count").textContent(), { timeout: 5000 }).toContain("3");

    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: jasmine.id }, hostKeyOf(show));
    for (const page of viewers) await expect.poll(() => byTestId(page, "pinned-product").getAttribute("data-product-id"), { timeout: 2000 }).toBe(jasmine.id);

    await sendChat(viewers[1]!, "这个茉莉花茶是今年的吗？");
    await expect.poll(() => host.locator("[data-testid=chat-message]", { hasText: "茉莉花茶" }).count(), { timeout: 3000 }).toBe(1);
    await sendChat(host, "Yes, this spring's.");
    for (const page of viewers) await expect.poll(() => page.locator("[data-testid=chat-message]", { hasText: "this spring's" }).count(), { timeout: 3000 }).toBe(1);

    await byTestId(viewers[0]!, "buy-now").click();
    await checkout(viewers[0]!, { name: "Mei Lin", email: "mei@example.com", quantity: 2 });
    await byTestId(viewers[0]!, "order-confirmation").waitFor({ timeout: 10_000 });
    for (const page of viewers.slice(1)) await expect.poll(() => left(page), { timeout: 2000 }).toBe("3");

    // A reload is a new socket on a shard, caught up at once.
    await viewers[2]!.reload();
    await online(viewers[2]!);
    expect(await left(viewers[2]!)).toBe("3");
    expect(await viewers[2]!.locator("[data-testid=chat-message]", { hasText: "茉莉花茶" }).count()).toBe(1);
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: null }, hostKeyOf(show));
    await expect.poll(() => byTestId(viewers[2]!, "pinned-product").count(), { timeout: 2000 }).toBe(0);

    // A flash deal, then the show's end, which ends the deal in the same change: the two events reach each page as
    // one frame from its shard, and every page reads both.
    await show.api(`/api/rooms/${show.room.id}/deals`, { productId: jasmine.id, priceCents: 1500, durationSeconds: 60 }, hostKeyOf(show));
    for (const page of viewers) await byTestId(page, "deal-banner").waitFor({ timeout: 3000 });
    const before = [...batches];
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "ended" }, hostKeyOf(show));
    for (const page of viewers) {
      await expect.poll(() => byTestId(page, "stage").getAttribute("data-state"), { timeout: 3000 }).toBe("ended");
      expect(await byTestId(page, "deal-banner").count()).toBe(0);
    }
    expect(batches.map((n, i) => n > before[i]!)).toEqual([true, true, true]);
    for (const page of [host, ...viewers]) await page.context().close();
  }, 90_000);
});
