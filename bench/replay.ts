/**
 * `npm run bench:replay`: how fast an ended show's replay starts and seeks,
 * in Chromium, over the real pages and the local stack.
 *
 * A recorded show is made as a host makes one (the studio with Chromium's
 * fake camera goes live; two pins 6 s apart and a flash deal through the
 * API; the end from the studio) and its takes are finalized. Then, RUNS times, a fresh phone context (no cache)
 * opens the viewer link and we time, inside the page from navigation start:
 *
 *  - start: until the first frame of the replay's video is presented
 *    (requestVideoFrameCallback), or, when the manifest has no takes (no
 *    recording on this server), until the state-only replay is on screen;
 *  - seek to a chapter: from the tap on the second product's chapter until
 *    that product is the pinned one and, with video, a frame at the new
 *    time is presented.
 *
 * Then THROTTLED_RUNS more starts on an emulated phone network (bench:weight's:
 * 150 ms round trips, 1.6 Mbit/s down), where what the page asks for in
 * turn, not the machine's CPU, sets the time.
 *
 *   RUNS=7 THROTTLED_RUNS=5 npm run bench:replay
 */
import { cpus, loadavg } from "node:os";
import { createShow, desktop, hostKeyOf, launchBrowser, phone } from "../e2e/browser.ts";
import { startStack } from "../scripts/stack.ts";
import { writeSection } from "./results.ts";

const RUNS = Number(process.env.RUNS ?? 7);
const THROTTLED_RUNS = Number(process.env.THROTTLED_RUNS ?? 5);
/** As bench/weight.ts's: a middling mobile network. */
const SLOW = { offline: false, latency: 150, downloadThroughput: 200 * 1024, uploadThroughput: 94 * 1024 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${Math.round(value)} ms`;

/** Before the page's scripts: notes when the room's first sync was applied (the page then knows the show ended). */
function watchSync(): void {
  const page = window as unknown as { syncedAt?: number };
  new MutationObserver(() => {
    const seq = document.documentElement.dataset.seq;
    if (!page.syncedAt && seq && seq !== "0") page.syncedAt = performance.now();
  }).observe(document, { subtree: true, attributes: true, childList: true });
}

/**
 * In the page: ms from navigation start until the replay shows its first frame (with takes: a take's video may
 * appear only once the replay's clock reaches it), or its state (without takes).
 */
function startTime(withTakes: boolean): Promise<{ ms: number; video: boolean; syncedAt: number; readyAt: number }> {
  const synced = () => (window as unknown as { syncedAt?: number }).syncedAt ?? NaN;
  let readyAt = NaN;
  return new Promise((resolve) => {
    const check = () => {
      const root = document.querySelector('[data-testid="replay"][data-state="ready"]');
      if (!root) return void requestAnimationFrame(check);
      if (Number.isNaN(readyAt)) readyAt = performance.now();
      const video = root.querySelector<HTMLVideoElement>("[data-testid=replay-video]");
      if (!video && withTakes) return void requestAnimationFrame(check);
      if (!video) return resolve({ ms: performance.now(), video: false, syncedAt: synced(), readyAt });
      video.requestVideoFrameCallback(() => resolve({ ms: performance.now(), video: true, syncedAt: synced(), readyAt }));
    };
    check();
  });
}

/**
 * In the page, while the replay plays: taps the chapter of `productId` and times until it is pinned and, with
 * video, a frame is presented once the video is no longer seeking (the frame at the new time). NaN after 10 s.
 */
function seekTime(productId: string): Promise<number> {
  return new Promise((resolve) => {
    const button = document.querySelector<HTMLButtonElement>(`[data-testid=chapter][data-product-id="${productId}"]`)!;
    const started = performance.now();
    const giveUp = setTimeout(() => resolve(NaN), 10_000);
    const done = () => (clearTimeout(giveUp), resolve(performance.now() - started));
    button.click();
    const check = () => {
      if (!document.querySelector(`[data-testid=pinned-product][data-product-id="${productId}"]`)) return void requestAnimationFrame(check);
      const video = document.querySelector<HTMLVideoElement>("[data-testid=replay-video]");
      if (!video) return done();
      const frame = () => (video.seeking ? video.requestVideoFrameCallback(frame) : done());
      video.requestVideoFrameCallback(frame);
    };
    check();
  });
}


/** Until the replay's manifest says `ready` (its takes finalized), or 60 s. */
async function replayReady(origin: string, roomId: string) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
    const manifest = await fetch(`${origin}/api/rooms/${roomId}/replay`).then((r) => (r.ok ? r.json() : null), () => null);
    if (manifest?.replay?.status === "ready") return manifest.replay as { takes: unknown[] };
  }
  return null;
}

const stack = await startStack();
const browser = await launchBrowser();
try {
  // A recorded show, as a host makes one: the studio with the fake camera goes live, two pins 6 s apart, a deal, the end.
  const show = await createShow(stack.origin, 5);
  const key = hostKeyOf(show);
  const [jasmine, gaiwan] = show.products;
  const studio = await (await desktop(browser)).newPage();
  await studio.goto(show.links.host);
  await studio.locator("[data-testid=go-live]:not([disabled])").click({ timeout: 20_000 });
  await studio.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 15_000 });
  await show.api(`/api/rooms/${show.room.id}/pin`, { productId: jasmine.id }, key);
  await sleep(6000);
  await show.api(`/api/rooms/${show.room.id}/pin`, { productId: gaiwan.id }, key);
  await show.api(`/api/rooms/${show.room.id}/deals`, { productId: gaiwan.id, priceCents: 3000, durationSeconds: 30 }, key);
  await sleep(6000);
  studio.on("dialog", (dialog) => void dialog.accept());
  await studio.locator("[data-testid=end-show], [data-testid=live-end-show]").first().click();
  await studio.locator("[data-testid=live-end-confirm]").click({ timeout: 2000 }).catch(() => {});
  const replay = await replayReady(stack.origin, show.room.id);
  await studio.context().close();
  const takes = replay?.takes.length ?? 0;

  const starts: number[] = [];
  const syncs: number[] = [];
  const readies: number[] = [];
  const seeks: number[] = [];
  let withVideo = false;
  for (let run = 0; run < RUNS; run++) {
    const context = await phone(browser);
    const page = await context.newPage();
    await page.addInitScript(watchSync);
    await page.goto(show.links.viewer);
    const start = await page.evaluate(startTime, takes > 0);
    readies.push(start.readyAt);
    withVideo ||= start.video;
    starts.push(start.ms);
    syncs.push(start.syncedAt);
    // Playing: to the second chapter, then back to the first (the first, at the show's start, may have no video yet).
    seeks.push(await page.evaluate(seekTime, gaiwan.id));
    seeks.push(await page.evaluate(seekTime, jasmine.id));
    await context.close();
    console.log(`run ${run + 1}: start ${ms(start.ms)}${start.video ? " (first frame)" : " (state only)"}, seek ${ms(seeks.at(-1)!)}`);
  }

  const throttled: number[] = [];
  for (let run = 0; run < THROTTLED_RUNS; run++) {
    const context = await phone(browser);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", SLOW);
    await page.addInitScript(watchSync);
    await page.goto(show.links.viewer);
    throttled.push((await page.evaluate(startTime, takes > 0)).ms);
    await context.close();
    console.log(`throttled run ${run + 1}: start ${ms(throttled.at(-1)!)}`);
  }

  const what = withVideo
    ? "first video frame presented"
    : `state-only replay on screen: the manifest has ${takes ? `${takes} takes but no frame came` : "no takes (no recording on this server)"}`;
  const body = [
    "## Replay start and seek (`npm run bench:replay`)",
    "",
    `Chromium (headless, phone context, no cache), local stack, ${cpus().length} cores (load average ${loadavg()[0]!.toFixed(1)} while it ran: ` +
      "the machine is shared, so times stretch with it); median of " + `${RUNS} fresh page loads.`,
    "",
    "| figure | median | target |",
    "| --- | --- | --- |",
    `| replay start (navigation → ${withVideo ? "first frame" : "replay state shown"}) | ${ms(median(starts))} | ≤ 1000 ms |`,
    `| of which: the viewer page's own start (script, ticket, socket, first sync: when it learns the show ended) | ${ms(median(syncs))} | |`,
    `| and the replay's page ready (its chunk, manifest and events loaded) | ${ms(median(readies))} | |`,
    ...(throttled.length ? [`| replay start on a throttled phone network (${SLOW.latency} ms round trips, 1.6 Mbit/s down; ${throttled.length} loads) | ${ms(median(throttled))} | |`] : []),
    `| seek to a chapter (tap → product pinned${withVideo ? " and a frame at the new time" : ""}) | ${ms(median(seeks))} | ≤ 500 ms |`,
    "",
    `Measured: ${what}. All runs: start ${starts.map(ms).join(", ")}; throttled start ${throttled.map(ms).join(", ")}; seek ${seeks.map(ms).join(", ")}.`,
  ].join("\n");
  console.log(body);
  writeSection("replay", body);
} finally {
  await browser.close();
  await stack.stop();
}
