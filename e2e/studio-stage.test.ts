/**
 * The stage between the studio and its viewers, in real Chromium with its
 * fake camera through the local SFU: a camera turned off shows the host's
 * poster (and keeps the sound), a studio reloaded mid-show goes back on stage
 * by itself, and the studio shows every publisher's video, guests' included.
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
// Each test's pages go when it ends: live video in several pages at once is heavy for a 2-core machine.
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

/** Frames presented (requestVideoFrameCallback) and decoded width of every video `selector` finds, shown or not. */
const videos = (page: Page, selector: string) =>
  page.evaluate(
    (selector) =>
      [...document.querySelectorAll<HTMLVideoElement & { frames?: number }>(selector)].map((video) => {
        if (video.frames === undefined) {
          video.frames = 0;
          const count = () => {
            video.frames!++;
            video.requestVideoFrameCallback(count);
          };
          video.requestVideoFrameCallback(count);
        }
        return { frames: video.frames, width: video.videoWidth, time: video.currentTime, shown: video.checkVisibility(), paused: video.paused, muted: video.muted };
      }),
    selector,
  );

/** Waits until `selector` finds `count` videos, each shown, with a picture, presenting new frames. */
async function expectPlaying(page: Page, selector: string, count: number, timeout = 15_000) {
  await expect
    .poll(
      async () => {
        const before = await videos(page, selector);
        await page.waitForTimeout(500);
        const after = await videos(page, selector);
        return after.length === count && before.length === count && after.every((v, i) => v.shown && v.width > 0 && v.frames >= before[i]!.frames + 5);
      },
      { timeout },
    )
    .toBe(true);
}

const STAGE = "[data-testid=stage] video";

async function goLive(show: Awaited<ReturnType<typeof createShow>>) {
  const host = await open(desktop, show.links.host);
  await expect.poll(() => host.evaluate(() => document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
  await byTestId(host, "go-live").click();
  await host.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 10_000 });
  return host;
}

/** The sessions that have tracks on the stage, as the API tells anyone. */
const stageSessions = async (show: Awaited<ReturnType<typeof createShow>>) =>
  [...new Set(((await show.api(`/api/rooms/${show.room.id}`)).room.stage as Array<{ sessionId: string }>).map((t) => t.sessionId))];

describe("the stage as the studio runs it", () => {
  it("camera off: viewers see the host's poster with the shop's name instead of black, and keep hearing the host", async () => {
    const show = await createShow(origin);
    const host = await goLive(show);
    const viewer = await open(phone, show.links.viewer);
    await expectPlaying(viewer, STAGE, 1);
    await byTestId(viewer, "unmute").click();

    await byTestId(host, "camera-button").click();
    const poster = viewer.locator("[data-testid=stage] .poster-live");
    await poster.waitFor({ timeout: 5000 });
    expect(await poster.textContent()).toContain("Lotus Tea House");
    expect(await poster.locator(".poster-avatar").textContent()).toBe("L");
    expect(await poster.isVisible()).toBe(true);
    // No black video on screen: the host's tile is heard, not seen, and its sound goes on (unmuted, as the viewer chose).
    expect(await viewer.locator(STAGE).count()).toBe(0);
    const sound = () =>
      viewer.evaluate(() => {
        const audio = document.querySelector<HTMLAudioElement>("[data-testid=stage] audio");
        return audio && { time: audio.currentTime, paused: audio.paused, muted: audio.muted, tracks: (audio.srcObject as MediaStream).getAudioTracks().map((t) => t.readyState) };
      });
    await expect.poll(async () => (await sound())?.time ?? 0, { timeout: 5000 }).toBeGreaterThan(0.5);
    const heard = (await sound())!;
    expect(heard).toMatchObject({ paused: false, muted: false, tracks: ["live"] });
    await expect.poll(async () => (await sound())!.time, { timeout: 3000 }).toBeGreaterThan(heard.time + 1);
    expect(await byTestId(viewer, "unmute").count()).toBe(0);

    // A viewer joining now sees the poster too (the state is on the stage, not only in an event).
    const late = await open(phone, show.links.viewer);
    await late.locator("[data-testid=stage] .poster-live").waitFor({ timeout: 10_000 });
    expect(await late.locator(STAGE).count()).toBe(0);

    await byTestId(host, "camera-button").click();
    for (const page of [viewer, late]) {
      await expect.poll(() => page.locator("[data-testid=stage] .poster-live").count(), { timeout: 5000 }).toBe(0);
      await expectPlaying(page, STAGE, 1);
    }
  });

  it("a studio reloaded mid-show goes back on stage by itself, and the old session's tracks leave it", async () => {
    const show = await createShow(origin);
    const host = await goLive(show);
    const viewer = await open(phone, show.links.viewer);
    await expectPlaying(viewer, STAGE, 1);
    const [before] = await stageSessions(show);

    // The page's goodbye (closing its tracks on the way out) is lost, as when a phone's browser is killed:
    // the old session's tracks are still on stage when the page comes back, and it must take them off.
    await host.evaluate(() => {
      const real = window.fetch;
      window.fetch = (input, init) => (String(input).includes("/tracks/close") ? Promise.reject(new TypeError("lost")) : real(input, init));
    });
    let removals = 0;
    await host.route("**/stage/remove", (route) => {
      removals++;
      return route.continue();
    });
    const reloaded = Date.now();
    await host.reload();
    // Nobody taps anything: the studio publishes again, and only its new session is on stage.
    await expect.poll(async () => {
      const sessions = await stageSessions(show);
      return sessions.length === 1 && sessions[0] !== before;
    }, { timeout: 15_000 }).toBe(true);
    await expectPlaying(viewer, STAGE, 1, Math.max(1000, 15_000 - (Date.now() - reloaded)));
    console.info(`viewers play the host again ${Date.now() - reloaded} ms after the studio reloaded`);
    expect(removals).toBe(1);
    await host.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 1000 });
  });

  it("camera off beside a guest: the host's place on the stage shows the host's poster, next to the guest's picture", async () => {
    const show = await createShow(origin);
    const host = await goLive(show);
    const guest = await open(phone, show.links.guest);
    await expect.poll(() => guest.evaluate(() => document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
    await byTestId(guest, "join-stage").click();
    await guest.locator("[data-testid=guest-panel][data-state=on]").waitFor({ timeout: 10_000 });
    const viewer = await open(desktop, show.links.viewer);
    // Two cameras and a viewer in one browser on a 2-core machine: give the first pictures time.
    await expectPlaying(viewer, STAGE, 2, 30_000);

    await byTestId(host, "camera-button").click();
    const off = viewer.locator("[data-testid=stage] [data-testid=tile-off][data-role=host]");
    await off.waitFor({ timeout: 5000 });
    expect(await off.textContent()).toContain("Lotus Tea House");
    const tile = (await off.boundingBox())!;
    // A tile of its own, beside the guest's, not a sliver.
    expect(tile.width).toBeGreaterThan(200);
    expect(tile.height).toBeGreaterThan(200);
    await expectPlaying(viewer, `${STAGE}[data-role=guest]`, 1);
    expect(await viewer.locator(`${STAGE}[data-role=host]`).count()).toBe(0);
    await viewer.screenshot({ path: "e2e/.artifacts/stage-host-camera-off-beside-guest.png" });

    await byTestId(host, "camera-button").click();
    await expect.poll(() => off.count(), { timeout: 5000 }).toBe(0);
    await expectPlaying(viewer, STAGE, 2, 30_000);
  });

  it("the studio shows every publisher's video, the guest's too, and can still remove the guest", async () => {
    const show = await createShow(origin);
    const host = await goLive(show);
    // The host's own entry shows its camera.
    await expectPlaying(host, "[data-testid=stage-entry][data-role=host] video", 1);

    const guest = await open(phone, show.links.guest);
    await expect.poll(() => guest.evaluate(() => document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
    await byTestId(guest, "join-stage").click();
    await guest.locator("[data-testid=guest-panel][data-state=on]").waitFor({ timeout: 10_000 });
    await expectPlaying(host, "[data-testid=stage-entry][data-role=guest] video", 1);

    await host.locator("[data-testid=stage-entry][data-role=guest] [data-testid=remove-from-stage]").click();
    await expect.poll(() => host.locator("[data-testid=stage-entry][data-role=guest]").count(), { timeout: 5000 }).toBe(0);
    await expectPlaying(host, "[data-testid=stage-entry] video", 1);
  });
});
