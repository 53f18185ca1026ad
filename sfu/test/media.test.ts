// Real media through the local SFU, all in this process on 127.0.0.1: a werift
// publisher sends generated VP8 through the Calls API flow a browser uses, a
// werift puller pulls it, and the test watches packets and keyframe requests.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { MediaStreamTrack, RTCPeerConnection, RtpPacket } from "werift";
import { clientPeer, FakeVp8Camera, isVp8Keyframe, startTestSfu, waitFor, waitForAsync } from "./helpers.ts";
import type { TestSfu } from "./helpers.ts";

type Publisher = { pc: RTCPeerConnection; sessionId: string; camera: FakeVp8Camera; plisReceived: () => number };

async function publish(sfu: TestSfu, trackName: string): Promise<Publisher> {
  const pc = clientPeer();
  const camera = new FakeVp8Camera();
  const transceiver = pc.addTransceiver(camera.track, { direction: "sendonly" });
  let plis = 0;
  transceiver.sender.onPictureLossIndication.subscribe(() => {
    plis++;
    camera.requestKeyframe();
  });

  const created = await sfu.call("POST", "/sessions/new");
  assert.equal(created.status, 201);
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const published = await sfu.call("POST", `/sessions/${created.body.sessionId}/tracks/new`, {
    sessionDescription: { type: "offer", sdp: pc.localDescription?.sdp },
    tracks: [{ location: "local", mid: transceiver.mid, trackName }],
  });
  assert.equal(published.status, 200, JSON.stringify(published.body));
  assert.equal(published.body.requiresImmediateRenegotiation, false);
  assert.equal(published.body.sessionDescription.type, "answer");
  assert.deepEqual(published.body.tracks, [{ location: "local", mid: transceiver.mid, trackName }]);
  // The SFU's only ICE candidate is on loopback.
  const candidates = published.body.sessionDescription.sdp.match(/a=candidate:.*/g) ?? [];
  assert.ok(candidates.length > 0);
  for (const candidate of candidates) assert.match(candidate, / 127\.0\.0\.1 \d+ typ host/);
  assert.match(published.body.sessionDescription.sdp, /a=ice-lite/);

  await pc.setRemoteDescription(published.body.sessionDescription);
  await waitFor(() => pc.connectionState === "connected", 5_000, "the publisher to connect");
  camera.start();
  return { pc, sessionId: created.body.sessionId, camera, plisReceived: () => plis };
}

type Puller = {
  pc: RTCPeerConnection;
  sessionId: string;
  mid: string;
  packets: RtpPacket[];
  firstPacketAt: () => number | undefined;
  track: () => MediaStreamTrack | undefined;
};

async function pull(sfu: TestSfu, from: Publisher, trackName: string): Promise<Puller> {
  const pc = clientPeer();
  const packets: RtpPacket[] = [];
  let firstPacketAt: number | undefined;
  let received: MediaStreamTrack | undefined;
  pc.onTrack.subscribe((track) => {
    received = track;
    track.onReceiveRtp.subscribe((packet) => {
      firstPacketAt ??= Date.now();
      packets.push(packet);
    });
  });

  const created = await sfu.call("POST", "/sessions/new");
  const pulled = await sfu.call("POST", `/sessions/${created.body.sessionId}/tracks/new`, {
    tracks: [{ location: "remote", sessionId: from.sessionId, trackName }],
  });
  assert.equal(pulled.status, 200, JSON.stringify(pulled.body));
  assert.equal(pulled.body.requiresImmediateRenegotiation, true);
  assert.equal(pulled.body.sessionDescription.type, "offer");
  const [result] = pulled.body.tracks;
  assert.equal(result.location, "remote");
  assert.equal(result.sessionId, from.sessionId);
  assert.equal(result.trackName, trackName);
  assert.equal(typeof result.mid, "string");
  assert.equal(result.errorCode, undefined);

  await pc.setRemoteDescription(pulled.body.sessionDescription);
  await pc.setLocalDescription(await pc.createAnswer());
  const renegotiated = await sfu.call("PUT", `/sessions/${created.body.sessionId}/renegotiate`, {
    sessionDescription: { type: "answer", sdp: pc.localDescription?.sdp },
  });
  assert.equal(renegotiated.status, 200, JSON.stringify(renegotiated.body));
  assert.deepEqual(renegotiated.body, {});
  return {
    pc,
    sessionId: created.body.sessionId,
    mid: result.mid,
    packets,
    firstPacketAt: () => firstPacketAt,
    track: () => received,
  };
}

describe("media through the local SFU", { timeout: 60_000 }, () => {
  let sfu: TestSfu;
  const peers: RTCPeerConnection[] = [];
  const cameras: FakeVp8Camera[] = [];
  before(async () => {
    // werift clients send a consent check every ~5 s, so idle cleanup must allow more.
    sfu = await startTestSfu({ sessionIdleMs: 7_000, trackIdleMs: 7_000, sweepIntervalMs: 200 });
  });
  after(async () => {
    for (const camera of cameras) camera.stop();
    await Promise.all(peers.map((pc) => pc.close()));
    await sfu.stop();
  });

  test("a pulled track receives the publisher's RTP, keyframes are requested, and close stops it", async (t) => {
    const publisher = await publish(sfu, "camera");
    peers.push(publisher.pc);
    cameras.push(publisher.camera);
    await waitFor(() => (sfu.sfu.publishedTrack(publisher.sessionId, "camera")?.packetCount ?? 0) > 0, 5_000, "the SFU to receive RTP");

    const pullStartedAt = Date.now();
    const plisBeforePull = publisher.plisReceived();
    const puller = await pull(sfu, publisher, "camera");
    peers.push(puller.pc);
    await waitFor(() => puller.packets.length >= 10, 5_000, "10 forwarded packets at the puller");
    const firstPacketMs = (puller.firstPacketAt() ?? 0) - pullStartedAt;
    t.diagnostic(`pull request to first forwarded RTP packet: ${firstPacketMs} ms`);

    // Attaching a puller made the SFU ask the publisher for a keyframe, and it arrived.
    assert.ok(publisher.plisReceived() > plisBeforePull, "the publisher got a keyframe request when the puller attached");
    await waitFor(() => puller.packets.some(isVp8Keyframe), 3_000, "a keyframe at the puller");
    const firstKeyframe = puller.packets.findIndex(isVp8Keyframe);
    t.diagnostic(`first keyframe was forwarded packet #${firstKeyframe + 1}`);

    // Packets are re-stamped for this receiver: its own SSRC, the payload type it negotiated.
    const received = puller.packets.at(-1);
    assert.ok(received);
    assert.notEqual(received.header.ssrc, 0x1234);
    const negotiatedPt = Number(/a=rtpmap:(\d+) VP8\/90000/.exec(puller.pc.localDescription?.sdp ?? "")?.[1]);
    assert.equal(received.header.payloadType, negotiatedPt);

    // A PLI from the puller reaches the publisher (after the SFU's rate limit window).
    await new Promise((resolve) => setTimeout(resolve, 400));
    const plisBefore = publisher.plisReceived();
    const receivingTrack = puller.track();
    assert.ok(receivingTrack?.ssrc !== undefined);
    const pullTransceiver = puller.pc.getTransceivers().find((transceiver) => transceiver.mid === puller.mid);
    assert.ok(pullTransceiver);
    await pullTransceiver.receiver.sendRtcpPLI(receivingTrack.ssrc);
    await waitFor(() => publisher.plisReceived() > plisBefore, 3_000, "the puller's PLI to reach the publisher");

    // Both sessions report their tracks as active.
    const publisherState = await sfu.call("GET", `/sessions/${publisher.sessionId}`);
    assert.deepEqual(publisherState.body.tracks, [{ location: "local", mid: "0", trackName: "camera", status: "active" }]);
    const pullerState = await sfu.call("GET", `/sessions/${puller.sessionId}`);
    assert.deepEqual(pullerState.body.tracks, [
      { location: "remote", mid: puller.mid, sessionId: publisher.sessionId, trackName: "camera", status: "active" },
    ]);

    // Closing the pulled track: the SFU makes the offer, the puller answers, media stops.
    const closed = await sfu.call("PUT", `/sessions/${puller.sessionId}/tracks/close`, { tracks: [{ mid: puller.mid }], force: false });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.deepEqual(closed.body.tracks, [{ mid: puller.mid }]);
    assert.equal(closed.body.requiresImmediateRenegotiation, true);
    assert.equal(closed.body.sessionDescription.type, "offer");
    await puller.pc.setRemoteDescription(closed.body.sessionDescription);
    await puller.pc.setLocalDescription(await puller.pc.createAnswer());
    const answered = await sfu.call("PUT", `/sessions/${puller.sessionId}/renegotiate`, {
      sessionDescription: { type: "answer", sdp: puller.pc.localDescription?.sdp },
    });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const countAfterClose = puller.packets.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(puller.packets.length, countAfterClose, "no packets after tracks/close");
    assert.equal(sfu.sfu.publishedTrack(publisher.sessionId, "camera")?.subscriberCount, 0);
    const stateAfterClose = await sfu.call("GET", `/sessions/${puller.sessionId}`);
    assert.equal(stateAfterClose.body.tracks[0].status, "inactive");

    // The session outlives its last track: pulling again on it works.
    const again = await sfu.call("POST", `/sessions/${puller.sessionId}/tracks/new`, {
      tracks: [{ location: "remote", sessionId: publisher.sessionId, trackName: "camera" }],
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.requiresImmediateRenegotiation, true);
    await puller.pc.setRemoteDescription(again.body.sessionDescription);
    await puller.pc.setLocalDescription(await puller.pc.createAnswer());
    const reanswered = await sfu.call("PUT", `/sessions/${puller.sessionId}/renegotiate`, {
      sessionDescription: { type: "answer", sdp: puller.pc.localDescription?.sdp },
    });
    assert.equal(reanswered.status, 200, JSON.stringify(reanswered.body));
    const countBeforeRepull = puller.packets.length;
    await waitFor(() => puller.packets.length >= countBeforeRepull + 5, 5_000, "packets after pulling again");
  });

  test("two pullers of one track both receive it; a publisher's own tracks/close with an offer ends it", async () => {
    const publisher = await publish(sfu, "stage");
    peers.push(publisher.pc);
    cameras.push(publisher.camera);
    const first = await pull(sfu, publisher, "stage");
    const second = await pull(sfu, publisher, "stage");
    peers.push(first.pc, second.pc);
    await waitFor(() => first.packets.length >= 5 && second.packets.length >= 5, 5_000, "packets at both pullers");

    // The way partytracks closes: stop the transceiver, offer, send the offer with the mid.
    const transceiver = publisher.pc.getTransceivers()[0];
    assert.ok(transceiver?.mid);
    transceiver.stop();
    await publisher.pc.setLocalDescription(await publisher.pc.createOffer());
    const closed = await sfu.call("PUT", `/sessions/${publisher.sessionId}/tracks/close`, {
      tracks: [{ mid: transceiver.mid }],
      sessionDescription: { type: "offer", sdp: publisher.pc.localDescription?.sdp },
      force: false,
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal(closed.body.requiresImmediateRenegotiation, false);
    assert.equal(closed.body.sessionDescription.type, "answer");
    await publisher.pc.setRemoteDescription(closed.body.sessionDescription);

    // The track is gone: a new pull of it is a per-track not_found.
    const late = await sfu.call("POST", "/sessions/new");
    const latePull = await sfu.call("POST", `/sessions/${late.body.sessionId}/tracks/new`, {
      tracks: [{ location: "remote", sessionId: publisher.sessionId, trackName: "stage" }],
    });
    assert.equal(latePull.body.tracks[0].errorCode, "not_found");
    const state = await sfu.call("GET", `/sessions/${first.sessionId}`);
    assert.equal(state.body.tracks[0].status, "inactive");
  });

  test("the other negotiation orders: offer with sessions/new, and a pull into the client's own offer", async () => {
    // Publisher: the offer goes with sessions/new; tracks/new then only names the mid.
    const pc = clientPeer();
    peers.push(pc);
    const camera = new FakeVp8Camera();
    cameras.push(camera);
    const transceiver = pc.addTransceiver(camera.track, { direction: "sendonly" });
    await pc.setLocalDescription(await pc.createOffer());
    const created = await sfu.call("POST", "/sessions/new", { sessionDescription: { type: "offer", sdp: pc.localDescription?.sdp } });
    assert.equal(created.status, 201);
    assert.equal(created.body.sessionDescription.type, "answer");
    await pc.setRemoteDescription(created.body.sessionDescription);
    const named = await sfu.call("POST", `/sessions/${created.body.sessionId}/tracks/new`, {
      tracks: [{ location: "local", mid: transceiver.mid, trackName: "side" }],
    });
    assert.deepEqual(named.body, { requiresImmediateRenegotiation: false, tracks: [{ location: "local", mid: transceiver.mid, trackName: "side" }] });
    await waitFor(() => pc.connectionState === "connected", 5_000, "the publisher to connect");
    camera.start();

    // Puller: offers a receive-only m-line itself and names its mid; the SFU answers.
    const viewer = clientPeer();
    peers.push(viewer);
    const packets: RtpPacket[] = [];
    viewer.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((packet) => packets.push(packet)));
    const receiving = viewer.addTransceiver("video", { direction: "recvonly" });
    await viewer.setLocalDescription(await viewer.createOffer());
    const viewerSession = await sfu.call("POST", "/sessions/new");
    const pulled = await sfu.call("POST", `/sessions/${viewerSession.body.sessionId}/tracks/new`, {
      sessionDescription: { type: "offer", sdp: viewer.localDescription?.sdp },
      tracks: [{ location: "remote", sessionId: created.body.sessionId, trackName: "side", mid: receiving.mid }],
    });
    assert.equal(pulled.status, 200, JSON.stringify(pulled.body));
    assert.equal(pulled.body.requiresImmediateRenegotiation, false);
    assert.equal(pulled.body.sessionDescription.type, "answer");
    assert.deepEqual(pulled.body.tracks, [
      { location: "remote", sessionId: created.body.sessionId, trackName: "side", mid: receiving.mid },
    ]);
    await viewer.setRemoteDescription(pulled.body.sessionDescription);
    await waitFor(() => packets.length >= 5, 5_000, "packets pulled into the client's own offer");
  });

  test("a session whose client went away is cleaned up, and its tracks with it", async (t) => {
    const publisher = await publish(sfu, "camera");
    cameras.push(publisher.camera);
    const puller = await pull(sfu, publisher, "camera");
    peers.push(puller.pc);
    await waitFor(() => puller.packets.length >= 5, 5_000, "packets at the puller");

    // A client that vanishes without a word (werift sends no DTLS close alert):
    // the SFU notices the missing connectivity checks.
    const vanishedAt = Date.now();
    publisher.camera.stop();
    await publisher.pc.close();
    await waitForAsync(async () => (await sfu.call("GET", `/sessions/${publisher.sessionId}`)).status === 404, 15_000, "the publisher's session to be cleaned up");
    t.diagnostic(`vanished publisher cleaned up after ${Date.now() - vanishedAt} ms (idle limit 7000 ms)`);
    const pullAgain = await sfu.call("POST", `/sessions/${puller.sessionId}/tracks/new`, {
      tracks: [{ location: "remote", sessionId: publisher.sessionId, trackName: "camera" }],
    });
    assert.equal(pullAgain.body.tracks[0].errorCode, "not_found");
    const state = await sfu.call("GET", `/sessions/${puller.sessionId}`);
    assert.equal(state.body.tracks[0].status, "inactive");
    // The puller is still alive and keeps its session.
    assert.equal(state.status, 200);
  });
});
