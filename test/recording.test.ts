/**
 * Recording at the publishers (worker/recording/): who may upload a take's
 * chunks, resume, out-of-order and repeated chunks, the size bound, abort,
 * the brand's switch, and finalization of a real recording (a WebM that
 * Chromium's MediaRecorder made from its fake camera, test/fixtures/).
 */
import { env } from "cloudflare:workers";
import { ALL_FORMATS, BufferSource, Input } from "mediabunny";
import { beforeAll, describe, expect, it } from "vitest";
import fixtureUrl from "./fixtures/recording-4s.webm?inline";
import { finalizeShow } from "../worker/recording/finalize.ts";
import { call, createShow, expectError, json, ticketFor, warmUp } from "./helpers.ts";
import { member, ownedShow, send } from "./team-helpers.ts";

const FIXTURE = Uint8Array.from(atob(fixtureUrl.slice(fixtureUrl.indexOf(",") + 1)), (c) => c.charCodeAt(0));

type Show = Awaited<ReturnType<typeof createShow>>;

async function liveShow(options: Parameters<typeof createShow>[0] = {}) {
  const show = await createShow(options);
  expect((await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } })).status).toBe(200);
  const viewerToken = (await ticketFor(show.room.id, { key: show.hostKey })).viewer.token;
  return { ...show, viewerToken };
}

const takes = (show: { room: { id: string } }) => `/api/rooms/${show.room.id}/recording/takes`;

function startTake(show: Show, key: string | undefined, viewerToken: string | undefined, source = "camera") {
  return call(takes(show), {
    method: "POST",
    key,
    headers: viewerToken ? { "X-Viewer-Token": viewerToken } : {},
    json: { source, mime: "video/webm;codecs=vp8,opus", startedAt: Date.now() },
  });
}

function putChunk(show: Show, takeId: string, n: number, bytes: Uint8Array, key: string, viewerToken: string) {
  return call(`${takes(show)}/${takeId}/chunks/${n}`, {
    method: "PUT",
    key,
    headers: { "X-Viewer-Token": viewerToken, "Content-Type": "video/webm" },
    body: bytes,
  });
}

/** The fixture cut into `parts` pieces, as a recorder's timeslices cut its stream. */
const pieces = (bytes: Uint8Array, parts: number) =>
  Array.from({ length: parts }, (_, i) => bytes.subarray(Math.floor((i * bytes.length) / parts), Math.floor(((i + 1) * bytes.length) / parts)));

beforeAll(warmUp);

describe("who may record", () => {
  it("the host key and the guest key start takes; a viewer, a moderator key, another room's key and nobody are refused", async () => {
    const show = await liveShow();
    const other = await liveShow();
    const guestToken = (await ticketFor(show.room.id, { key: show.guestKey })).viewer.token;
    expect((await startTake(show, show.hostKey, show.viewerToken)).status).toBe(201);
    const guest = await startTake(show, show.guestKey, guestToken);
    expect(guest.status).toBe(201);
    expect((await json(guest)).take).toMatchObject({ source: "camera", state: "recording", chunks: [], bytes: 0 });
    await expectError(await startTake(show, undefined, show.viewerToken), 401, "unauthorized");
    await expectError(await startTake(show, show.moderatorKey, show.viewerToken), 403, "forbidden");
    await expectError(await startTake(show, other.hostKey, show.viewerToken), 401, "unauthorized");
    await expectError(await startTake(show, show.apiKey, show.viewerToken), 401, "unauthorized");
    // A publisher is someone: without its page's identity there is no take.
    await expectError(await startTake(show, show.hostKey, undefined), 401, "unauthorized");
  });

  it("a member's session: owner and host record (X-Room-Role: host), a moderator and another shop's owner do not", async () => {
    const show = await ownedShow();
    const other = await ownedShow();
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } });
    const viewerToken = (await ticketFor(show.room.id, { key: show.hostKey })).viewer.token;
    const asHost = (who: typeof show.owner) =>
      send(who, takes(show), {
        json: { source: "camera", mime: "video/webm", startedAt: Date.now() },
        headers: { "X-Room-Role": "host", "X-Viewer-Token": viewerToken },
      });
    expect((await asHost(show.owner)).status).toBe(201);
    const host = await member(show.owner, show.shop.id, "host");
    // A host records the shows assigned to them only.
    await expectError(await asHost(host), 403, "forbidden");
    expect((await send(show.owner, `/api/shops/${show.shop.id}/team/shows/${show.room.id}/hosts`, { json: { accountId: host.accountId } })).status).toBeLessThan(300);
    expect((await asHost(host)).status).toBe(201);
    const moderator = await member(show.owner, show.shop.id, "moderator");
    await expectError(await asHost(moderator), 403, "forbidden");
    await expectError(await asHost(other.owner), 403, "forbidden");
    await expectError(await asHost({ cookie: null, ip: "198.51.100.99" }), 401, "signed_out");
  });

  it("a take is its publisher's: the guest cannot write into the host's", async () => {
    const show = await liveShow();
    const guestToken = (await ticketFor(show.room.id, { key: show.guestKey })).viewer.token;
    const { take } = await json(await startTake(show, show.hostKey, show.viewerToken));
    await expectError(await putChunk(show, take.id, 0, new Uint8Array([1]), show.guestKey, guestToken), 403, "forbidden");
  });
});

describe("chunks", () => {
  it("are acknowledged once durable, may arrive out of order and twice, and a resume sees which arrived", async () => {
    const show = await liveShow();
    const { take } = await json(await startTake(show, show.hostKey, show.viewerToken));
    for (const n of [2, 0]) expect((await putChunk(show, take.id, n, new Uint8Array(n + 10).fill(n), show.hostKey, show.viewerToken)).status).toBe(200);
    // The same chunk again (a retry after a lost answer) replaces it, nothing doubles.
    const again = await putChunk(show, take.id, 2, new Uint8Array(12).fill(2), show.hostKey, show.viewerToken);
    expect(await json(again)).toEqual({ chunk: { n: 2, bytes: 12 } });
    const resume = await json(await call(`${takes(show)}/${take.id}`, { key: show.hostKey, headers: { "X-Viewer-Token": show.viewerToken } }));
    expect(resume.take).toMatchObject({ chunks: [0, 2], bytes: 22, state: "recording" });
    const stored = await env.RECORDINGS.get(`takes/${show.room.id}/${take.id}/000002`);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(new Uint8Array(12).fill(2));
  });

  it("an oversized chunk is 413, an empty one or a bad number 400, an unknown take 404", async () => {
    const show = await liveShow();
    const { take, maxChunkBytes } = await json(await startTake(show, show.hostKey, show.viewerToken));
    await expectError(await putChunk(show, take.id, 0, new Uint8Array(maxChunkBytes + 1), show.hostKey, show.viewerToken), 413, "payload_too_large");
    await expectError(await putChunk(show, take.id, 0, new Uint8Array(0), show.hostKey, show.viewerToken), 400, "invalid_request");
    await expectError(await putChunk(show, take.id, -1, new Uint8Array(1), show.hostKey, show.viewerToken), 400, "invalid_request");
    await expectError(await putChunk(show, "tk_0000000000000000", 0, new Uint8Array(1), show.hostKey, show.viewerToken), 404, "not_found");
    const none = await json(await call(`${takes(show)}/${take.id}`, { key: show.hostKey, headers: { "X-Viewer-Token": show.viewerToken } }));
    expect(none.take.chunks).toEqual([]);
  });

  it("abort throws a take away (its chunks gone); a closed take takes no more chunks", async () => {
    const show = await liveShow();
    const { take } = await json(await startTake(show, show.hostKey, show.viewerToken));
    await putChunk(show, take.id, 0, new Uint8Array([1, 2, 3]), show.hostKey, show.viewerToken);
    const aborted = await call(`${takes(show)}/${take.id}/abort`, { method: "POST", key: show.hostKey, headers: { "X-Viewer-Token": show.viewerToken } });
    expect((await json(aborted)).take).toMatchObject({ state: "aborted", chunks: [] });
    expect(await env.RECORDINGS.get(`takes/${show.room.id}/${take.id}/000000`)).toBeNull();
    await expectError(await putChunk(show, take.id, 1, new Uint8Array([1]), show.hostKey, show.viewerToken), 409, "take_closed");
  });

  it("a new take of the same publisher and source closes the old one (a reload)", async () => {
    const show = await liveShow();
    const first = (await json(await startTake(show, show.hostKey, show.viewerToken))).take;
    const screen = (await json(await startTake(show, show.hostKey, show.viewerToken, "screen"))).take;
    await startTake(show, show.hostKey, show.viewerToken);
    await expectError(await putChunk(show, first.id, 0, new Uint8Array([1]), show.hostKey, show.viewerToken), 409, "take_closed");
    expect((await putChunk(show, screen.id, 0, new Uint8Array([1]), show.hostKey, show.viewerToken)).status).toBe(200);
  });
});

describe("the brand's switch and the show's state", () => {
  it("recording off (at creation or by PATCH) refuses takes with 409 recording_off", async () => {
    const show = await createShow();
    const patched = await call(`/api/shops/${show.shop.id}/rooms/${show.room.id}`, { method: "PATCH", key: show.apiKey, json: { recording: false } });
    expect((await json(patched)).show.recording).toBe(false);
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } });
    const viewerToken = (await ticketFor(show.room.id, { key: show.hostKey })).viewer.token;
    await expectError(await startTake(show, show.hostKey, viewerToken), 409, "recording_off");

    const created = await call(`/api/shops/${show.shop.id}/rooms`, {
      method: "POST",
      key: show.apiKey,
      json: { title: "Unrecorded", recording: false, products: [{ productId: show.products[0].id, stock: 1 }] },
    });
    const { room } = await json(created);
    const listed = await json(await call(`/api/shops/${show.shop.id}/rooms`, { key: show.apiKey }));
    expect(listed.shows.find((s: { id: string }) => s.id === room.id).recording).toBe(false);
    expect(listed.shows.find((s: { id: string }) => s.id === show.room.id).recording).toBe(false);
  });

  it("no take before the show is live, nor after it ended", async () => {
    const show = await createShow();
    const viewerToken = (await ticketFor(show.room.id, { key: show.hostKey })).viewer.token;
    await expectError(await startTake(show, show.hostKey, viewerToken), 409, "show_not_live");
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "live" } });
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "ended" } });
    await expectError(await startTake(show, show.hostKey, viewerToken), 409, "show_ended");
  });
});

describe("finalization", () => {
  it("remuxes a real recording's chunks into one WebM that mediabunny reads back with its duration", async () => {
    const show = await liveShow();
    const { take } = await json(await startTake(show, show.hostKey, show.viewerToken));
    const parts = pieces(FIXTURE, 5);
    // Out of order, as a flaky network delivers them.
    for (const n of [1, 0, 3, 2, 4]) expect((await putChunk(show, take.id, n, parts[n]!, show.hostKey, show.viewerToken)).status).toBe(200);
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "ended" } });
    await finalizeShow(env, show.room.id);
    const row = await env.DB.prepare("SELECT state, file_r2_key AS fileKey, duration_ms AS durationMs, mime FROM recording_takes WHERE id = ?").bind(take.id).first<any>();
    expect(row).toMatchObject({ state: "ready", mime: "video/webm", fileKey: `replays/${show.room.id}/${take.id}.webm` });
    const file = new Uint8Array(await (await env.RECORDINGS.get(row.fileKey))!.arrayBuffer());
    const input = new Input({ source: new BufferSource(file), formats: ALL_FORMATS });
    const source = new Input({ source: new BufferSource(FIXTURE), formats: ALL_FORMATS });
    const [duration, expected] = [await input.computeDuration(), await source.computeDuration()];
    expect(duration).toBeGreaterThan(3);
    expect(Math.abs(duration - expected)).toBeLessThan(0.1);
    expect(row.durationMs).toBe(Math.round(expected * 1000));
    expect((await input.getFormat()).name).toBe("WebM");
    // The chunks served their purpose.
    expect((await env.RECORDINGS.list({ prefix: `takes/${show.room.id}/${take.id}/` })).objects).toEqual([]);
  });

  it("keeps a take up to its first missing chunk, and a take without chunks is left out", async () => {
    const show = await liveShow();
    const { take } = await json(await startTake(show, show.hostKey, show.viewerToken));
    const empty = (await json(await startTake(show, show.hostKey, show.viewerToken, "screen"))).take;
    const parts = pieces(FIXTURE, 4);
    for (const n of [0, 1, 3]) await putChunk(show, take.id, n, parts[n]!, show.hostKey, show.viewerToken);
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "ended" } });
    await finalizeShow(env, show.room.id);
    const rows = await env.DB.prepare("SELECT id, state, duration_ms AS durationMs FROM recording_takes WHERE room_id = ?").bind(show.room.id).all<any>();
    const byId = Object.fromEntries(rows.results.map((r) => [r.id, r]));
    expect(byId[take.id].state).toBe("ready");
    expect(byId[take.id].durationMs).toBeGreaterThan(500);
    expect(byId[take.id].durationMs).toBeLessThan(3900);
    expect(byId[empty.id].state).toBe("empty");
  });

  it("ending the show queues the finalization: the Room's outbox hands it to the recording queue", async () => {
    const show = await liveShow();
    const { take } = await json(await startTake(show, show.hostKey, show.viewerToken));
    for (const [n, part] of pieces(FIXTURE, 3).entries()) await putChunk(show, take.id, n, part, show.hostKey, show.viewerToken);
    await call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: "ended" } });
    let state = "";
    for (let i = 0; i < 100 && state !== "ready"; i++) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await env.DB.prepare("SELECT state FROM recording_takes WHERE id = ?").bind(take.id).first<{ state: string }>())!.state;
    }
    expect(state).toBe("ready");
  }, 30_000);
});
