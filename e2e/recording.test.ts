/**
 * Recording without extra gear, in real Chromium with its fake camera: the
 * host goes live, a guest joins the stage, the studio reloads mid-show (two
 * takes of the host), the show ends; the replay's manifest becomes ready
 * with every take, and each take's file plays and seeks in a <video>. Then
 * the console: recording off for a new show, and the past show's replay
 * hidden, trimmed and given a thumbnail grabbed from its recording; the
 * shop's page lists it.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { mkdirSync } from "node:fs";
import { byTestId, createShow, desktop, fitsWidth, launchBrowser, phone, openPage, previewReady } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close().catch(() => {});
});

const open = (kind: (b: Browser, locale?: string) => Promise<BrowserContext>, url: string, locale = "en-US") => openPage(browser, contexts, kind, url, locale);

const SHOTS = "/tmp/shots/recording";
const desktop1366 = (b: Browser, locale = "en-US") => desktop(b, locale, 1366, 900);
let recorded: (Awaited<ReturnType<typeof createShow>> & { replay: { durationMs: number } }) | null = null;

type Take = { id: string; publisher: string; role: string; source: string; startMs: number; durationMs: number; mime: string; url: string };

/** Loads a take's file in a <video>, as the replay player uses it, and seeks to its middle. */
function playsAndSeeks(player: Page, url: string) {
  return player.evaluate(async (url) => {
    const video = document.createElement("video");
    video.muted = true;
    video.preload = "auto";
    video.src = url;
    document.body.append(video);
    await new Promise((resolve, reject) => {
      video.onloadedmetadata = resolve;
      video.onerror = () => reject(new Error(`video error ${video.error?.code}`));
    });
    const duration = video.duration;
    const started = performance.now();
    video.currentTime = duration / 2;
    await new Promise((resolve) => (video.onseeked = resolve));
    const seekMs = performance.now() - started;
    if (video.readyState < 2) await new Promise((resolve) => (video.onloadeddata = resolve));
    const state = { duration, currentTime: video.currentTime, readyState: video.readyState, seekMs };
    video.remove();
    return state;
  }, url);
}

/**
 * Before a page's scripts: the browser as Safari is to the studio, with no RTCRtpScriptTransform to tap what WebRTC
 * sends and a MediaRecorder that records MP4 only (Chromium's MP4 is H.264 and Opus; Safari's H.264 and AAC).
 */
function likeSafari(): void {
  Object.defineProperty(window, "RTCRtpScriptTransform", { value: undefined, configurable: true });
  const supported = MediaRecorder.isTypeSupported.bind(MediaRecorder);
  MediaRecorder.isTypeSupported = (type: string) => type.startsWith("video/mp4") && supported(type);
}

describe("a recorded show", () => {
  it("records the host (two takes across a reload) and a guest; the replay is ready and every take plays and seeks", async () => {
    const show = await createShow(origin);
    const host = await open(desktop, show.links.host);
    await previewReady(host);
    await byTestId(host, "go-live").click();
    await host.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 10_000 });
    const guest = await open(phone, show.links.guest);
    await previewReady(guest);
    await byTestId(guest, "join-stage").click();
    await guest.locator("[data-testid=guest-panel][data-state=on]").waitFor({ timeout: 10_000 });

    await host.waitForTimeout(8000);
    await host.reload();
    await host.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 15_000 });
    await host.waitForTimeout(10_000);
    // The studio asks before ending (a confirm on the desktop studio, a sheet in its live mode).
    host.on("dialog", (dialog) => void dialog.accept());
    await byTestId(host, "end-show").or(byTestId(host, "live-end-show")).first().click();
    await byTestId(host, "live-end-confirm").click({ timeout: 2000 }).catch(() => {});
    await expect.poll(async () => (await show.api(`/api/rooms/${show.room.id}`)).room.status, { timeout: 5000 }).toBe("ended");

    let replay: { status: string; liveAt: number; durationMs: number; takes: Take[] } = { status: "", liveAt: 0, durationMs: 0, takes: [] };
    await expect
      .poll(async () => (replay = (await show.api(`/api/rooms/${show.room.id}/replay`)).replay).status, { timeout: 30_000, interval: 500 })
      .toBe("ready");
    console.info("takes", replay.takes.map((t) => `${t.role} ${t.startMs}+${t.durationMs} ms`).join(", "), `of ${replay.durationMs} ms`);
    const hostTakes = replay.takes.filter((t) => t.role === "host");
    const guestTakes = replay.takes.filter((t) => t.role === "guest");
    expect(hostTakes.length).toBe(2);
    expect(guestTakes.length).toBe(1);
    // One person across the reload; the second take starts after the first.
    expect(new Set(hostTakes.map((t) => t.publisher)).size).toBe(1);
    for (const take of replay.takes) {
      expect(take.source).toBe("camera");
      expect(take.startMs).toBeGreaterThanOrEqual(-1000);
      expect(take.startMs + take.durationMs).toBeLessThanOrEqual(replay.durationMs + 3000);
      expect(take.durationMs).toBeGreaterThan(2000);
    }
    // The reload's gap (the page going away and coming back on stage) is between the host's takes: they never overlap.
    expect(hostTakes[1]!.startMs).toBeGreaterThanOrEqual(hostTakes[0]!.startMs + hostTakes[0]!.durationMs - 500);

    // Each file plays and seeks in a <video>, as the replay player will use it.
    const player = await open(desktop, `${origin}/`);
    for (const take of replay.takes) {
      const result = await playsAndSeeks(player, take.url);
      expect(result.duration).toBeGreaterThan(2);
      expect(Math.abs(result.duration * 1000 - take.durationMs)).toBeLessThan(1000);
      expect(result.readyState).toBeGreaterThanOrEqual(2);
      expect(Math.abs(result.currentTime - result.duration / 2)).toBeLessThan(1);
      console.info(`take ${take.id}: ${result.duration.toFixed(1)} s, seek to the middle in ${result.seekMs.toFixed(0)} ms`);
    }
    recorded = { ...show, replay };
  }, 120_000);

  it("the console turns recording off for a show, hides, trims and picks a thumbnail; the shop's page lists the replay", async () => {
    expect(recorded, "the recorded show of the test before").toBeTruthy();
    const show = recorded!;
    const page = await open(desktop1366, `${origin}/console`);
    const claim = await page.evaluate(async (apiKey) => (await fetch("/api/auth/claim", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` }, body: "{}" })).status, show.apiKey);
    expect(claim).toBe(201);
    await page.reload();
    await byTestId(page, "section-shows").click();
    const card = page.locator("[data-testid=replay-library][data-status=ready]");
    await card.waitFor({ timeout: 10_000 });
    const library = `/api/shops/${show.shop.id}/rooms/${show.room.id}/replay`;
    const manifest = async () => (await show.api(`/api/rooms/${show.room.id}/replay`)).replay;

    // Hidden: the public's manifest says none; shown again, it is back.
    await byTestId(page, "replay-hidden").check();
    await expect.poll(async () => (await manifest()).status, { timeout: 5000 }).toBe("none");
    await byTestId(page, "replay-hidden").uncheck();
    await expect.poll(async () => (await manifest()).status, { timeout: 5000 }).toBe("ready");

    // Trim: a second off each end.
    const seconds = show.replay.durationMs / 1000;
    await byTestId(page, "replay-trim-start").fill("1");
    await byTestId(page, "replay-trim-end").fill(String(Math.floor(seconds - 1)));
    await byTestId(page, "replay-trim-save").click();
    await expect.poll(async () => (await manifest()).trim, { timeout: 5000 }).toEqual({ startMs: 1000, endMs: Math.floor(seconds - 1) * 1000 });
    // A start after the end is refused in the card, before anything is sent.
    await byTestId(page, "replay-trim-start").fill(String(seconds + 5));
    await byTestId(page, "replay-trim-save").click();
    await page.locator("[data-testid=replay-note][role=alert]").waitFor({ timeout: 3000 });

    // Thumbnail: a frame of the recording, 3 s in.
    await byTestId(page, "replay-frame-at").fill("3");
    await byTestId(page, "replay-frame-grab").click();
    await expect.poll(() => byTestId(page, "replay-thumbnail").getAttribute("src"), { timeout: 10_000 }).toMatch(/^\/photos\/r_\w+\/th_\w+\.jpg$/);
    const thumbnail = (await manifest()).thumbnailUrl as string;
    const picture = await page.evaluate(async (url) => {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      return { width: bitmap.width, height: bitmap.height };
    }, thumbnail);
    expect(picture.width).toBeGreaterThan(100);
    await shoot(page, card, "console-replay-desktop-en");

    // Recording off for a new show, from the show form.
    await byTestId(page, "show-new").click();
    await byTestId(page, "show-form-title").fill("Unrecorded tasting");
    await byTestId(page, "show-form-pick").first().check();
    expect(await byTestId(page, "show-form-recording").isChecked()).toBe(true);
    await byTestId(page, "show-form-recording").uncheck();
    await shoot(page, byTestId(page, "show-form"), "console-show-form-recording-desktop-en");
    await byTestId(page, "show-form-save").click();
    await byTestId(page, "show-form").waitFor({ state: "detached", timeout: 10_000 });
    const { shows } = await page.evaluate(async (shopId) => (await fetch(`/api/shops/${shopId}/rooms`)).json(), show.shop.id);
    expect(shows.find((s: { title: string }) => s.title === "Unrecorded tasting").recording).toBe(false);
    expect(shows.find((s: { id: string }) => s.id === show.room.id).recording).toBe(true);
    void library;

    // The shop's page lists the past show with the thumbnail picked, its length and what it showed.
    const { slug } = await page.evaluate(async (shopId) => (await fetch(`/api/shops/${shopId}/slug`)).json(), show.shop.id);
    const cookies = await page.context().cookies();
    for (const [name, kind, locale] of [["phone", phone, "en-US"], ["desktop", desktop1366, "en-US"], ["phone", phone, "zh-CN"], ["desktop", desktop1366, "zh-CN"]] as const) {
      const lang = locale === "zh-CN" ? "zh" : "en";
      const shop = await open(kind, `${origin}/s/${slug}`, locale);
      const past = byTestId(shop, "shop-past-show");
      await past.first().waitFor({ timeout: 10_000 });
      expect(await past.count()).toBe(1);
      expect(await past.locator("img").getAttribute("src")).toContain("/th_");
      await expect.poll(() => past.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 5000 }).toBe(true);
      expect(await byTestId(shop, "shop-replay-length").textContent()).toMatch(/^\d+:\d\d$/);
      expect(await past.getAttribute("class")).toContain("shop-show-past");
      expect(await fitsWidth(shop)).toBe(true);
      await shop.screenshot({ path: `${SHOTS}/shop-past-replay-${name}-${lang}.png`, fullPage: true });
      // The console's card, in this size and language.
      await shop.context().addCookies(cookies);
      await shop.goto(`${origin}/console`);
      await byTestId(shop, "section-shows").click();
      const replayCard = shop.locator("[data-testid=replay-library][data-status=ready]");
      await replayCard.waitFor({ timeout: 10_000 });
      expect(await fitsWidth(shop)).toBe(true);
      await shoot(shop, replayCard, `console-replay-${name}-${lang}`);
    }
  }, 120_000);

  it("records as Safari does, with MediaRecorder in MP4: the take is an MP4 that plays and seeks", async () => {
    const show = await createShow(origin);
    const context = await desktop(browser);
    contexts.push(context);
    await context.addInitScript(likeSafari);
    const host = await context.newPage();
    await host.goto(show.links.host);
    await previewReady(host);
    await byTestId(host, "go-live").click();
    await host.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 10_000 });
    await host.waitForTimeout(8000);
    host.on("dialog", (dialog) => void dialog.accept());
    await byTestId(host, "end-show").click();
    let replay: { status: string; takes: Take[] } = { status: "", takes: [] };
    await expect
      .poll(async () => (replay = (await show.api(`/api/rooms/${show.room.id}/replay`)).replay).status, { timeout: 30_000, interval: 500 })
      .toBe("ready");
    expect(replay.takes).toHaveLength(1);
    const [take] = replay.takes;
    expect(take!.mime).toMatch(/^video\/mp4/);
    const file = await fetch(new URL(take!.url, origin), { headers: { Range: "bytes=0-7" } });
    expect(file.status).toBe(206);
    expect(file.headers.get("Content-Type")).toBe("video/mp4");
    // An MP4 box: its size, then its type.
    expect(new TextDecoder().decode((await file.arrayBuffer()).slice(4, 8))).toBe("ftyp");
    const player = await open(desktop, `${origin}/`);
    const result = await playsAndSeeks(player, take!.url);
    expect(result.duration).toBeGreaterThan(4);
    expect(Math.abs(result.duration * 1000 - take!.durationMs)).toBeLessThan(1000);
    expect(result.readyState).toBeGreaterThanOrEqual(2);
    expect(Math.abs(result.currentTime - result.duration / 2)).toBeLessThan(1);
    console.info(`MP4 take ${take!.id}: ${result.duration.toFixed(1)} s, seek to the middle in ${result.seekMs.toFixed(0)} ms`);
  }, 90_000);
});

/** A screenshot of the page scrolled to `what` (the whole page, so its surroundings show too). */
async function shoot(page: Page, what: ReturnType<Page["locator"]>, name: string) {
  await what.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}
