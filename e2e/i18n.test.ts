import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, launchBrowser, online, phone, sendChat } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const HAN = /[\u4e00-\u9fff]/;

/**
 * Records what the viewer page first rendered (its text and the page's
 * language at that moment), and every catalogue file the page requested.
 */
async function watchFirstRender(context: BrowserContext) {
  await context.addInitScript(() => {
    const observer = new MutationObserver(() => {
      const text = document.getElementById("app")?.textContent?.trim();
      if (!text) return;
      (window as unknown as { firstRender: object }).firstRender = { text, lang: document.documentElement.lang };
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  });
  const catalogues: string[] = [];
  context.on("request", (request) => {
    const name = /\/assets\/(catalogue-[\w-]+?)-[\w-]{8}\.json$/.exec(new URL(request.url()).pathname)?.[1];
    if (name) catalogues.push(name);
  });
  const firstRender = (page: Page) =>
    page.evaluate(() => (window as unknown as { firstRender?: { text: string; lang: string } }).firstRender ?? null);
  return { catalogues, firstRender };
}

describe("English and Simplified Chinese", () => {
  it("picks Chinese from the browser and switches to English on request", async () => {
    const show = await createShow(origin);
    const context = await phone(browser, "zh-CN");
    const page = await context.newPage();
    await page.goto(show.links.viewer);
    await expect.poll(() => page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(await byTestId(page, "chat-input").getAttribute("placeholder")).toMatch(HAN);

    await byTestId(page, "lang-switch").click();
    await expect.poll(() => page.getAttribute("html", "lang")).toBe("en");
    expect(await byTestId(page, "chat-input").getAttribute("placeholder")).not.toMatch(HAN);

    // The choice is remembered.
    await page.reload();
    await expect.poll(() => page.getAttribute("html", "lang")).toBe("en");
    await context.close();
  });

  it("a Chinese viewer sees Chinese from the first render, and downloads the Chinese words only", async () => {
    const show = await createShow(origin);
    const context = await phone(browser, "zh-CN");
    const { catalogues, firstRender } = await watchFirstRender(context);
    const page = await context.newPage();
    await page.goto(show.links.viewer);
    await online(page);
    const first = await firstRender(page);
    expect(first?.lang).toBe("zh-CN");
    expect(first?.text).toMatch(HAN);
    // The switch to English says "EN"; no other English word may show.
    expect(first?.text.replace("EN", "")).not.toMatch(/[A-Za-z]{3,}/);
    // The words came in the page, Chinese only: no request for either file.
    expect(await page.locator('script[type="application/json"]').evaluateAll((blocks) => blocks.map((block) => block.id))).toEqual(["catalogue:zh-CN"]);
    expect(catalogues).toEqual([]);
    await context.close();
  });

  it("an English viewer sees English from the first render and never downloads the Chinese words", async () => {
    const show = await createShow(origin);
    const context = await phone(browser, "en-US");
    const { catalogues, firstRender } = await watchFirstRender(context);
    const page = await context.newPage();
    await page.goto(show.links.viewer);
    await online(page);
    const first = await firstRender(page);
    expect(first?.lang).toBe("en");
    // The switch to Chinese says "中文"; nothing else is Chinese.
    expect(first?.text.replace("中文", "")).not.toMatch(HAN);
    expect(first?.text).toMatch(/Loading the show|Connecting|Spring tasting/);
    expect(await page.locator('script[type="application/json"]').evaluateAll((blocks) => blocks.map((block) => block.id))).toEqual(["catalogue:en"]);
    expect(catalogues).toEqual([]);
    // The Chinese words come with the tap that asks for them, and only then.
    await byTestId(page, "lang-switch").click();
    await expect.poll(() => page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(await byTestId(page, "chat-input").getAttribute("placeholder")).toMatch(HAN);
    expect(catalogues).toEqual(["catalogue-zh-CN"]);
    await context.close();
  });

  it("the landing page and the studio speak Chinese too", async () => {
    const show = await createShow(origin);
    const context = await phone(browser, "zh-CN");
    const landing = await context.newPage();
    await landing.goto(`${origin}/`);
    await expect.poll(() => byTestId(landing, "create-show").textContent()).toMatch(HAN);
    const studio = await context.newPage();
    await studio.goto(show.links.host);
    await expect.poll(() => byTestId(studio, "go-live").textContent()).toMatch(HAN);
    await context.close();
  });

  it("a viewer who typed no name is 观众 and its number on a Chinese page, Viewer and the same number on an English one", async () => {
    const show = await createShow(origin);
    const chinese = await phone(browser, "zh-CN", 320);
    const viewer = await chinese.newPage();
    await viewer.goto(show.links.viewer);
    const studio = await (await desktop(browser)).newPage();
    await studio.goto(show.links.host);
    await online(viewer);
    await online(studio);
    await sendChat(viewer, "有没有青花的？");
    const own = viewer.locator("[data-testid=chat-message]", { hasText: "有没有青花的" }).locator(".chat-name");
    await expect.poll(() => own.textContent()).toMatch(/^观众 \d{4}$/);
    const number = (await own.textContent())!.slice(-4);
    const seen = studio.locator("[data-testid=chat-message]", { hasText: "有没有青花的" });
    await expect.poll(() => seen.textContent()).toContain(`Viewer ${number}`);
    await viewer.screenshot({ path: "/tmp/shots/i18n-default-name-zh-320.png" });
    await chinese.close();
    await studio.context().close();
  });
});
