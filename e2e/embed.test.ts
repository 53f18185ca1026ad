/**
 * The embed on a brand's own page, in real Chromium: a plain node server on
 * another loopback port (another origin) serves examples/embed/index.html,
 * whose two lines load /embed.js from the stack's Worker. A host goes live
 * with the fake camera; the embedded player plays it, sells through the
 * page's own cart (its `shop-along:add-to-cart` listener) or its built-in
 * checkout, keeps its looks under the page's rude CSS, reserves its box,
 * fetches nothing heavy until it is near the viewport, floats a mini-player
 * when scrolled away, follows the page's language, and the library lists the
 * shop's shows.
 */
import { createServer, type Server } from "node:http";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { examplePage } from "../examples/embed/serve.mjs";
import { api } from "../scripts/stack.ts";
import { byTestId, checkout, createShow, desktop, launchBrowser, phone, pressGoLive } from "./browser.ts";

const stack = { origin: inject("origin") };
let browser: Browser;
let brand: Server;
/** The brand's site: another origin than the stack's. */
let brandOrigin: string;
/** The viewers' contexts, closed after each test (their players would go on decoding video); the host's stays. */
const contexts: BrowserContext[] = [];

/** A page whose player is far below the fold: nothing heavy may load before it is scrolled to. */
const farPage = (origin: string, room: string) => `<!doctype html><html lang="en"><body>
<script type="module" src="${origin}/embed.js"></script>
<div id="above" style="height:3000px">The brand's long page.</div>
<shop-along-show room="${room}"></shop-along-show>
</body></html>`;

beforeAll(async () => {
  browser = await launchBrowser();
  brand = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    const room = url.searchParams.get("room") ?? "";
    const html = url.pathname === "/far" ? farPage(stack.origin, room) : examplePage(stack.origin, { room, shop: url.searchParams.get("shop") ?? undefined, lang: url.searchParams.get("lang") ?? undefined });
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise<void>((resolve) => brand.listen(0, "127.0.0.1", resolve));
  brandOrigin = `http://localhost:${(brand.address() as { port: number }).port}`;
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => brand?.close(resolve));
});

async function open(kind: typeof phone, url: string, locale?: string): Promise<Page> {
  const context = await kind(browser, locale);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Frames presented by the player's videos (inside its shadow root) since first asked, and their playback time. */
const playerVideos = (page: Page) =>
  page.evaluate(() =>
    [...(document.querySelector("shop-along-show")?.shadowRoot?.querySelectorAll<HTMLVideoElement & { frames?: number }>("video") ?? [])].map((video) => {
      if (video.frames === undefined) {
        video.frames = 0;
        const count = () => {
          video.frames!++;
          video.requestVideoFrameCallback(count);
        };
        video.requestVideoFrameCallback(count);
      }
      return { frames: video.frames, width: video.videoWidth, time: video.currentTime };
    }),
  );

/** The embedded video plays: within half a second, 5+ new frames and its time advancing. */
async function expectPlaying(page: Page) {
  await expect
    .poll(
      async () => {
        const before = await playerVideos(page);
        await page.waitForTimeout(500);
        const after = await playerVideos(page);
        return after.length === 1 && before.length === 1 && after[0]!.width > 0 && after[0]!.frames >= before[0]!.frames + 5 && after[0]!.time > before[0]!.time;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}

/** A live, unrecorded show with its first product pinned. */
async function liveShow() {
  // Another shop of the same name first, as in any run but the first: the show's shop gets "lotus-tea-house-…", not the example's slug.
  await api(stack.origin, "/api/shops", { name: "Lotus Tea House", currency: "USD" });
  const show = await createShow(stack.origin, 5, { recording: false });
  const host = await (await desktop(browser)).newPage();
  await host.goto(show.links.host);
  await pressGoLive(host);
  await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, show.apiKey);
  return { ...show, host };
}

/** Styles computed inside the player's shadow root. */
const insideStyles = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector("shop-along-show")!.shadowRoot!;
    const style = (selector: string) => {
      const element = root.querySelector(selector);
      if (!element) return null;
      const computed = getComputedStyle(element);
      return { display: computed.display, fontFamily: computed.fontFamily, fontSize: computed.fontSize, color: computed.color, background: computed.backgroundImage, padding: computed.padding, border: computed.borderTopStyle };
    };
    return { video: style("video"), title: style("[data-testid=pinned-title]"), buy: style("[data-testid=buy-now]"), player: style("[data-testid=embed-player]") };
  });

const box = (page: Page) => page.evaluate(() => JSON.stringify(document.querySelector("shop-along-show")!.getBoundingClientRect()));

describe("the embed on a brand's page", () => {
  let show: Awaited<ReturnType<typeof liveShow>>;

  it("plays the live show with its pinned product; Buy now goes to the page's own cart; the page's CSS leaves it alone", async () => {
    // Every test here watches this one show (expect.poll, which going live needs, runs only inside a test).
    show = await liveShow();
    const page = await open(phone, `${brandOrigin}/?room=${show.room.id}`);
    // The element's box is reserved as soon as it is defined, before the player's chunk arrives.
    await page.evaluate(() => customElements.whenDefined("shop-along-show"));
    const reserved = await box(page);
    await expectPlaying(page);
    await byTestId(page, "pinned-product").waitFor({ timeout: 10_000 });
    expect(await byTestId(page, "pinned-title").textContent()).toBe("Jasmine pearls");
    expect(await box(page)).toBe(reserved);
    expect(JSON.parse(reserved).height).toBeGreaterThan(300);

    // The page's `* { font: 30px serif !important; color: red }`, `video { display: none }`, `div { border }`, `button { background: yellow }`.
    const styles = await insideStyles(page);
    expect(styles.video!.display).not.toBe("none");
    expect(styles.title!.fontSize).not.toBe("30px");
    expect(styles.title!.fontFamily).toContain("Georgia"); // The page's theme (--shop-along-font), not its `serif` rule.
    expect(styles.title!.color).not.toBe("rgb(255, 0, 0)");
    expect(styles.buy!.background).toContain("rgb(10, 125, 79)"); // --shop-along-accent, not the page's yellow.
    expect(styles.player!.border).toBe("none");
    // Nothing leaks out: the page's own text keeps the page's rules.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector("main p")!).fontSize)).toBe("30px");

    await page.screenshot({ path: "e2e/.artifacts/embed-live-phone-en.png" });
    await byTestId(page, "buy-now").click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { cartLines: unknown[] }).cartLines)).toEqual([
      { roomId: show.room.id, productId: show.products[0].id, variantId: null, sku: null, name: "Jasmine pearls", price: 1899, currency: "USD", quantity: 1 },
    ]);
    expect(await byTestId(page, "cart-count").textContent()).toBe("1");
    await page.waitForTimeout(500);
    expect(await byTestId(page, "checkout-sheet").count()).toBe(0);
    expect(await byTestId(page, "sheet-loading").count()).toBe(0);
  });

  it("without the page's cart, the built-in checkout places the order and shop-along:order fires", async () => {
    const page = await open(desktop, `${brandOrigin}/?room=${show.room.id}&cart=off`);
    await byTestId(page, "buy-now").click();
    await checkout(page, { name: "Mei Lin", email: "mei@example.com" });
    const event = page.locator("[data-event='shop-along:order']");
    await event.waitFor({ timeout: 10_000 });
    const detail = JSON.parse((await event.textContent())!.slice("shop-along:order ".length));
    expect(detail).toMatchObject({ roomId: show.room.id, productId: show.products[0].id, quantity: 1, total: 1899, currency: "USD", name: "Jasmine pearls" });
    expect(detail.buyer).toBeUndefined();
    // The order is real: the shop sees it.
    const { orders } = await show.api(`/api/shops/${show.shop.id}/orders`, undefined, show.apiKey);
    expect(orders.map((order: { id: string }) => order.id)).toContain(detail.orderId);
    expect(await page.evaluate(() => (window as unknown as { cartLines: unknown[] }).cartLines)).toEqual([]);
  });

  it("floats a mini-player while scrolled away, which closes; the library lists the shop's shows", async () => {
    // This run's shop: the example's own "lotus-tea-house" is whichever shop of that name came first (the demo's, or another test's).
    const { slug } = await show.api(`/api/shops/${show.shop.id}/slug`, undefined, show.apiKey);
    expect(slug).toMatch(/^lotus-tea-house-/);
    const page = await open(desktop, `${brandOrigin}/?room=${show.room.id}&shop=${slug}`, "en-US");
    await page.setViewportSize({ width: 1366, height: 900 });
    await expectPlaying(page);
    await page.screenshot({ path: "e2e/.artifacts/embed-live-desktop-en.png" });
    // Scrolled until only the player's foot shows (Buy now at the top of the window): no mini-player yet, it would hide Buy now.
    await byTestId(page, "buy-now").evaluate((button) => button.scrollIntoView({ block: "start" }));
    await page.waitForTimeout(500);
    expect(await page.locator("[data-testid=embed-player][data-mini]").count()).toBe(0);
    expect(await byTestId(page, "buy-now").isVisible()).toBe(true);
    await page.evaluate(() => document.querySelector(".story")!.scrollIntoView());
    const mini = page.locator("[data-testid=embed-player][data-mini]");
    await mini.waitFor({ timeout: 5000 });
    await expectPlaying(page);
    const corner = await mini.boundingBox();
    expect(corner!.x + corner!.width).toBeLessThanOrEqual(1366);
    // The fake camera is landscape: so is the corner, which shows the whole picture, not a third of it.
    expect(corner!.width).toBeGreaterThan(corner!.height);
    expect(corner!.width).toBeLessThanOrEqual(320);
    await page.screenshot({ path: "e2e/.artifacts/embed-mini-desktop-en.png" });
    await byTestId(page, "mini-close").click();
    await expect.poll(() => mini.count()).toBe(0);

    await page.evaluate(() => document.querySelector("shop-along-library")!.scrollIntoView());
    await page.locator("shop-along-library [data-testid=shop-live-show]").waitFor({ timeout: 10_000 });
    expect(await page.locator("shop-along-library [data-testid=shop-live-show]").textContent()).toContain("Spring tasting");
  });

  it("follows the page's language (lang): Chinese words on a zh-CN page", async () => {
    for (const [kind, name] of [[phone, "phone"], [desktop, "desktop"]] as const) {
      const page = await open(kind, `${brandOrigin}/?room=${show.room.id}&lang=zh-CN`, "en-US");
      if (name === "desktop") await page.setViewportSize({ width: 1366, height: 900 });
      await byTestId(page, "buy-now").waitFor({ timeout: 15_000 });
      expect(await byTestId(page, "buy-now").textContent()).toBe("立即购买");
      await expectPlaying(page);
      await page.screenshot({ path: `e2e/.artifacts/embed-live-${name}-zh-CN.png` });
      // The page's own <html lang> is the page's: the player did not change it.
      expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
      if (name === "phone") {
        await page.evaluate(() => document.documentElement.setAttribute("lang", "en"));
        await expect.poll(() => byTestId(page, "buy-now").textContent()).toBe("Buy now");
      }
    }
  });

  it("fetches nothing heavy before it is scrolled near; then the player's chunk", async () => {
    const context = await phone(browser);
    contexts.push(context);
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on("request", (request) => {
      if (request.url().startsWith(stack.origin)) fetched.push(new URL(request.url()).pathname);
    });
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(new URL(socket.url()).pathname));
    await page.goto(`${brandOrigin}/far?room=${show.room.id}`);
    await page.evaluate(() => customElements.whenDefined("shop-along-show"));
    await page.waitForTimeout(1500);
    expect(fetched).toEqual(["/embed.js"]);
    await page.evaluate(() => document.querySelector("shop-along-show")!.scrollIntoView());
    await expectPlaying(page);
    expect(fetched.some((path) => /^\/embed\/player-[\w-]+\.js$/.test(path))).toBe(true);
    expect(fetched).toContain("/embed/catalogue-en.json");
    // Its viewer joins the room in one request: the socket, with no ticket first.
    expect(fetched).not.toContain(`/api/rooms/${show.room.id}/tickets`);
    expect(sockets).toEqual([`/parties/room/${show.room.id}`]);
  });
});
