/**
 * Every HTML page carries the same security headers, whether the Worker
 * answers it (/api/docs, /r/{id}, its 404) or Workers Static Assets serve it
 * straight from the build (/, /index.html, /room, ...), and the pages still
 * work under that policy.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser } from "./browser.ts";

const origin = inject("origin");
const ROOM = "r_0000000000000000";
const ORDER = "o_00000000000000000000000000";

// Through the Worker: its pages and its docs. Straight from the static assets (run_worker_first
// does not list them): the landing page and the built pages.
const SHOP = "s_0000000000000000";
const PAGES = [
  "/", "/index.html", "/api/docs", `/r/${ROOM}`, `/guest/${ROOM}`, `/studio/${ROOM}`, `/o/${ORDER}`, `/orders/${SHOP}`,
  `/console/poster/${SHOP}/${ROOM}`, "/room", "/room.html", "/studio", "/order", "/orders",
];
// Not found: an id that is not one (the Worker), paths no asset has (the assets, then the Worker).
const MISSING = ["/r/not-a-room", "/orders/not-a-shop", "/s/no-such-shop", "/no-such-page", "/no/such/page.html"];
const PATHS = [...PAGES, ...MISSING];

async function headersOf(path: string) {
  const res = await fetch(`${origin}${path}`);
  await res.body?.cancel();
  return {
    path,
    status: res.status,
    html: /^text\/html/.test(res.headers.get("Content-Type") ?? ""),
    csp: res.headers.get("Content-Security-Policy"),
    referrer: res.headers.get("Referrer-Policy"),
    nosniff: res.headers.get("X-Content-Type-Options"),
  };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("security headers", () => {
  it("are on every HTML response, the same everywhere, Worker or static asset", async () => {
    const seen = await Promise.all(PATHS.map(headersOf));
    const policy = expect.stringMatching(/^default-src 'self'; .*frame-ancestors 'self'; base-uri 'none'/);
    // The 404s are the app's 404 page, with the same headers.
    expect(seen).toEqual(
      PATHS.map((path) => ({
        path,
        status: MISSING.includes(path) ? 404 : 200,
        html: true,
        csp: policy,
        referrer: "no-referrer",
        nosniff: "nosniff",
      })),
    );
    expect(new Set(seen.map((s) => s.csp)).size).toBe(1);
  });

  it("also cover the scripts and styles served from the build", async () => {
    const html = await (await fetch(`${origin}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect((await headersOf(asset)).nosniff).toBe("nosniff");
  });

  it("let /api/docs and the landing page render with no CSP violation", async () => {
    const context = await desktop(browser);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|CSP/.test(message.text())) problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(String(error)));
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)),
    );

    await page.goto(`${origin}/api/docs`);
    await expect.poll(() => page.locator("h1").textContent()).toContain("Shop-along API");
    // The stylesheet is inline: under the policy it must still apply.
    expect(await page.locator(".op").first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe("solid");

    await page.goto(`${origin}/`);
    await page.locator('[data-testid="create-show"]').waitFor({ timeout: 10_000 });
    expect(problems).toEqual([]);
    await context.close();
  });
});
