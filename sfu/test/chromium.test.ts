// Debian's Chromium through the local SFU: one page publishes its fake camera
// and microphone, two pages pull them and must play moving video. The pages
// reach the SFU through a small proxy that adds the app secret, as the
// Worker does in production; the page code is the plain Calls flow.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { APP_ID, APP_SECRET, startTestSfu, waitForAsync } from "./helpers.ts";
import type { TestSfu } from "./helpers.ts";

const CHROME_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";

/** The browser side, written as an app would against Calls (via a same-origin proxy at /calls). */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>local SFU test</title>
<body>
<script>
async function api(method, path, body) {
  const response = await fetch("/calls" + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok || json.errorCode) throw new Error(method + " " + path + ": " + JSON.stringify(json));
  return json;
}
function connected(pc) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pc.connectionState === "connected") resolve();
      if (pc.connectionState === "failed") reject(new Error("peer connection failed"));
    };
    pc.addEventListener("connectionstatechange", check);
    check();
  });
}
window.publish = async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
  const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
  const transceivers = stream.getTracks().map((track) => pc.addTransceiver(track, { direction: "sendonly" }));
  const { sessionId } = await api("POST", "/sessions/new");
  await pc.setLocalDescription(await pc.createOffer());
  const published = await api("POST", "/sessions/" + sessionId + "/tracks/new", {
    sessionDescription: { type: "offer", sdp: pc.localDescription.sdp },
    tracks: transceivers.map((t) => ({ location: "local", mid: t.mid, trackName: t.sender.track.kind })),
  });
  await pc.setRemoteDescription(published.sessionDescription);
  await connected(pc);
  window.publisher = { pc, sessionId };
  return sessionId;
};
window.view = async (publisherSessionId) => {
  const stats = { frames: 0, startedAt: performance.now(), firstFrameMs: null, width: 0, height: 0 };
  const video = document.createElement("video");
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  document.body.append(video);
  const onFrame = (_now, metadata) => {
    stats.frames++;
    stats.firstFrameMs ??= performance.now() - stats.startedAt;
    stats.width = metadata.width;
    stats.height = metadata.height;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
  pc.ontrack = (event) => {
    if (event.track.kind === "video") video.srcObject = event.streams[0] ?? new MediaStream([event.track]);
  };
  const { sessionId } = await api("POST", "/sessions/new");
  const pulled = await api("POST", "/sessions/" + sessionId + "/tracks/new", {
    tracks: [
      { location: "remote", sessionId: publisherSessionId, trackName: "video" },
      { location: "remote", sessionId: publisherSessionId, trackName: "audio" },
    ],
  });
  await pc.setRemoteDescription(pulled.sessionDescription);
  await pc.setLocalDescription(await pc.createAnswer());
  await api("PUT", "/sessions/" + sessionId + "/renegotiate", { sessionDescription: { type: "answer", sdp: pc.localDescription.sdp } });
  window.viewer = { pc, video, stats, sessionId };
  return sessionId;
};
window.publisherState = async () => {
  let video = {};
  (await window.publisher.pc.getStats()).forEach((report) => {
    if (report.type === "outbound-rtp" && report.kind === "video") video = report;
  });
  return {
    width: video.frameWidth,
    height: video.frameHeight,
    fps: video.framesPerSecond,
    kbps: video.targetBitrate === undefined ? undefined : Math.round(video.targetBitrate / 1000),
    limitedBy: video.qualityLimitationReason,
    keyframes: video.keyFramesEncoded,
    plis: video.pliCount,
  };
};
window.viewerState = async () => {
  const { pc, video, stats } = window.viewer;
  let audioPackets = 0;
  (await pc.getStats()).forEach((report) => {
    if (report.type === "inbound-rtp" && report.kind === "audio") audioPackets = report.packetsReceived;
  });
  return { ...stats, currentTime: video.currentTime, audioPackets, connectionState: pc.connectionState };
};
</script>
`;

/** Serves the page and forwards /calls/* to the SFU with the secret added, like the Worker's proxy. */
async function startPageServer(sfu: TestSfu): Promise<{ origin: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const url = request.url ?? "/";
    if (!url.startsWith("/calls/")) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const upstream = await fetch(`${sfu.server.apiBase}/apps/${APP_ID}${url.slice("/calls".length)}`, {
      method: request.method,
      headers: { authorization: `Bearer ${APP_SECRET}` },
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    response.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

type ViewerState = {
  frames: number;
  firstFrameMs: number | null;
  width: number;
  height: number;
  currentTime: number;
  audioPackets: number;
  connectionState: string;
};

const viewerState = (page: Page) => page.evaluate(() => (globalThis as any).viewerState() as Promise<ViewerState>);

describe("Chromium through the local SFU", { timeout: 90_000, skip: existsSync(CHROME_PATH) ? false : `no Chromium at ${CHROME_PATH}` }, () => {
  let sfu: TestSfu;
  let pages: { origin: string; server: Server };
  let browser: Browser;
  before(async () => {
    // Strictly loopback: Chromium gathers a 127.0.0.1 candidate (the flag below)
    // and the SFU answers no other source, so no packet targets eth0's address.
    // The short idle limit lets the abrupt-close case finish within the test.
    sfu = await startTestSfu({ loopbackOnly: true, sessionIdleMs: 6_000, sweepIntervalMs: 200 });
    pages = await startPageServer(sfu);
    browser = await chromium.launch({
      executablePath: CHROME_PATH,
      timeout: 30_000,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
        "--allow-loopback-in-peer-connection",
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => pages?.server.close(resolve));
    pages?.server.closeAllConnections();
    await sfu?.stop();
  });

  test("two viewers play the publisher's fake camera; sessions that go away are cleaned up", async (t) => {
    const context = await browser.newContext();
    const publisherPage = await context.newPage();
    await publisherPage.goto(pages.origin);
    const publisherSessionId = await publisherPage.evaluate(() => (globalThis as any).publish() as Promise<string>);
    await waitForAsync(
      async () => (sfu.sfu.publishedTrack(publisherSessionId, "video")?.packetCount ?? 0) > 0,
      10_000,
      "the SFU to receive the publisher's video",
    );

    const viewers: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      await page.goto(pages.origin);
      await page.evaluate((id) => (globalThis as any).view(id) as Promise<string>, publisherSessionId);
      viewers.push(page);
    }

    for (const [i, page] of viewers.entries()) {
      await waitForAsync(async () => (await viewerState(page)).frames >= 30, 15_000, `viewer ${i + 1} to render 30 frames`);
      const before = await viewerState(page);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const later = await viewerState(page);
      assert.ok(later.currentTime > before.currentTime, `viewer ${i + 1}: video time advances`);
      assert.ok(later.frames > before.frames, `viewer ${i + 1}: frames keep coming`);
      assert.ok(later.width > 0 && later.height > 0, `viewer ${i + 1}: decoded frames have a size`);
      assert.ok(later.audioPackets > 0, `viewer ${i + 1}: audio arrives`);
      t.diagnostic(
        `viewer ${i + 1}: first frame ${Math.round(later.firstFrameMs ?? -1)} ms after starting to pull; ` +
          `${later.width}x${later.height}, ${later.frames} frames, ${later.audioPackets} audio packets`,
      );
    }

    const sending = await publisherPage.evaluate(() => (globalThis as any).publisherState() as Promise<Record<string, unknown>>);
    t.diagnostic(`publisher sends ${JSON.stringify(sending)}`);
    assert.ok(Number(sending.plis) >= 1, "viewers' keyframe requests reached the publisher");

    // A viewer that closes its peer connection ends its DTLS association
    // (close_notify): the SFU closes that session at once.
    const viewerSessionId = await viewers[1]!.evaluate(() => (globalThis as any).viewer.sessionId as string);
    const leftAt = Date.now();
    await viewers[1]!.evaluate(() => (globalThis as any).viewer.pc.close());
    await waitForAsync(
      async () => (await sfu.call("GET", `/sessions/${viewerSessionId}`)).status === 404,
      5_000,
      "the departed viewer's session to be closed",
    );
    t.diagnostic(`viewer session closed ${Date.now() - leftAt} ms after its pc.close()`);

    // A publisher whose page just vanishes sends nothing more: the SFU notices
    // the missing connectivity checks and closes the session and its tracks.
    const vanishedAt = Date.now();
    await publisherPage.close();
    await waitForAsync(
      async () => (await sfu.call("GET", `/sessions/${publisherSessionId}`)).status === 404,
      15_000,
      "the vanished publisher's session to be closed",
    );
    t.diagnostic(`publisher session closed ${Date.now() - vanishedAt} ms after its page closed (idle limit 6000 ms)`);
    const remaining = await sfu.call("GET", `/sessions/${await viewers[0]!.evaluate(() => (globalThis as any).viewer.sessionId as string)}`);
    assert.equal(remaining.status, 200);
    assert.deepEqual(
      remaining.body.tracks.map((track: { trackName: string; status: string }) => [track.trackName, track.status]),
      [["video", "inactive"], ["audio", "inactive"]],
    );
    await context.close();
  });
});
