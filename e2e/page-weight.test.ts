/**
 * The budget check (npm run test:budget) counts what scripts/page-weight.mjs
 * says the viewer page downloads before the first tap. Here Chromium says
 * what it really downloads: a live show with a pinned product, on a phone,
 * left alone for a while (long enough for anything fetched "at idle"). Every
 * file it fetched must be one the check counted, and the other way round,
 * or the budget measures a page nobody gets. The visitor's words count as
 * fetched when they came written into the page (worker/pages.ts).
 */
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, hostKeyOf, launchBrowser, online, phone } from "./browser.ts";
// @ts-expect-error: a plain .mjs module shared with the budget check.
import { measurePage } from "../scripts/page-weight.mjs";

const origin = inject("origin");
const dist = join(resolve(import.meta.dirname, ".."), "dist/client");
/** requestIdleCallback's usual longest wait is 5 s. */
const UNTOUCHED_MS = 6000;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("the viewer page's weight", () => {
  for (const [locale, lang] of [["en-US", "en"], ["zh-CN", "zh-CN"]] as const) {
    it(`before a tap, fetches exactly what the budget counts (${lang})`, async () => {
      const show = await createShow(origin);
      await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
      await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, hostKeyOf(show));
      const context = await phone(browser, locale);
      const fetched = new Set<string>();
      context.on("request", (request) => {
        const url = new URL(request.url());
        // The show's own data (API, socket) and its product images are content, not the page.
        if (url.origin !== origin || /^\/(api|parties|demo)\//.test(url.pathname)) return;
        fetched.add(request.resourceType() === "document" ? "/room.html" : url.pathname);
      });
      const page = await context.newPage();
      await page.goto(show.links.viewer);
      await online(page);
      await byTestId(page, "buy-now").waitFor();
      await page.waitForTimeout(UNTOUCHED_MS);

      const counted = measurePage(dist, "room.html").languages[lang].files as Array<{ path: string; kind: string }>;
      if ((await page.locator(`script[type="application/json"][id="catalogue:${lang}"]`).count()) === 1) {
        for (const file of counted) if (file.kind === "catalogue") fetched.add(file.path);
      }
      expect([...fetched].sort()).toEqual(counted.map((file) => file.path).sort());
      await context.close();
    });
  }
});
