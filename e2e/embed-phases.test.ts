/**
 * The embed before the start and after the end, as a brand's visitor sees
 * it (issue 12), in real Chromium: the example page (examples/embed/, its
 * rude CSS and its own cart) served from another loopback origin than the
 * stack's Worker. Before the start, `shop="{slug}"` of a shop whose only
 * show is an hour ahead shows the poster (title, start in the page's
 * language, a countdown on the room's clock, Remind me), and turns into the
 * live video by itself when the host goes live. After the end, `room="r_…"`
 * plays the recorded replay, its product's chapter jumps the video there,
 * and Buy now goes to the page's cart (or the built-in checkout with
 * ?cart=off). A shop with only past shows gets its latest replay; no shows,
 * an unknown room or slug get a note in the page's language.
 */
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { examplePage } from "../examples/embed/serve.mjs";
import { api } from "../scripts/stack.ts";
import { byTestId, checkout, createShow, desktop, fitsWidth, launchBrowser, phone, pressGoLive } from "./browser.ts";

const stack = { origin: inject("origin") };
const SHOTS = "e2e/.artifacts";
let browser: Browser;
let brand: Server;
/** The brand's site: another origin than the stack's. */
let brandOrigin: string;
/** Every context a test opens (the host's too: an open studio keeps encoding video), closed after it. */
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  brand = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    const html = examplePage(stack.origin, { room: url.searchParams.get("room"), shop: url.searchParams.get("shop"), lang: url.searchParams.get("lang") });
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise<void>((resolve) => brand.listen(0, "127.0.0.1", resolve));
  brandOrigin = `http://localhost:${(brand.address() as { port: number }).port}`;
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => brand?.close(resolve));
});

type Lang = "en" | "zh-CN";
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } } as const;
/** The four looks of every state: phone and desktop, English and Simplified Chinese. */
const LOOKS = [["phone", "en"], ["desktop", "zh-CN"], ["phone", "zh-CN"], ["desktop", "en"]] as const;
const ZONES = { en: "Europe/Stockholm", "zh-CN": "Asia/Shanghai" } as const;

/**
 * The brand's page with the embed, in a `size` browser whose own language and zone differ from the page's
 * `lang` (the page's decides); `skewMs` puts the visitor's clock off (Date only).
 */
async function visit(size: keyof typeof SIZES, lang: Lang, query: string, { skewMs = 0, width }: { skewMs?: number; width?: number } = {}): Promise<Page> {
  const viewport = { ...SIZES[size], ...(width ? { width } : {}) };
  const context = await browser.newContext({
    viewport,
    ...(size === "phone" ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    locale: lang === "en" ? "zh-CN" : "en-US",
    timezoneId: ZONES[lang],
  });
  contexts.push(context);
  if (skewMs) {
    await context.addInitScript((skew: number) => {
      const RealDate = Date;
      globalThis.Date = class extends RealDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) super(RealDate.now() + skew);
          else super(...(args as [string]));
        }
        static override now() {
          return RealDate.now() + skew;
        }
      } as DateConstructor;
    }, skewMs);
  }
  const page = await context.newPage();
  await page.goto(`${brandOrigin}/?${query}${lang === "zh-CN" ? "&lang=zh-CN" : ""}`);
  // The player in view (below the page's sticky cart), as a visitor scrolls to it.
  await page.locator("shop-along-show").evaluate((element) => element.scrollIntoView({ block: "end" }));
  return page;
}

/** Into e2e/.artifacts, with the player in view. */
const shoot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/embed-${name}.png` });

/** The player lies inside the page's width and its own box: nothing sticks out sideways or is cut off at its foot. */
const fitsInPlayer = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector("shop-along-show")!;
    const frame = host.getBoundingClientRect();
    const outside = [...host.shadowRoot!.querySelectorAll<HTMLElement>(".poster *, .show-header, .viewer-bottom, .viewer-bottom *, .replay-badge")].filter((element) => {
      const box = element.getBoundingClientRect();
      if (!box.width || !box.height || element.closest(".chapters")) return false; // The chapters' row scrolls sideways by design.
      return box.left < frame.left - 1 || box.right > frame.right + 1 || box.bottom > frame.bottom + 1 || box.top < frame.top - 1;
    });
    return { pageFits: document.documentElement.scrollWidth <= window.innerWidth, outside: outside.map((element) => element.className || element.localName) };
  });

/** The "Replay" badge is seen: visible, and not under the stage's "Tap to unmute" chip (they shared a corner). */
const badgeSeen = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector("shop-along-show")!.shadowRoot!;
    const badge = root.querySelector("[data-testid=replay-badge]")?.getBoundingClientRect();
    const unmute = root.querySelector("[data-testid=unmute]")?.getBoundingClientRect();
    if (!badge?.width) return false;
    return !unmute || badge.bottom <= unmute.top || badge.top >= unmute.bottom || badge.right <= unmute.left || badge.left >= unmute.right;
  });

/** Frames the player's (first) video presents in a second, and whether its time moved. */
const aSecondOfVideo = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ width: number; frames: number; advanced: boolean }>((resolve) => {
        const video = document.querySelector("shop-along-show")?.shadowRoot?.querySelector("video");
        if (!video) return resolve({ width: 0, frames: 0, advanced: false });
        const from = video.currentTime;
        let frames = 0;
        const count = () => {
          frames++;
          video.requestVideoFrameCallback(count);
        };
        video.requestVideoFrameCallback(count);
        setTimeout(() => resolve({ width: video.videoWidth, frames, advanced: video.currentTime > from }), 1000);
      }),
  );

/** The embedded video plays: a picture, new frames within a second (3+: this machine is shared) and its time advancing. */
const expectPlaying = (page: Page) =>
  expect
    .poll(async () => {
      const { width, frames, advanced } = await aSecondOfVideo(page);
      return width > 0 && frames >= 3 && advanced;
    }, { timeout: 20_000 })
    .toBe(true);

const cartLines = (page: Page) => page.evaluate(() => (window as unknown as { cartLines: unknown[] }).cartLines);

/** A shop of its own (so its slug names only its shows), with one product. */
async function newShop(name: string) {
  const { shop, apiKey } = await api(stack.origin, "/api/shops", { name, currency: "USD" });
  const product = (await api(stack.origin, `/api/shops/${shop.id}/products`, { title: "Jasmine pearls", priceCents: 1899, imageUrl: "/demo/jasmine-pearls.svg" }, apiKey)).product;
  const { slug } = await api(stack.origin, `/api/shops/${shop.id}/slug`, undefined, apiKey);
  return { shop, apiKey, product, slug: slug as string };
}

/** The start as the poster writes it (format.ts, formatStartTime), in the page's language and the visitor's zone. */
const startText = (iso: string, lang: Lang) =>
  new Date(iso).toLocaleString(lang, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: ZONES[lang] });
const plain = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim();
/** "00:59:58" → ms. */
const clockMs = (text: string | null) => (text ?? "").split(":").reduce((total, part) => total * 60 + Number(part), 0) * 1000;

describe("the embed before the start", () => {
  it("shop=…: the poster with title, start and a countdown on the room's clock, Remind me; it turns live by itself", async () => {
    const { shop, apiKey, product, slug } = await newShop("Kjell Pre-live Teas");
    const startsAt = new Date(Date.now() + 3600_000).toISOString();
    const { room, links } = await api(stack.origin, `/api/shops/${shop.id}/rooms`, { title: "Autumn oolong tasting", startsAt, recording: false, products: [{ productId: product.id, stock: 5 }] }, apiKey);

    for (const [size, lang] of LOOKS) {
      // The visitor's clock is ten minutes slow: the countdown is still the room's, about an hour.
      const page = await visit(size, lang, `shop=${slug}`, { skewMs: -10 * 60_000 });
      const countdown = page.locator("shop-along-show .poster-countdown");
      await countdown.waitFor({ timeout: 15_000 });
      expect(await page.locator("shop-along-show").getAttribute("data-room")).toBe(room.id);
      await expect.poll(() => byTestId(page, "show-title").textContent(), { timeout: 5000 }).toBe("Autumn oolong tasting");
      expect(await page.locator("shop-along-show .poster-headline").textContent()).toBe(lang === "en" ? "Starting soon" : "即将开始");
      const note = plain(await page.locator("shop-along-show .poster-scheduled .poster-note").textContent());
      expect(note).toBe(lang === "en" ? `Starts ${plain(startText(startsAt, lang))}` : `开播时间：${plain(startText(startsAt, lang))}`);
      const left = clockMs(await countdown.textContent());
      expect(Math.abs(left - (Date.parse(startsAt) - Date.now()))).toBeLessThan(5000);
      await expect.poll(async () => clockMs(await countdown.textContent()), { timeout: 3000 }).toBeLessThan(left);
      expect(await byTestId(page, "remind-me").textContent()).toBe(lang === "en" ? "Remind me" : "提醒我");
      expect(await fitsInPlayer(page)).toEqual({ pageFits: true, outside: [] });
      await shoot(page, `poster-${size}-${lang}`);
      await page.context().close();
      if (size === "phone" && lang === "en") {
        // The narrowest phones: nothing wider than the screen.
        const narrow = await visit("phone", "en", `shop=${slug}`, { width: 320 });
        await narrow.locator("shop-along-show .poster-countdown").waitFor({ timeout: 15_000 });
        await byTestId(narrow, "remind-me").waitFor();
        expect(await fitsInPlayer(narrow)).toEqual({ pageFits: true, outside: [] });
        await shoot(narrow, "poster-320-en");
        await narrow.context().close();
      }
    }

    // Remind me, as on the show's page: the calendar links name the show's own site, and the email reminder is taken.
    const page = await visit("phone", "en", `shop=${slug}`);
    await byTestId(page, "remind-me").click();
    await byTestId(page, "remind-sheet").waitFor({ timeout: 10_000 });
    expect(await byTestId(page, "remind-ics").getAttribute("href")).toBe(`${stack.origin}/api/rooms/${room.id}/calendar.ics`);
    const google = new URL((await byTestId(page, "remind-google").getAttribute("href"))!);
    expect(google.searchParams.get("details")).toBe(`${stack.origin}/r/${room.id}`);
    // The sheet opens inside the player, whole: its send button within the element's box once it has slid up.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const host = document.querySelector("shop-along-show")!;
          const send = host.shadowRoot!.querySelector("[data-testid=remind-send]")!.getBoundingClientRect();
          const frame = host.getBoundingClientRect();
          return send.height > 0 && send.top >= frame.top && send.bottom <= frame.bottom && send.left >= frame.left && send.right <= frame.right;
        }),
      )
      .toBe(true);
    await shoot(page, "remind-phone-en");
    await byTestId(page, "remind-email").fill("visitor@example.com");
    await byTestId(page, "remind-send").click();
    await byTestId(page, "remind-sent").waitFor({ timeout: 10_000 });
    await page.keyboard.press("Escape");
    await expect.poll(() => byTestId(page, "remind-sheet").count()).toBe(0);

    // The host goes live: the same element, without a reload, plays the live video.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const hostContext = await desktop(browser);
    contexts.push(hostContext);
    const host = await hostContext.newPage();
    await host.goto(links.host);
    await pressGoLive(host);
    await expectPlaying(page);
    expect(await page.locator("shop-along-show [data-testid=stage]").getAttribute("data-state")).toBe("live");
    expect(await page.locator("shop-along-show .poster-countdown").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await shoot(page, "turned-live-phone-en");
  });
});

describe("the embed after the end", () => {
  let show: Awaited<ReturnType<typeof createShow>>;

  it("room=…: the recorded replay plays, its chapter jumps there, Buy now goes to the page's cart", async () => {
    // Recorded: live for about 12 s, the gaiwan pinned 4 s in.
    show = await createShow(stack.origin);
    const [, gaiwan] = show.products;
    const hostContext = await desktop(browser);
    contexts.push(hostContext);
    const host = await hostContext.newPage();
    await host.goto(show.links.host);
    await pressGoLive(host);
    await host.waitForTimeout(4000);
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: gaiwan.id }, show.apiKey);
    await host.waitForTimeout(4000);
    // A developer's own room event, 8 s in: the replay hands it to the page as it plays past it.
    await show.api(`/api/rooms/${show.room.id}/events`, { type: "x-tasting-note", data: { tea: "gaiwan" } }, show.apiKey);
    await host.waitForTimeout(4000);
    host.on("dialog", (dialog) => void dialog.accept());
    await byTestId(host, "end-show").or(byTestId(host, "live-end-show")).first().click();
    await byTestId(host, "live-end-confirm").click({ timeout: 2000 }).catch(() => {});
    await expect.poll(async () => (await show.api(`/api/rooms/${show.room.id}/replay`)).replay.status, { timeout: 30_000, interval: 500 }).toBe("ready");
    await hostContext.close();

    const page = await visit("phone", "en", `room=${show.room.id}`);
    await page.locator('shop-along-show [data-testid=replay][data-state=ready]').waitFor({ timeout: 15_000 });
    await expectPlaying(page);
    expect(await byTestId(page, "replay-badge").textContent()).toBe("Replay");
    expect(await badgeSeen(page)).toBe(true);

    // The gaiwan's chapter: the replay clock and its video jump there, and the gaiwan is the product shown.
    const chapter = page.locator(`shop-along-show [data-testid=chapter][data-product-id="${gaiwan.id}"]`);
    const at = Number(await chapter.getAttribute("data-at"));
    expect(at).toBeGreaterThan(2000);
    await chapter.click();
    const replay = page.locator("shop-along-show [data-testid=replay]");
    await expect.poll(async () => Number(await replay.getAttribute("data-t")) - at, { timeout: 3000 }).toBeGreaterThanOrEqual(0);
    expect(Number(await replay.getAttribute("data-t")) - at).toBeLessThan(1500);
    await expect.poll(() => page.locator("shop-along-show [data-testid=replay-video]").evaluate((video: HTMLVideoElement) => video.currentTime * 1000), { timeout: 5000 }).toBeGreaterThan(at - 2000);
    const card = page.locator(`shop-along-show [data-testid=pinned-product][data-product-id="${gaiwan.id}"]`);
    await card.waitFor({ timeout: 3000 });
    await expectPlaying(page);
    expect(await fitsInPlayer(page)).toEqual({ pageFits: true, outside: [] });
    await shoot(page, "replay-chapter-phone-en");
    // A shared moment opens on the show's own page (the brand's page cannot seek to ?t=).
    expect(await page.locator("shop-along-show [data-testid=replay-share]").getAttribute("data-share-url")).toMatch(new RegExp(`^${stack.origin}/r/${show.room.id}\\?t=\\d+$`));

    // The developer's event reaches the page's document listener (from the element, as live), played past after the chapter.
    const custom = page.locator("[data-event='shop-along:event']");
    await custom.waitFor({ state: "attached", timeout: 10_000 });
    expect(JSON.parse((await custom.textContent())!.slice("shop-along:event ".length))).toMatchObject({ name: "x-tasting-note", data: { tea: "gaiwan" } });

    // Buy now in the replay: the page's own cart takes it, as for live; no checkout of the player's opens.
    await card.locator("[data-testid=buy-now]").click();
    await expect.poll(() => cartLines(page)).toEqual([
      { roomId: show.room.id, productId: gaiwan.id, variantId: null, sku: null, name: "Gaiwan set", price: 4500, currency: "USD", quantity: 1 },
    ]);
    expect(await byTestId(page, "cart-count").textContent()).toBe("1");
    expect(await byTestId(page, "checkout-sheet").count()).toBe(0);
    expect(await byTestId(page, "sheet-loading").count()).toBe(0);
  }, 90_000);

  it("with ?cart=off, Buy now in the replay opens the built-in checkout, which places the order and tells the page", async () => {
    const [, gaiwan] = show.products;
    const page = await visit("desktop", "en", `room=${show.room.id}&cart=off`);
    await page.locator(`shop-along-show [data-testid=chapter][data-product-id="${gaiwan.id}"]`).click({ timeout: 15_000 });
    await page.locator(`shop-along-show [data-testid=pinned-product][data-product-id="${gaiwan.id}"] [data-testid=buy-now]`).click();
    await checkout(page, { name: "Mei Lin", email: "mei@example.com" });
    const event = page.locator("[data-event='shop-along:order']");
    await event.waitFor({ timeout: 10_000 });
    const detail = JSON.parse((await event.textContent())!.slice("shop-along:order ".length));
    expect(detail).toMatchObject({ roomId: show.room.id, productId: gaiwan.id, quantity: 1, total: 4500, currency: "USD", name: "Gaiwan set" });
    const { orders } = await show.api(`/api/shops/${show.shop.id}/orders`, undefined, show.apiKey);
    expect(orders.map((order: { id: string }) => order.id)).toContain(detail.orderId);
    expect(await cartLines(page)).toEqual([]);
  });

  it("shop=… of a shop with only past shows: its latest replay, in every look", async () => {
    const { slug } = await show.api(`/api/shops/${show.shop.id}/slug`, undefined, show.apiKey);
    for (const [size, lang] of LOOKS) {
      const page = await visit(size, lang, `shop=${slug}`);
      await page.locator("shop-along-show [data-testid=replay][data-state=ready]").waitFor({ timeout: 15_000 });
      expect(await page.locator("shop-along-show").getAttribute("data-room")).toBe(show.room.id);
      expect(await byTestId(page, "replay-badge").textContent()).toBe(lang === "en" ? "Replay" : "回放");
      expect(await badgeSeen(page)).toBe(true);
      // Seen, not only there: on a desktop the replay's stage once kept room for the viewer page's side column, and was 0 px wide.
      await page.locator("shop-along-show [data-testid=replay-video]").first().waitFor({ timeout: 10_000 });
      await expect.poll(() => page.locator("shop-along-show [data-testid=replay-video]").first().evaluate((video: HTMLVideoElement) => video.readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(await fitsInPlayer(page)).toEqual({ pageFits: true, outside: [] });
      await shoot(page, `replay-${size}-${lang}`);
      await page.context().close();
    }
    const narrow = await visit("phone", "zh-CN", `shop=${slug}`, { width: 320 });
    await narrow.locator("shop-along-show [data-testid=replay][data-state=ready]").waitFor({ timeout: 15_000 });
    expect(await fitsWidth(narrow)).toBe(true);
    expect(await fitsInPlayer(narrow)).toEqual({ pageFits: true, outside: [] });
    await shoot(narrow, "replay-320-zh-CN");
  });
});

describe("the embed with nothing to show", () => {
  it("a shop with no shows says so; an unknown room or slug says not found, never a blank box", async () => {
    const { slug } = await newShop("Kjell Empty Teas");
    const notes = {
      [`shop=${slug}`]: { name: "no-show", en: "No show to watch here yet.", "zh-CN": "这里还没有可观看的直播。" },
      "room=r_doesnotexist0000": { name: "unknown-room", en: "This show doesn't exist.", "zh-CN": "这场直播不存在。" },
      "shop=no-such-shop-anywhere": { name: "unknown-shop", en: "This show doesn't exist.", "zh-CN": "这场直播不存在。" },
    };
    for (const [query, note] of Object.entries(notes)) {
      for (const [size, lang] of note.name === "no-show" ? LOOKS : LOOKS.slice(0, 2)) {
        const page = await visit(size, lang, query);
        const shown = page.locator("shop-along-show [data-testid=embed-note]");
        await shown.waitFor({ timeout: 15_000 });
        expect(await shown.textContent(), query).toBe(note[lang]);
        // Readable over the page's rude CSS: the player's own font and colour, on its own dark box.
        const looks = await shown.evaluate((element) => ({ color: getComputedStyle(element).color, size: getComputedStyle(element).fontSize, height: element.getBoundingClientRect().height }));
        expect(looks.color).toBe("rgb(255, 255, 255)");
        expect(looks.size).not.toBe("30px");
        expect(looks.height).toBeGreaterThan(300);
        await shoot(page, `${note.name}-${size}-${lang}`);
        await page.context().close();
      }
    }
  });
});
