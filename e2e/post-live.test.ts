/**
 * Post-live as the "done when" tells it, in real Chromium with its
 * fake camera: a brand ends a show it ran with a guest; a new viewer opens
 * the same link minutes later, watches the replay (the recordings play, laid
 * out as they were), jumps to the gaiwan's chapter, sees the chat line
 * written at that moment, and buys the gaiwan from the replay; the show's
 * numbers count the live viewers, the replay's viewer and its order.
 */
import { mkdirSync } from "node:fs";
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from "mediabunny";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, checkout, createShow, desktop, fitsWidth, hostKeyOf, launchBrowser, online, phone, sendChat, openPage, previewReady } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/shots/post-live";
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
});

const open = (kind: (b: Browser, locale?: string) => Promise<BrowserContext>, url: string, locale = "en-US") => openPage(browser, contexts, kind, url, locale);

/** What each replay video shows: its take's role, whether it has a picture, and where it is in its file. */
const videos = (page: Page) =>
  page.locator("[data-testid=replay-video]").evaluateAll((els) =>
    (els as HTMLVideoElement[]).map((video) => ({ role: video.dataset.role, readyState: video.readyState, width: video.videoWidth, currentTime: video.currentTime })),
  );

/** Counts the MediaRecorders a page makes: the publishers record what WebRTC already encodes, not a second encode. */
const countMediaRecorders = (page: Page) =>
  page.addInitScript(() => {
    const Recorder = window.MediaRecorder;
    const counted = window as unknown as { mediaRecorders: number };
    counted.mediaRecorders = 0;
    window.MediaRecorder = class extends Recorder {
      constructor(...args: ConstructorParameters<typeof MediaRecorder>) {
        super(...args);
        counted.mediaRecorders++;
      }
    };
  });
const mediaRecorders = (page: Page) => page.evaluate(() => (window as unknown as { mediaRecorders: number }).mediaRecorders);

/** A take's file as a player reads it: its tracks, its length, and the longest wait between key frames (what a seek decodes from). */
async function takeFile(url: string) {
  const input = new Input({ source: new BufferSource(await (await fetch(url)).arrayBuffer()), formats: ALL_FORMATS });
  const video = await input.getPrimaryVideoTrack();
  const keys: number[] = [];
  if (video) for await (const packet of new EncodedPacketSink(video).packets(undefined, undefined, { metadataOnly: true })) if (packet.type === "key") keys.push(packet.timestamp);
  const duration = await input.computeDuration();
  const gaps = [...keys, duration].map((t, i, all) => (i ? t - all[i - 1]! : 0));
  return { video: video?.codec ?? null, audio: (await input.getPrimaryAudioTrack())?.codec ?? null, duration, longestKeyGap: Math.max(...gaps) };
}

describe("after the show", () => {
  it("a new viewer watches the recorded replay with the guest, jumps to the gaiwan, sees the chat of that moment and buys it", async () => {
    const show = await createShow(origin);
    const key = hostKeyOf(show);
    const [, gaiwan] = show.products;

    // Live: the host in the studio, a guest on stage, a viewer chatting.
    const host = await open(desktop, "about:blank");
    await countMediaRecorders(host);
    await host.goto(show.links.host);
    await previewReady(host);
    await byTestId(host, "go-live").click();
    await host.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 10_000 });
    const guest = await open(phone, "about:blank");
    await countMediaRecorders(guest);
    await guest.goto(show.links.guest);
    await previewReady(guest);
    await byTestId(guest, "join-stage").click();
    await guest.locator("[data-testid=guest-panel][data-state=on]").waitFor({ timeout: 10_000 });
    const viewer = await open(phone, show.links.viewer);
    await online(viewer);
    await host.waitForTimeout(4000);
    await sendChat(viewer, "can we see the gaiwan up close?");
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: gaiwan.id }, key);
    await host.waitForTimeout(6000);
    await sendChat(viewer, "ordered two, thank you!");
    await host.waitForTimeout(4000);

    // The brand ends the show from the studio.
    host.on("dialog", (dialog) => void dialog.accept());
    await byTestId(host, "end-show").or(byTestId(host, "live-end-show")).first().click();
    await byTestId(host, "live-end-confirm").click({ timeout: 2000 }).catch(() => {});
    await expect.poll(async () => (await show.api(`/api/rooms/${show.room.id}`)).room.status, { timeout: 5000 }).toBe("ended");
    let replay: { status: string; takes: Array<{ role: string; startMs: number; url: string }> } = { status: "", takes: [] };
    await expect
      .poll(async () => (replay = (await show.api(`/api/rooms/${show.room.id}/replay`)).replay).status, { timeout: 30_000, interval: 500 })
      .toBe("ready");
    expect(replay.takes.map((take) => take.role).sort()).toEqual(["guest", "host"]);
    // Recorded from the frames sent to viewers (no second encoder), with a key frame every few seconds, so a seek is quick
    // (asked for every 3 s; a loaded machine's encoder can be late, and without asking there is one per viewer who joins).
    expect([await mediaRecorders(host), await mediaRecorders(guest)]).toEqual([0, 0]);
    for (const take of replay.takes) {
      const file = await takeFile(new URL(take.url, origin).href);
      expect(file, take.role).toMatchObject({ video: "vp8", audio: "opus" });
      expect(file.duration, take.role).toBeGreaterThan(10);
      expect(file.longestKeyGap, take.role).toBeLessThan(10);
    }

    // Later: a new viewer on a phone opens the same link and gets the replay, the recordings playing.
    const later = await open(phone, show.links.viewer);
    await later.locator('[data-testid="replay"][data-state="ready"]').waitFor({ timeout: 15_000 });
    // It opens where the recording begins (a moment after the show went live), not on a poster before it.
    const firstTake = Math.min(...replay.takes.map((take) => take.startMs));
    expect(Number(await byTestId(later, "replay").getAttribute("data-t"))).toBeGreaterThanOrEqual(firstTake - 1);
    await expect
      .poll(async () => (await videos(later)).filter((video) => video.readyState >= 2 && video.width > 0).map((video) => video.role).sort(), { timeout: 10_000 })
      .toEqual(["guest", "host"]);
    const before = (await videos(later))[0]!.currentTime;
    await expect.poll(async () => (await videos(later))[0]!.currentTime, { timeout: 5000 }).toBeGreaterThan(before);

    // The gaiwan's chapter: the video jumps there, the gaiwan is pinned, and the line written just before is in the chat.
    const chapter = later.locator(`[data-testid=chapter][data-product-id="${gaiwan.id}"]`);
    const at = Number(await chapter.getAttribute("data-at"));
    await chapter.click();
    await later.locator(`[data-testid=pinned-product][data-product-id="${gaiwan.id}"]`).waitFor({ timeout: 1000 });
    const texts = await later.locator('[data-testid="chat-message"] .chat-text').allTextContents();
    expect(texts).toContain("can we see the gaiwan up close?");
    expect(texts).not.toContain("ordered two, thank you!");
    const replayAt = Number(await byTestId(later, "replay").getAttribute("data-t"));
    expect(replayAt - at).toBeGreaterThanOrEqual(0);
    expect(replayAt - at).toBeLessThan(1500);
    await expect.poll(async () => (await videos(later)).every((video) => video.readyState >= 2), { timeout: 5000 }).toBe(true);
    expect(await fitsWidth(later)).toBe(true);
    await later.screenshot({ path: `${SHOTS}/replay-recorded-phone-en.png` });

    // Buy it from the replay.
    if ((await byTestId(later, "replay").getAttribute("data-playing")) === "true") await byTestId(later, "play-pause").click();
    await later.locator(`[data-testid=pinned-product][data-product-id="${gaiwan.id}"] [data-testid=buy-now]`).click();
    await checkout(later, { name: "Lan", email: "lan@example.com" });
    await byTestId(later, "order-confirmation").waitFor({ timeout: 10_000 });
    expect(await byTestId(later, "order-total").textContent()).toContain("45.00");
    const { orders } = await show.api(`/api/shops/${show.shop.id}/orders`, undefined, show.apiKey);
    expect(orders.map((order: { productId: string; roomId: string }) => [order.productId, order.roomId])).toEqual([[gaiwan.id, show.room.id]]);

    // The show's numbers: the live viewers, the replay's viewer, the order it took, by phase.
    await expect
      .poll(
        async () => {
          const { numbers } = await show.api(`/api/rooms/${show.room.id}/numbers`, undefined, key);
          const replayPhase = numbers.phases.find((phase: { phase: string }) => phase.phase === "replay");
          return { chat: numbers.total.chatMessages, orders: numbers.total.orders, replayWatched: (replayPhase?.uniqueViewers ?? 0) > 0, replayOrders: replayPhase?.orders ?? 0 };
        },
        { timeout: 15_000, interval: 500 },
      )
      .toEqual({ chat: 2, orders: 1, replayWatched: true, replayOrders: 1 });

    // In Chinese, on a desktop, the same replay.
    const zh = await open((b, locale) => desktop(b, locale, 1366, 900), `${show.links.viewer}?product=${gaiwan.id}`, "zh-CN");
    await zh.locator('[data-testid="replay"][data-state="ready"]').waitFor({ timeout: 15_000 });
    expect(await byTestId(zh, "replay-badge").textContent()).toBe("回放");
    await expect.poll(async () => (await videos(zh)).filter((video) => video.readyState >= 2).length, { timeout: 10_000 }).toBe(2);
    expect(await fitsWidth(zh)).toBe(true);
    await zh.screenshot({ path: `${SHOTS}/replay-recorded-desktop-zh.png` });
  }, 150_000);
});
