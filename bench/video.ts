/**
 * `npm run bench:video`: glass-to-glass latency and join time of the live
 * video, in Chromium, through the local SFU (sfu/), over the real pages.
 *
 * Latency: the host's studio publishes a canvas (canvas.captureStream) in
 * place of a camera. Every frame paints the sender's clock, Date.now(), as
 * 28 black/white blocks, and the same bits inverted in a second row as a
 * check. The viewer page plays it as it would a camera; on every frame it
 * presents (requestVideoFrameCallback) we draw the frame to a canvas, read
 * the blocks back, and record Date.now() − painted. Both pages run in the
 * same Chromium on the same machine, so they share one clock.
 *
 * Join: a fresh browser context (no cache, no cookies) opens the share link;
 * the time until the stage shows a second, different frame (the first
 * *moving* frame) is the join time, split into where it went.
 *
 *   DURATION=30 JOINS=7 npm run bench:video
 */
import { cpus } from "node:os";
import type { Browser, Page } from "playwright-core";
import { byTestId, createShow, desktop, launchBrowser, phone } from "../e2e/browser.ts";
import { startStack } from "../scripts/stack.ts";
import { writeSection } from "./results.ts";

const SECONDS = Number(process.env.DURATION ?? 30);
const JOINS = Number(process.env.JOINS ?? 7);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (value: number) => `${Math.round(value)} ms`;

/** Replaces the camera with a canvas that paints the clock; installed before the studio's code runs. */
function clockCamera() {
  const BITS = 28;
  const canvas = document.createElement("canvas");
  canvas.width = 640;
  canvas.height = 360;
  const g = canvas.getContext("2d")!;
  const paint = () => {
    const now = Date.now();
    const value = now % 2 ** BITS;
    g.fillStyle = "#3a3a50";
    g.fillRect(0, 0, 640, 360);
    // Something that moves, so the encoder sees a scene, not a still.
    g.fillStyle = "#ff2d55";
    g.fillRect((now / 4) % 640, 200, 60, 120);
    const w = 640 / BITS;
    for (let i = 0; i < BITS; i++) {
      const bit = Math.floor(value / 2 ** i) % 2;
      g.fillStyle = bit ? "#fff" : "#000";
      g.fillRect(i * w, 0, w, 60);
      g.fillStyle = bit ? "#000" : "#fff";
      g.fillRect(i * w, 60, w, 60);
    }
    requestAnimationFrame(paint);
  };
  paint();
  const stream = canvas.captureStream(30);
  navigator.mediaDevices.getUserMedia = async () => new MediaStream(stream.getVideoTracks());
}

/** Reads the clock back from every frame the viewer's stage presents. */
function readClock(): void {
  const BITS = 28;
  const video = document.querySelector<HTMLVideoElement>("[data-testid=stage] video")!;
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 180;
  const g = canvas.getContext("2d", { willReadFrequently: true })!;
  const state = { samples: [] as number[], unreadable: 0, width: 0, height: 0 };
  (window as unknown as { clock: typeof state }).clock = state;
  const onFrame = () => {
    const now = Date.now();
    g.drawImage(video, 0, 0, 320, 180);
    const pixels = g.getImageData(0, 0, 320, 60).data;
    const luma = (x: number, y: number) => pixels[(y * 320 + x) * 4 + 1]!;
    let value = 0;
    let readable = true;
    for (let i = 0; i < BITS; i++) {
      const x = Math.floor(((i + 0.5) * 320) / BITS);
      const top = luma(x, 15) > 128;
      const bottom = luma(x, 45) > 128;
      if (top === bottom) readable = false;
      if (top) value += 2 ** i;
    }
    if (readable) {
      // The painted value is the sender's clock modulo 2^28 (three days): unwrap it with ours.
      const painted = now - ((((now % 2 ** BITS) - value) % 2 ** BITS) + 2 ** BITS) % 2 ** BITS;
      state.samples.push(now - painted);
    } else state.unreadable++;
    state.width = video.videoWidth;
    state.height = video.videoHeight;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

/** Installed in a joining page: when the stage's first and first moving frames appear. */
function watchJoin() {
  const marks: Record<string, number> = {};
  (window as unknown as { join: typeof marks }).join = marks;
  const look = () => {
    const video = document.querySelector<HTMLVideoElement>("[data-testid=stage] video");
    if (!video) return requestAnimationFrame(look);
    let firstMediaTime: number | null = null;
    const onFrame = (_: number, frame: VideoFrameCallbackMetadata) => {
      if (firstMediaTime === null) {
        firstMediaTime = frame.mediaTime;
        marks.firstFrame = performance.now();
      } else if (frame.mediaTime > firstMediaTime) {
        marks.moving = performance.now();
        marks.movingAt = Date.now();
        return;
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  look();
}

/** Polls `condition` in the page (a function: the pages' CSP allows no eval). */
async function waitFor(page: Page, what: string, condition: () => unknown, timeout = 15_000) {
  await page.waitForFunction(condition, null, { timeout, polling: 50 }).catch((error: Error) => {
    throw new Error(`waiting for ${what}: ${error.message}`);
  });
}

const stack = await startStack();
let browser: Browser | null = null;
try {
  browser = await launchBrowser();
  const show = await createShow(stack.origin);

  const hostContext = await desktop(browser);
  await hostContext.addInitScript(clockCamera);
  const host = await hostContext.newPage();
  await host.goto(show.links.host);
  await waitFor(host, "the studio's preview", () => (document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0) > 0);
  await byTestId(host, "go-live").click();
  await waitFor(host, "the host on stage", () => document.querySelector<HTMLElement>("[data-testid=host-camera]")?.dataset.state === "on");

  // ---------------------------------------------------------------- glass to glass
  const viewer = await (await phone(browser)).newPage();
  await viewer.goto(show.links.viewer);
  await waitFor(viewer, "the viewer's first frame", () => (document.querySelector<HTMLVideoElement>("[data-testid=stage] video")?.videoWidth ?? 0) > 0);
  // Let the sender's bitrate settle before measuring, as it would a few seconds into a show.
  await viewer.waitForTimeout(3000);
  await viewer.evaluate(readClock);
  console.log(`measuring glass-to-glass latency for ${SECONDS} s…`);
  await viewer.waitForTimeout(SECONDS * 1000);
  const clock = await viewer.evaluate(() => (window as unknown as { clock: { samples: number[]; unreadable: number; width: number; height: number } }).clock);
  await viewer.context().close();
  if (clock.samples.length < SECONDS * 10) throw new Error(`only ${clock.samples.length} readable frames in ${SECONDS} s (${clock.unreadable} unreadable)`);
  const latency = {
    frames: clock.samples.length,
    unreadable: clock.unreadable,
    fps: clock.samples.length / SECONDS,
    p50: percentile(clock.samples, 50),
    p95: percentile(clock.samples, 95),
    p99: percentile(clock.samples, 99),
    max: Math.max(...clock.samples),
    min: Math.min(...clock.samples),
    size: `${clock.width}×${clock.height}`,
  };
  console.log("latency", latency);

  // ---------------------------------------------------------------- join time
  const joins: Array<{ total: number; loaded: number; session: number; firstFrame: number; moving: number }> = [];
  for (let i = 0; i < JOINS; i++) {
    const context = await phone(browser);
    await context.addInitScript(watchJoin);
    const page = await context.newPage();
    const openedAt = Date.now();
    await page.goto(show.links.viewer, { waitUntil: "commit" });
    await waitFor(page, `join ${i + 1}'s first moving frame`, () => ((window as unknown as { join?: { moving?: number } }).join?.moving ?? 0) > 0);
    const marks = await page.evaluate(() => {
      const join = (window as unknown as { join: { firstFrame: number; moving: number; movingAt: number } }).join;
      const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const calls = performance.getEntriesByType("resource").filter((entry) => entry.name.includes("/calls/"));
      const opened = calls.find((entry) => entry.name.endsWith("/sessions/new"));
      return { ...join, loaded: navigation.domContentLoadedEventEnd, sessionRequested: opened?.startTime ?? NaN };
    });
    joins.push({
      total: marks.movingAt - openedAt,
      loaded: marks.loaded,
      session: marks.sessionRequested,
      firstFrame: marks.firstFrame,
      moving: marks.moving,
    });
    console.log(`join ${i + 1}:`, joins.at(-1));
    await context.close();
  }
  const totals = joins.map((join) => join.total);
  const median = (key: keyof (typeof joins)[number]) => percentile(joins.map((join) => join[key]), 50);

  const cpu = `${cpus().length} cores, ${cpus()[0]?.model.trim()}`;
  writeSection(
    "video",
    `## Live video: glass-to-glass latency and join time (\`npm run bench:video\`)

Measured ${new Date().toISOString().slice(0, 10)} on this project's machine (${cpu}): Debian's Chromium (headless) and the
local SFU (\`sfu/\`, werift on Node) with \`wrangler dev\` on the same machine, all traffic on loopback (127.0.0.1),
one host publishing, through the real studio and viewer pages and the room's Calls proxy.

| measure | p50 | p95 | p99 | max | samples | goal |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| glass-to-glass latency | **${ms(latency.p50)}** | ${ms(latency.p95)} | ${ms(latency.p99)} | ${ms(latency.max)} | ${latency.frames} frames over ${SECONDS} s | p50 ≤ 300 ms |
| join: share link opened → first moving frame | **${ms(percentile(totals, 50))}** | | | ${ms(Math.max(...totals))} | ${JOINS} joins | ≤ 1.5 s |

For comparison, HLS-based live-shopping players run **7–11 s** behind the host (Bambuser's own FAQ figure).

*Latency* is the sender's clock painted into each frame of a canvas track (\`canvas.captureStream(30)\`, 640×360, in place of
the camera; 28 black/white blocks plus an inverted check row) minus the viewer's clock when Chromium presents that frame
(\`requestVideoFrameCallback\`, then \`drawImage\` and \`getImageData\` to read the blocks; ${latency.unreadable} frames
unreadable and left out, ${latency.fps.toFixed(1)} frames/s read, received at ${latency.size}). It includes capture from the
canvas, VP8 encoding, packetisation, the SFU's forwarding, the jitter buffer, decoding and presentation. It excludes a real
camera's exposure and readout, the display's scan-out, and any real network: no RTT, no loss, no jitter, no TURN, no
Cloudflare edge. Sender, SFU, viewer and Worker share ${cpus().length} cores, so CPU contention is included.

*Join* is measured from \`page.goto(viewer link)\` in a fresh browser context (nothing cached) to the stage's first frame
whose media time differs from the first one's. Medians of where it went, from the start of navigation: page loaded
(DOMContentLoaded) ${ms(median("loaded"))}; \`sessions/new\` requested (room socket synced, the stage known)
${ms(median("session"))}; first frame ${ms(median("firstFrame"))}; first moving frame ${ms(median("moving"))}. The pull path
(Calls client and player, about 2 KB gzipped) is in the viewer page's main script rather than a lazy chunk, so it costs
no extra round trip before the session can open. On a real network add the round trips of the page, the socket, three
Calls API calls through the Worker (\`sessions/new\` with \`ice-servers\` alongside, \`tracks/new\`, \`renegotiate\`) and
ICE/DTLS.`,
  );
} finally {
  await browser?.close();
  await stack.stop();
}
