/**
 * The replay, as a new viewer meets it: a show scripted through the public
 * API and a viewer's page (go live, chat at known moments, pin the gaiwan,
 * a flash deal, a sell-out, end), then a phone opens the link after the end.
 * Without recordings (the manifest has no takes here) the replay re-runs the
 * show over the cover; the video part lights up when takes exist.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, checkout, createShow, desktop, fitsWidth, hostKeyOf, launchBrowser, online, phone, sendChat } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/shots";
let browser: Browser;
let show: Awaited<ReturnType<typeof createShow>>;
let liveViewer: Page;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const buyAll = (productId: string, quantity: number) =>
  fetch(`${origin}/api/rooms/${show.room.id}/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({ productId, quantity, buyer: { name: "Bo", email: "bo@example.com" }, fulfilment: { type: "pickup" } }),
  });

/** Opens the replay and pauses it, so the test decides where the clock is. */
async function openReplay(page: Page, url: string) {
  await page.goto(url);
  await page.locator('[data-testid="replay"][data-state="ready"]').waitFor({ timeout: 15_000 });
  if ((await byTestId(page, "replay").getAttribute("data-playing")) === "true") await byTestId(page, "play-pause").click();
  await expect.poll(() => byTestId(page, "replay").getAttribute("data-playing")).toBe("false");
}
const replayTime = async (page: Page) => Number(await byTestId(page, "replay").getAttribute("data-t"));
const chatTexts = (page: Page) => page.locator('[data-testid="chat-message"] .chat-text').allTextContents();
const chapter = (page: Page, productId: string) => page.locator(`[data-testid=chapter][data-product-id="${productId}"]`).first();

beforeAll(async () => {
  browser = await launchBrowser();
  show = await createShow(origin, 3);
  const key = hostKeyOf(show);
  const [jasmine, gaiwan] = show.products;
  liveViewer = await (await phone(browser)).newPage();
  await liveViewer.goto(show.links.viewer);
  await online(liveViewer);
  await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, key);
  await sendChat(liveViewer, "first line");
  await sleep(1500);
  // The line, then the pin: at the gaiwan's chapter the line is already there.
  await sendChat(liveViewer, "show us the gaiwan!");
  await show.api(`/api/rooms/${show.room.id}/pin`, { productId: gaiwan.id }, key);
  await sleep(1500);
  await show.api(`/api/rooms/${show.room.id}/deals`, { productId: gaiwan.id, priceCents: 3000, durationSeconds: 60 }, key);
  expect((await buyAll(jasmine.id, 3)).status).toBe(201);
  await sleep(1500);
  await show.api(`/api/rooms/${show.room.id}/pin`, { productId: jasmine.id }, key);
  await sendChat(liveViewer, "jasmine is gone already");
  await sleep(1000);
  await show.api(`/api/rooms/${show.room.id}/status`, { status: "ended" }, key);
}, 120_000);
afterAll(() => browser?.close());

describe("the replay of an ended show", () => {
  it("keeps the ended note for who watched the end; a new phone viewer gets the replay over the cover", async () => {
    await byTestId(liveViewer, "show-ended").waitFor({ timeout: 5000 });
    expect(await byTestId(liveViewer, "replay").count()).toBe(0);
    await liveViewer.context().close();

    const page = await (await phone(browser)).newPage();
    await openReplay(page, show.links.viewer);
    expect(await byTestId(page, "replay-cover").count()).toBe(1);
    expect(await byTestId(page, "replay-video").count()).toBe(0);
    expect(await page.locator("[data-testid=chapter]").evaluateAll((els) => els.map((el) => el.getAttribute("data-product-id")))).toEqual([
      show.products[1].id,
      show.products[0].id,
    ]);
    expect(await fitsWidth(page)).toBe(true);
    await page.context().close();
  });

  it("jumps to the gaiwan's chapter within a second: pinned, with the chat of that moment; the deal later shows as ended", async () => {
    const page = await (await phone(browser)).newPage();
    await openReplay(page, show.links.viewer);
    const [jasmine, gaiwan] = show.products;
    const at = Number(await chapter(page, gaiwan.id).getAttribute("data-at"));
    const started = Date.now();
    await chapter(page, gaiwan.id).click();
    await page.locator(`[data-testid=pinned-product][data-product-id="${gaiwan.id}"]`).waitFor({ timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await replayTime(page)).toBe(at);
    expect(await chatTexts(page)).toEqual(["first line", "show us the gaiwan!"]);
    expect(await byTestId(page, "deal-banner").count()).toBe(0);
    expect(await byTestId(page, "pinned-left").getAttribute("data-left")).toBe("3");

    // A second on: the deal ran then (its countdown as it was), but buying now is at the regular price.
    await byTestId(page, "forward-10").click();
    await byTestId(page, "back-10").click();
    await page.locator("[data-testid=seek]").evaluate((input: HTMLInputElement, ms: number) => {
      input.value = String(ms);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, at + 2500);
    await byTestId(page, "deal-banner").waitFor({ timeout: 1000 });
    expect(await byTestId(page, "deal-countdown").textContent()).toMatch(/^(1:00|0:5\d)$/);
    expect(await byTestId(page, "deal-ended-note").textContent()).toContain("regular price");
    await page.screenshot({ path: `${SHOTS}/replay-deal-phone-en.png` });

    // The jasmine sold out during the show: sold out then, and still sold out now.
    await chapter(page, jasmine.id).click();
    await page.locator(`[data-testid=pinned-product][data-product-id="${jasmine.id}"]`).waitFor({ timeout: 1000 });
    expect(await byTestId(page, "sold-out").count()).toBe(1);
    expect(await page.locator(`[data-testid=pinned-product][data-product-id="${jasmine.id}"] [data-testid=buy-now]`).isDisabled()).toBe(true);
    // Its line came just after the pin: not there yet at the chapter, there a moment later.
    expect(await chatTexts(page)).not.toContain("jasmine is gone already");
    const jasmineAt = Number(await chapter(page, jasmine.id).getAttribute("data-at"));
    await page.locator("[data-testid=seek]").evaluate((input: HTMLInputElement, ms: number) => {
      input.value = String(ms);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, jasmineAt + 1000);
    await expect.poll(() => chatTexts(page), { timeout: 1000 }).toContain("jasmine is gone already");

    // Hiding the chat.
    await byTestId(page, "chat-toggle").click();
    expect(await byTestId(page, "chat-message").count()).toBe(0);
    await byTestId(page, "chat-toggle").click();
    expect(await byTestId(page, "chat-message").count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it("sells the gaiwan from the replay at today's regular price", async () => {
    const page = await (await phone(browser)).newPage();
    await openReplay(page, show.links.viewer);
    await chapter(page, show.products[1].id).click();
    await page.locator(`[data-testid=pinned-product][data-product-id="${show.products[1].id}"] [data-testid=buy-now]`).click();
    await checkout(page, { name: "Lan", email: "lan@example.com" });
    await byTestId(page, "order-confirmation").waitFor({ timeout: 10_000 });
    expect(await byTestId(page, "order-total").textContent()).toContain("45.00");
    await page.screenshot({ path: `${SHOTS}/replay-bought-phone-en.png` });
    const { room } = await show.api(`/api/rooms/${show.room.id}`);
    expect(room.products[1].left).toBe(2);
    await page.context().close();
  });

  it("opens at ?t= and at ?product=, and shares a link at the current moment", async () => {
    const page = await (await phone(browser)).newPage();
    await openReplay(page, `${show.links.viewer}?t=2`);
    expect(await replayTime(page)).toBeGreaterThanOrEqual(2000);
    expect(await replayTime(page)).toBeLessThan(4500);

    const jasmine = show.products[0];
    await openReplay(page, `${show.links.viewer}?product=${jasmine.id}`);
    const at = Number(await chapter(page, jasmine.id).getAttribute("data-at"));
    expect((await replayTime(page)) - at).toBeGreaterThanOrEqual(0);
    expect((await replayTime(page)) - at).toBeLessThan(2500);
    expect(await byTestId(page, "pinned-product").getAttribute("data-product-id")).toBe(jasmine.id);

    await chapter(page, show.products[1].id).click();
    const share = byTestId(page, "replay-share");
    const link = new URL((await share.getAttribute("data-share-url"))!);
    expect(link.pathname).toBe(`/r/${show.room.id}`);
    expect(link.searchParams.get("product")).toBeNull();
    expect(Number(link.searchParams.get("t"))).toBe(Math.floor((await replayTime(page)) / 1000));
    await share.click();
    await byTestId(page, "notice").waitFor({ timeout: 2000 });
    await openReplay(page, link.toString());
    // It opens there and plays on until the test pauses it (a moment, on a busy machine).
    const reopened = (await replayTime(page)) - Number(link.searchParams.get("t")) * 1000;
    expect(reopened).toBeGreaterThanOrEqual(0);
    expect(reopened).toBeLessThan(2500);
    await page.context().close();
  });

  it("plays and pauses with space and steps with the arrows on a desktop", async () => {
    const page = await (await desktop(browser, "en-US", 1366, 900)).newPage();
    await openReplay(page, show.links.viewer);
    await chapter(page, show.products[0].id).click();
    const at = await replayTime(page);
    await page.locator("body").click({ position: { x: 400, y: 400 } });
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => replayTime(page)).toBe(Math.max(0, at - 10_000));
    await page.keyboard.press(" ");
    await expect.poll(() => byTestId(page, "replay").getAttribute("data-playing")).toBe("true");
    await page.keyboard.press(" ");
    await expect.poll(() => byTestId(page, "replay").getAttribute("data-playing")).toBe("false");
    await page.context().close();
  });

  for (const locale of ["en-US", "zh-CN"] as const) {
    it(`looks right on a phone and a desktop, at 320 px too (${locale})`, async () => {
      const tag = locale === "zh-CN" ? "zh" : "en";
      const phonePage = await (await phone(browser, locale)).newPage();
      await openReplay(phonePage, show.links.viewer);
      await chapter(phonePage, show.products[1].id).click();
      if (locale === "zh-CN") expect(await byTestId(phonePage, "replay-badge").textContent()).toBe("回放");
      await phonePage.screenshot({ path: `${SHOTS}/replay-phone-${tag}.png` });
      await phonePage.context().close();

      const narrow = await (await phone(browser, locale, 320)).newPage();
      await openReplay(narrow, show.links.viewer);
      expect(await fitsWidth(narrow)).toBe(true);
      await narrow.screenshot({ path: `${SHOTS}/replay-320-${tag}.png` });
      await narrow.context().close();

      const wide = await (await desktop(browser, locale, 1366, 900)).newPage();
      await openReplay(wide, show.links.viewer);
      await chapter(wide, show.products[1].id).click();
      await wide.screenshot({ path: `${SHOTS}/replay-desktop-${tag}.png` });
      await wide.context().close();
    });
  }
});
