/**
 * `npm run bench:recording`: what recording costs the host's page, and how
 * long finalization takes, through the real stack (wrangler dev, the local
 * SFU, Debian's Chromium with its fake camera).
 *
 * CPU: the real studio goes live and publishes for SECONDS (20) twice, once
 * with recording on and once with it off (the show's switch), each in a
 * fresh browser. Two measures over the same window: the page's main thread
 * (CDP Performance.getMetrics, TaskDuration) and every Chromium process's
 * CPU time (CDP SystemInfo.getProcessInfo), since MediaRecorder encodes off
 * the main thread.
 *
 * Finalization: a 20 s recording made by Chromium's MediaRecorder, and a
 * 5 min one built from it (its packets looped with shifted timestamps,
 * written as MediaRecorder writes: no Cues, no duration), each uploaded as
 * 2-second-sized chunks to a live show's take; the show ends and we time
 * until its manifest is ready (which includes the queue's 3 s grace for the
 * last chunks, reported apart).
 *
 *   SECONDS=20 npm run bench:recording
 */
import { cpus } from "node:os";
import type { Browser, CDPSession, Page } from "playwright-core";
import { ALL_FORMATS, BufferSource, BufferTarget, EncodedAudioPacketSource, EncodedPacketSink, EncodedVideoPacketSource, Input, Output, WebMOutputFormat } from "mediabunny";
import { byTestId, createShow, desktop, launchBrowser } from "../e2e/browser.ts";
import { api, startStack } from "../scripts/stack.ts";
import { writeSection } from "./results.ts";

const SECONDS = Number(process.env.SECONDS ?? 20);
/** As durable-objects/recording-end.ts: the queue waits this long for the publishers' last chunks. */
const LAST_CHUNKS_GRACE_S = 3;
const hostKeyOf = (show: { links: { host: string } }) => new URL(show.links.host).hash.replace("#key=", "");
const cpu = `${cpus().length} cores, ${cpus()[0]?.model.trim() ?? "unknown CPU"}`;

const stack = await startStack();
const origin = stack.origin;

async function processCpu(cdp: CDPSession): Promise<number> {
  const { processInfo } = (await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: Array<{ cpuTime: number }> };
  return processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
}

/** The page's main-thread task time so far (seconds), on one CDP session enabled once: enabling again restarts the count. */
async function taskDuration(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: Array<{ name: string; value: number }> };
  return metrics.find((m) => m.name === "TaskDuration")!.value;
}

/** One studio run: live with the fake camera, measured over SECONDS once the recorder (if any) runs. */
async function studioRun(recording: boolean) {
  const show = await createShow(origin);
  const patched = await fetch(`${origin}/api/shops/${show.shop.id}/rooms/${show.room.id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${show.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ recording }),
  });
  if (!patched.ok) throw new Error(`PATCH recording: ${patched.status}`);
  const browser: Browser = await launchBrowser();
  try {
    const context = await desktop(browser, "en-US", 1366, 900);
    const host = await context.newPage();
    let chunks = 0;
    host.on("requestfinished", (request) => {
      if (/\/recording\/takes\/[^/]+\/chunks\//.test(request.url())) chunks++;
    });
    await host.goto(show.links.host);
    await host.waitForFunction(() => (document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0) > 0, null, { timeout: 15_000 });
    await byTestId(host, "go-live").click();
    await host.locator("[data-testid=host-camera][data-state=on]").waitFor({ timeout: 15_000 });
    // Settle: the call connects, the recorder (when on) loads and cuts its first chunk.
    await host.waitForTimeout(4000);
    const browserCdp = await browser.newBrowserCDPSession();
    const pageCdp = await context.newCDPSession(host);
    await pageCdp.send("Performance.enable");
    const [cpu0, task0, chunks0] = [await processCpu(browserCdp), await taskDuration(pageCdp), chunks];
    await host.waitForTimeout(SECONDS * 1000);
    const [cpu1, task1, chunks1] = [await processCpu(browserCdp), await taskDuration(pageCdp), chunks];
    await context.close();
    return { mainThread: (task1 - task0) / SECONDS, allProcesses: (cpu1 - cpu0) / SECONDS, chunks: chunks1 - chunks0 };
  } finally {
    await browser.close();
  }
}

/** A recording from Chromium's MediaRecorder, as the studio makes it (fake camera, 2-second timeslice). */
async function chromiumRecording(seconds: number): Promise<Uint8Array> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const b64 = await page.evaluate(async (seconds) => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 30 }, audio: true });
      const recorder = new MediaRecorder(stream, { mimeType: "video/webm;codecs=vp8,opus", videoBitsPerSecond: 1_200_000 });
      const parts: Blob[] = [];
      recorder.ondataavailable = (event) => parts.push(event.data);
      recorder.start(2000);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      await new Promise((resolve) => {
        recorder.onstop = resolve;
        recorder.stop();
      });
      const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
      let text = "";
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    }, seconds);
    return new Uint8Array(Buffer.from(b64, "base64"));
  } finally {
    await browser.close();
  }
}

/** The recording's packets `times` over, end to end, written as MediaRecorder writes (append-only: no Cues, no duration). */
async function looped(bytes: Uint8Array, times: number): Promise<Uint8Array> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const duration = Math.ceil((await input.computeDuration()) * 1000 + 1) / 1000;
  const output = new Output({ format: new WebMOutputFormat({ appendOnly: true }), target: new BufferTarget() });
  const video = (await input.getPrimaryVideoTrack())!;
  const audio = (await input.getPrimaryAudioTrack())!;
  const videoSource = new EncodedVideoPacketSource(video.codec!);
  const audioSource = new EncodedAudioPacketSource(audio.codec!);
  output.addVideoTrack(videoSource);
  output.addAudioTrack(audioSource);
  await output.start();
  const [videoConfig, audioConfig] = [await video.getDecoderConfig(), await audio.getDecoderConfig()];
  const videoPackets = [];
  for await (const packet of new EncodedPacketSink(video).packets()) videoPackets.push(packet);
  const audioPackets = [];
  for await (const packet of new EncodedPacketSink(audio).packets()) audioPackets.push(packet);
  for (let loop = 0; loop < times; loop++) {
    const shift = loop * duration;
    // Interleaved by time, as a recorder writes them.
    const all = [...videoPackets.map((p) => ["video", p] as const), ...audioPackets.map((p) => ["audio", p] as const)].sort((a, b) => a[1].timestamp - b[1].timestamp);
    for (const [kind, packet] of all) {
      // On whole milliseconds, as WebM keeps them: float sums must not step back across a loop.
      const moved = packet.clone({ timestamp: Math.round((packet.timestamp + shift) * 1000) / 1000 });
      if (kind === "video") await videoSource.add(moved, loop === 0 && packet === videoPackets[0] ? { decoderConfig: videoConfig! } : undefined);
      else await audioSource.add(moved, loop === 0 && packet === audioPackets[0] ? { decoderConfig: audioConfig! } : undefined);
    }
  }
  await output.finalize();
  return new Uint8Array(output.target.buffer!);
}

/** Uploads `bytes` as a take of a live show in chunks of about 2 seconds each, ends the show, and times finalization. */
async function finalization(bytes: Uint8Array, seconds: number) {
  const show = await createShow(origin);
  const hostKey = hostKeyOf(show);
  await api(origin, `/api/rooms/${show.room.id}/status`, { status: "live" }, hostKey);
  const ticket = await api(origin, `/api/rooms/${show.room.id}/tickets`, {}, hostKey);
  const headers = { authorization: `Bearer ${hostKey}`, "x-viewer-token": ticket.viewer.token };
  const started = await fetch(`${origin}/api/rooms/${show.room.id}/recording/takes`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ source: "camera", mime: "video/webm;codecs=vp8,opus", startedAt: Date.now() }),
  });
  if (!started.ok) throw new Error(`take: ${started.status} ${await started.text()}`);
  const { take } = await started.json();
  const chunkBytes = Math.ceil(bytes.length / Math.ceil(seconds / 2));
  for (let n = 0, at = 0; at < bytes.length; n++, at += chunkBytes) {
    const res = await fetch(`${origin}/api/rooms/${show.room.id}/recording/takes/${take.id}/chunks/${n}`, { method: "PUT", headers, body: bytes.slice(at, at + chunkBytes) as Uint8Array<ArrayBuffer> });
    if (!res.ok) throw new Error(`chunk ${n}: ${res.status} ${await res.text()}`);
  }
  const ended = performance.now();
  await api(origin, `/api/rooms/${show.room.id}/status`, { status: "ended" }, hostKey);
  let replay;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    replay = (await api(origin, `/api/rooms/${show.room.id}/replay`)).replay;
  } while (replay.status !== "ready" && performance.now() - ended < 300_000);
  const total = performance.now() - ended;
  return { bytes: bytes.length, total, remux: total - LAST_CHUNKS_GRACE_S * 1000, durationMs: replay.takes[0]?.durationMs ?? 0 };
}

try {
  const off = await studioRun(false);
  const on = await studioRun(true);
  console.log("studio", { off, on });
  const short = await chromiumRecording(20);
  const long = await looped(short, 15);
  const fin20 = await finalization(short, 20);
  const fin300 = await finalization(long, 300);
  console.log("finalization", { fin20, fin300 });

  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  writeSection(
    "recording",
    `## Recording: host-page CPU, and finalization (\`npm run bench:recording\`)

Measured ${new Date().toISOString().slice(0, 10)} on this project's machine (${cpu}): Debian's Chromium (headless, no GPU, fake camera
at the studio's 1280×720) publishing through the real studio to the local SFU, \`wrangler dev\` (workerd, local R2, D1 and Queues) on the same machine.
CPU is averaged over ${SECONDS} s of a live studio, in a fresh browser per run; 100 % is one core. *All processes* is every
Chromium process's CPU time (CDP SystemInfo.getProcessInfo: the encoders run off the main thread); *main thread* is the
studio page's TaskDuration (CDP Performance.getMetrics).

| studio, live ${SECONDS} s | all Chromium processes | page main thread | chunks uploaded |
| --- | ---: | ---: | ---: |
| recording off | ${pct(off.allProcesses)} | ${pct(off.mainThread)} | ${off.chunks} |
| recording on | ${pct(on.allProcesses)} | ${pct(on.mainThread)} | ${on.chunks} |
| **added by recording** | **${pct(on.allProcesses - off.allProcesses)}** of a core (${pct((on.allProcesses - off.allProcesses) / off.allProcesses)} more) | ${pct(on.mainThread - off.mainThread)} | |

Finalization: show ended → manifest \`ready\`, one take uploaded in 2-second-sized chunks; *remux* subtracts the
${LAST_CHUNKS_GRACE_S} s the queue waits for publishers' last chunks. The 5 min file is the 20 s one's packets looped (real VP8/Opus data).

| recording | size | show ended → ready | of which remux (mediabunny in workerd, R2 in and out) | duration found |
| --- | ---: | ---: | ---: | ---: |
| 20 s (Chromium MediaRecorder) | ${mb(fin20.bytes)} | ${s(fin20.total)} | **${s(fin20.remux)}** | ${s(fin20.durationMs)} |
| 5 min | ${mb(fin300.bytes)} | ${s(fin300.total)} | **${s(fin300.remux)}** | ${s(fin300.durationMs)} |
`,
  );
} finally {
  await stack.stop();
}
