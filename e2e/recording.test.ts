/**
 * Recording without extra gear, in real Chromium with its fake camera: the
 * host goes live, a guest joins the stage, the studio reloads mid-show (two
 * takes of the host), the show ends; the replay's manifest becomes ready
 * with every take, and each take's file plays and seeks in a <video>.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close().catch(() => {});
});

async function open(kind: typeof phone, url: string): Promise<Page> {
  const context = await kind(browser);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const previewReady = (page: Page) =>
  expect.poll(() => page.evaluate(() => document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);

type Take = { id: string; publisher: string; role: string; source: string; startMs: number; durationMs: number; mime: string; url: string };

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
    const hostTakes = replay.takes.filter((t) => t.role === "host");
    const guestTakes = replay.takes.filter((t) => t.role === "guest");
    expect(hostTakes.length).toBe(2);
    expect(guestTakes.length).toBe(1);
    // One person across the reload; the second take starts after the first.
    expect(new Set(hostTakes.map((t) => t.publisher)).size).toBe(1);
    expect(hostTakes[1]!.startMs).toBeGreaterThan(hostTakes[0]!.startMs + hostTakes[0]!.durationMs - 1000);
    for (const take of replay.takes) {
      expect(take.source).toBe("camera");
      expect(take.startMs).toBeGreaterThanOrEqual(-1000);
      expect(take.startMs + take.durationMs).toBeLessThanOrEqual(replay.durationMs + 3000);
      expect(take.durationMs).toBeGreaterThan(4000);
    }
    console.info("takes", replay.takes.map((t) => `${t.role} ${t.startMs}+${t.durationMs} ms`).join(", "), `of ${replay.durationMs} ms`);

    // Each file plays and seeks in a <video>, as the replay player will use it.
    const player = await open(desktop, `${origin}/`);
    for (const take of replay.takes) {
      const result = await player.evaluate(async (url) => {
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
      }, take.url);
      expect(result.duration).toBeGreaterThan(4);
      expect(Math.abs(result.duration * 1000 - take.durationMs)).toBeLessThan(1000);
      expect(result.readyState).toBeGreaterThanOrEqual(2);
      expect(Math.abs(result.currentTime - result.duration / 2)).toBeLessThan(1);
      console.info(`take ${take.id}: ${result.duration.toFixed(1)} s, seek to the middle in ${result.seekMs.toFixed(0)} ms`);
    }
  }, 120_000);
});
