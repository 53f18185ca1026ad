/**
 * The show's page before it starts, as viewers and the host live it: a phone
 * opens a scheduled show and sees its cover, description, hosts, its start in
 * their own zone and language, and a countdown on the room's clock (also
 * when the phone's clock is ten minutes wrong); they browse its products; the
 * host goes live from the studio and the open page turns live by itself;
 * after the start, "the host is on the way" and the studio's "you are late";
 * a trailer plays muted; a cancelled show says so.
 */
import { deflateSync } from "node:zlib";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api } from "../scripts/stack.ts";
import { byTestId, desktop, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/shots/pre-live";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const plain = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim();

/** A PNG of `width` × `height`, a diagonal blend from one colour to another (zlib from Node). */
function png(width: number, height: number, from: [number, number, number], to: [number, number, number]): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const mix = (x / width + y / height) / 2;
      for (let c = 0; c < 3; c++) raw[y * (width * 3 + 1) + 1 + x * 3 + c] = Math.round(from[c]! + (to[c]! - from[c]!) * mix);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** A request as a signed-in page makes it: the session cookie, and this site's Origin on writes. */
async function send(path: string, init: { method?: string; json?: unknown; body?: Uint8Array; type?: string; cookie?: string; key?: string } = {}) {
  const headers: Record<string, string> = { Origin: origin };
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.key) headers.Authorization = `Bearer ${init.key}`;
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  if (init.body) headers["Content-Type"] = init.type ?? "application/octet-stream";
  const res = await fetch(`${origin}${path}`, {
    method: init.method ?? "POST",
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : (init.body as BodyInit | undefined),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return { body: await res.json(), cookie: res.headers.getSetCookie().at(-1)?.split(";")[0] };
}

type PlannedShow = Awaited<ReturnType<typeof planShow>>;

/**
 * A shop's show as the console plans it: a start `inMs` from now, a
 * description, a cover, three products (one in sizes), and two hosts: Mei
 * with a photo, Li without.
 */
async function planShow(inMs: number, { hosts = true } = {}) {
  const { shop, apiKey } = await api(origin, "/api/shops", { name: "Lotus Tea House", currency: "USD" });
  const products = [];
  for (const [title, priceCents, image] of [["Jasmine pearls", 1899, "jasmine-pearls"], ["Gaiwan set", 4500, "gaiwan-set"]] as const) {
    products.push((await api(origin, `/api/shops/${shop.id}/products`, { title, priceCents, imageUrl: `/demo/${image}.svg`, description: `${title}, from Fujian.` }, apiKey)).product);
  }
  const tin = (await api(origin, `/api/shops/${shop.id}/products`, { title: "Oolong tin", priceCents: 2400, imageUrl: "/demo/oolong-tin.svg", optionNames: ["Size"] }, apiKey)).product;
  const small = (await api(origin, `/api/shops/${shop.id}/products/${tin.id}/variants`, { options: ["50 g"] }, apiKey)).variant;
  const large = (await api(origin, `/api/shops/${shop.id}/products/${tin.id}/variants`, { options: ["100 g"], priceCents: 4200 }, apiKey)).variant;
  const startsAt = new Date(Date.now() + inMs).toISOString();
  const { room, links } = await api(origin, `/api/shops/${shop.id}/rooms`, {
    title: "Spring oolong tasting",
    startsAt,
    products: products.map((p) => ({ productId: p.id, stock: 8 })),
    variants: [{ variantId: small.id, stock: 5 }, { variantId: large.id, stock: 0 }],
  }, apiKey);
  const show = `/api/shops/${shop.id}/rooms/${room.id}`;
  await send(show, { method: "PATCH", key: apiKey, json: { description: "First flush oolongs, brewed live.\nAsk us anything <b>in the chat</b>." } });
  await send(`${show}/cover`, { key: apiKey, body: png(480, 600, [255, 122, 69], [122, 92, 255]), type: "image/png" });
  if (hosts) {
    const { cookie: ownerCookie } = await send("/api/auth/claim", { key: apiKey, json: {} });
    for (const [name, photo] of [["Mei Lin", true], ["Li Wei", false]] as const) {
      const { body: invite } = await send(`/api/shops/${shop.id}/team/invites`, { cookie: ownerCookie, json: { role: "host" } });
      const token = /\.(iv_\w+)$/.exec(invite.link)![1];
      const { body: joined, cookie } = await send(`/api/shops/${shop.id}/team/invites/accept`, { json: { token, displayName: name } });
      await send(`/api/shops/${shop.id}/team/shows/${room.id}/hosts`, { cookie: ownerCookie, json: { accountId: joined.accountId } });
      if (photo) await send("/api/auth/me/photo", { method: "PUT", cookie, body: png(96, 96, [255, 45, 85], [255, 200, 150]), type: "image/png" });
    }
  }
  return { shop, apiKey, room, links, startsAt, hostKey: new URL(links.host).hash.slice("#key=".length), products: [...products, tin] };
}

/** A phone in `locale` and `timezoneId`, optionally with its clock `skewMs` off (Date only: the page's timers run as ever). */
async function viewerPhone(locale: string, timezoneId: string, { width = 390, skewMs = 0 } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, timezoneId });
  if (skewMs) {
    await context.addInitScript((skew: number) => {
      const RealDate = Date;
      class SkewedDate extends RealDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) super(RealDate.now() + skew);
          else super(...(args as [string]));
        }
        static override now() {
          return RealDate.now() + skew;
        }
      }
      globalThis.Date = SkewedDate as DateConstructor;
    }, skewMs);
  }
  return context;
}

/** The room's clock as this page hears it, moved `shiftMs` on: every frame that carries the room's `now` (sync, replay). */
async function shiftRoomClock(page: Page, shiftMs: number) {
  await page.routeWebSocket(/\/parties\/room\//, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (typeof message !== "string") return socket.send(message);
      const frame = JSON.parse(message);
      if (typeof frame.now === "number") frame.now += shiftMs;
      socket.send(JSON.stringify(frame));
    });
  });
}

const remainingMs = async (page: Page, testId = "prelive-countdown") => Number(await byTestId(page, testId).getAttribute("data-remaining-ms"));

/** No part of the page is wider than the screen (the page scrolls inside .prelive). */
const overflowX = (page: Page) =>
  page.evaluate(() => {
    const scroller = document.querySelector(".prelive") ?? document.documentElement;
    return Math.max(scroller.scrollWidth - scroller.clientWidth, document.documentElement.scrollWidth - document.documentElement.clientWidth);
  });

describe("the show's page before it starts", () => {
  it("a phone sees the cover, title, description as text, hosts with their photos, the start in its own zone and language, and the countdown", async () => {
    const show = await planShow(2 * 3600_000 + 15 * 60_000);
    for (const [locale, zone, startsIn, hostedBy] of [
      ["en-US", "Europe/Stockholm", "Starts in", "Hosted by"],
      ["zh-CN", "Asia/Shanghai", "距开播", "主播"],
    ] as const) {
      const context = await viewerPhone(locale, zone);
      const page = await context.newPage();
      await page.goto(show.links.viewer);
      await byTestId(page, "prelive").waitFor({ timeout: 15_000 });
      expect(await byTestId(page, "stage").getAttribute("data-state")).toBe("scheduled");
      expect(await byTestId(page, "show-title").textContent()).toBe("Spring oolong tasting");
      await expect.poll(() => byTestId(page, "prelive-cover").getAttribute("src"), { timeout: 5000 }).toMatch(new RegExp(`^/photos/${show.room.id}/cv_\\w+\\.png$`));
      // Its src is set before the image has arrived: wait for it to load (on a loaded machine that takes a moment).
      await expect.poll(() => byTestId(page, "prelive-cover").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 5000 }).toBe(480);

      // The description is text: the markup a shop typed shows as typed, and nothing of it runs or renders.
      const description = byTestId(page, "prelive-description");
      expect(await description.textContent()).toBe("First flush oolongs, brewed live.\nAsk us anything <b>in the chat</b>.");
      expect(await description.locator("b").count()).toBe(0);

      const hosts = byTestId(page, "prelive-host");
      await expect.poll(() => hosts.locator(".prelive-host-name").allTextContents()).toEqual(["Mei Lin", "Li Wei"]);
      await expect.poll(() => hosts.nth(0).locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 5000 }).toBe(96);
      expect(await hosts.nth(1).locator("img").count()).toBe(0);
      expect(await byTestId(page, "prelive-hosts").textContent()).toContain(hostedBy);

      // The start in this phone's zone and language, as Intl says it there.
      const local = new Intl.DateTimeFormat(locale, { weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: zone }).format(new Date(show.startsAt));
      expect(plain(await byTestId(page, "prelive-starts-at").textContent())).toBe(plain(local));
      expect(await page.locator(".prelive-start").textContent()).toContain(startsIn);
      const left = await remainingMs(page);
      expect(Math.abs(left - (Date.parse(show.startsAt) - Date.now()))).toBeLessThan(5000);
      // Hours, minutes and seconds on the board, counting down.
      expect(await page.locator(".prelive-countdown-value").allTextContents()).toEqual(expect.arrayContaining(["02", expect.stringMatching(/^1[45]$/)]));
      await expect.poll(() => remainingMs(page), { timeout: 3000 }).toBeLessThan(left);

      const tag = locale === "en-US" ? "en" : "zh";
      await page.screenshot({ path: `${SHOTS}/prelive-phone-${tag}.png` });
      await page.locator(".prelive").evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.screenshot({ path: `${SHOTS}/prelive-phone-${tag}-products.png` });
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      await context.close();
    }

    for (const locale of ["en-US", "zh-CN"]) {
      const narrow = await (await viewerPhone(locale, "Europe/Stockholm", { width: 320 })).newPage();
      await narrow.goto(show.links.viewer);
      await byTestId(narrow, "prelive-host").first().waitFor({ timeout: 15_000 });
      expect(await overflowX(narrow)).toBeLessThanOrEqual(0);
      await narrow.screenshot({ path: `${SHOTS}/prelive-320-${locale}.png`, fullPage: false });
      await narrow.context().close();

      const laptop = await (await desktop(browser, locale, 1366, 900)).newPage();
      await laptop.goto(show.links.viewer);
      await byTestId(laptop, "prelive-host").first().waitFor({ timeout: 15_000 });
      expect(await overflowX(laptop)).toBeLessThanOrEqual(0);
      await laptop.screenshot({ path: `${SHOTS}/prelive-desktop-${locale}.png` });
      await laptop.context().close();
    }
  });

  it("the products are there to browse: photos, prices, sizes with what is left; a tap opens one", async () => {
    const show = await planShow(3600_000, { hosts: false });
    const page = await (await phone(browser)).newPage();
    await page.goto(show.links.viewer);
    const cards = byTestId(page, "prelive-product");
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(3);
    expect(plain(await cards.nth(0).textContent())).toBe("Jasmine pearls$18.99");
    expect(plain(await cards.nth(2).textContent())).toBe("Oolong tin$24.002 options");
    expect(await byTestId(page, "prelive-hosts").count()).toBe(0);

    await cards.nth(2).click();
    const details = byTestId(page, "prelive-product-details");
    await details.waitFor();
    expect(await details.getAttribute("data-product-id")).toBe(show.products[2].id);
    expect(await byTestId(page, "prelive-details-price").textContent()).toBe("$24.00");
    expect(await byTestId(page, "prelive-details-left").textContent()).toBe("Only 5 left");
    // The 100 g size has no unit for this show: marked sold out, and it cannot be chosen.
    expect(await page.locator('[data-testid=variant-chip][data-value="100 g"]').getAttribute("data-sold-out")).toBe("true");
    await page.screenshot({ path: `${SHOTS}/prelive-product-phone-en.png` });
    await page.keyboard.press("Escape");
    await expect.poll(() => details.count()).toBe(0);

    await cards.nth(1).click();
    expect(await byTestId(page, "prelive-details-price").textContent()).toBe("$45.00");
    expect(await details.textContent()).toContain("Gaiwan set, from Fujian.");
    await page.context().close();
  });

  it("the countdown follows the room's clock, not a phone whose clock is ten minutes wrong", async () => {
    const show = await planShow(30 * 60_000, { hosts: false });
    for (const skewMs of [-10 * 60_000, 10 * 60_000]) {
      const page = await (await viewerPhone("en-US", "Europe/Stockholm", { skewMs })).newPage();
      await page.goto(show.links.viewer);
      await byTestId(page, "prelive-countdown").waitFor({ timeout: 15_000 });
      // The phone's own clock is off, as set…
      const phoneSays = await page.evaluate(() => Date.now());
      expect(Math.abs(phoneSays - skewMs - Date.now())).toBeLessThan(5000);
      // …and the countdown is the room's: about 30 minutes, not 20 or 40.
      const left = await remainingMs(page);
      expect(Math.abs(left - (Date.parse(show.startsAt) - Date.now()))).toBeLessThan(5000);
      expect(await page.locator(".prelive-countdown-value").allTextContents()).toEqual(["00", expect.stringMatching(/^(29|30)$/), expect.any(String)]);
      await page.context().close();
    }
  });

  it("turns into the live stage by itself when the host goes live, without a reload, and the tab's title says so", async () => {
    const show = await planShow(5 * 60_000, { hosts: false });
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(show.links.viewer);
    await byTestId(viewer, "prelive").waitFor({ timeout: 15_000 });
    expect(await viewer.title()).toBe("Spring oolong tasting · Lotus Tea House");
    // Anything a reload would wipe out.
    await viewer.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    // The host, in another browser: the studio says the show is due in about five minutes, then they go live.
    const studio = await (await desktop(browser, "en-US", 1366, 900)).newPage();
    await studio.goto(show.links.host);
    await online(studio);
    const banner = byTestId(studio, "start-banner");
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute("data-phase")).toBe("soon");
    expect(Math.abs((await remainingMs(studio, "start-banner-countdown")) - (Date.parse(show.startsAt) - Date.now()))).toBeLessThan(5000);
    expect(plain(await banner.textContent())).toMatch(/^You're on soon: going live in\s*0?[45]:\d\d/);
    await studio.screenshot({ path: `${SHOTS}/studio-due-soon-desktop-en.png` });
    await byTestId(studio, "go-live").click();

    await expect.poll(() => byTestId(viewer, "stage").getAttribute("data-state"), { timeout: 5000 }).toBe("live");
    expect(await byTestId(viewer, "prelive").count()).toBe(0);
    await expect.poll(() => viewer.title()).toBe("● LIVE · Spring oolong tasting");
    expect(await viewer.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expect.poll(() => byTestId(studio, "start-banner").count()).toBe(0);
    await viewer.screenshot({ path: `${SHOTS}/prelive-turned-live-phone-en.png` });
    await studio.context().close();
    await viewer.context().close();
  });

  it("after the start the host is on the way, not a countdown at zero; the studio says how late", async () => {
    const show = await planShow(2 * 60_000, { hosts: false });
    // The room's clock as the pages hear it: 11 minutes past the start.
    const shift = Date.parse(show.startsAt) + 11 * 60_000 - Date.now();
    for (const locale of ["en-US", "zh-CN"] as const) {
      const viewer = await (await viewerPhone(locale, "Asia/Shanghai")).newPage();
      await shiftRoomClock(viewer, shift);
      await viewer.goto(show.links.viewer);
      const late = byTestId(viewer, "host-on-the-way");
      await late.waitFor({ timeout: 15_000 });
      expect(await late.textContent()).toContain(locale === "en-US" ? "The host is on the way" : "主播正在赶来");
      expect(await byTestId(viewer, "prelive-countdown").count()).toBe(0);
      await viewer.screenshot({ path: `${SHOTS}/prelive-on-the-way-phone-${locale}.png` });

      const studio = await (await desktop(browser, locale, 1366, 900)).newPage();
      await shiftRoomClock(studio, shift);
      await studio.goto(show.links.host);
      const banner = byTestId(studio, "start-banner");
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.getAttribute("data-phase")).toBe("late");
      expect(await banner.textContent()).toContain(locale === "en-US" ? "You are 11 minutes late" : "你已迟到 11 分钟");
      await studio.screenshot({ path: `${SHOTS}/studio-late-desktop-${locale}.png` });
      await studio.context().close();

      // The host at the ready on a phone, in live mode: the banner is there too, over the camera.
      const handset = await (await phone(browser, locale)).newPage();
      await shiftRoomClock(handset, shift);
      await handset.goto(show.links.host);
      await byTestId(handset, "live-mode-open").click({ timeout: 15_000 });
      const overCamera = byTestId(handset, "live-mode").locator("[data-testid=start-banner]");
      await overCamera.waitFor({ timeout: 10_000 });
      expect(await overCamera.getAttribute("data-phase")).toBe("late");
      await handset.screenshot({ path: `${SHOTS}/studio-late-live-mode-phone-${locale}.png` });
      await handset.context().close();
      await viewer.context().close();
    }
    // Without the shift (the real room clock), it still counts down: the page did not decide by itself.
    const honest = await (await phone(browser)).newPage();
    await honest.goto(show.links.viewer);
    await byTestId(honest, "prelive-countdown").waitFor({ timeout: 15_000 });
    await honest.context().close();
  });

  it("plays the trailer muted, looping and inline, with the cover as its poster", async () => {
    const show = await planShow(3600_000, { hosts: false });
    // A real WebM, recorded by Chromium from a canvas, uploaded as the console does.
    const maker = await (await desktop(browser)).newPage();
    await maker.goto(`${origin}/404`);
    const trailerUrl = await maker.evaluate(
      async ({ path, key }) => {
        const canvas = Object.assign(document.createElement("canvas"), { width: 320, height: 400 });
        const paint = canvas.getContext("2d")!;
        const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm" });
        const chunks: Blob[] = [];
        recorder.ondataavailable = (event) => chunks.push(event.data);
        const done = new Promise((resolve) => (recorder.onstop = resolve));
        recorder.start();
        for (let frame = 0; frame < 40; frame++) {
          paint.fillStyle = `hsl(${frame * 9}, 80%, 55%)`;
          paint.fillRect(0, 0, 320, 400);
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
        recorder.stop();
        await done;
        const res = await fetch(path, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "video/webm" }, body: new Blob(chunks, { type: "video/webm" }) });
        return ((await res.json()) as { trailerUrl: string }).trailerUrl;
      },
      { path: `/api/shops/${show.shop.id}/rooms/${show.room.id}/trailer`, key: show.apiKey },
    );
    expect(trailerUrl).toMatch(/\.webm$/);
    await maker.context().close();

    const page = await (await phone(browser, "zh-CN")).newPage();
    await page.goto(show.links.viewer);
    const video = byTestId(page, "prelive-trailer");
    await video.waitFor({ timeout: 15_000 });
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => ({ muted: v.muted, loop: v.loop, inline: v.playsInline, playing: !v.paused && v.currentTime > 0 })), { timeout: 10_000 })
      .toEqual({ muted: true, loop: true, inline: true, playing: true });
    expect(await video.getAttribute("poster")).toMatch(new RegExp(`^/photos/${show.room.id}/cv_`));
    expect(await video.getAttribute("src")).toBe(trailerUrl);
    await page.screenshot({ path: `${SHOTS}/prelive-trailer-phone-zh.png` });
    await page.context().close();
  });

  it("a show cancelled while its page is open says it was cancelled", async () => {
    const show = await planShow(3600_000, { hosts: false });
    const page = await (await phone(browser)).newPage();
    await page.goto(show.links.viewer);
    await byTestId(page, "prelive").waitFor({ timeout: 15_000 });
    await send(`/api/shops/${show.shop.id}/rooms/${show.room.id}/cancel`, { key: show.apiKey, json: {} });
    await expect.poll(() => byTestId(page, "show-ended").textContent(), { timeout: 5000 }).toBe("Lotus Tea House has cancelled this show.");
    expect(await byTestId(page, "prelive").count()).toBe(0);
    await page.context().close();
  });
});
