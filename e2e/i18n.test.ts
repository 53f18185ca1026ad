import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const HAN = /[\u4e00-\u9fff]/;

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
});
