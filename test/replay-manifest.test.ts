/**
 * The replay's manifest (GET /api/rooms/{id}/replay), the contract the
 * replay player reads: status through the show's life, chapters and takes
 * in replay time (from liveAt), the takes' files served with ranges, and the
 * library's rules: hidden, trim, thumbnail.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import fixtureUrl from "./fixtures/recording-4s.webm?inline";
import { JPEG_HEAD } from "./fixtures/images.ts";
import { finalizeShow } from "../worker/recording/finalize.ts";
import { call, createShow, expectError, json, ticketFor, warmUp } from "./helpers.ts";

const FIXTURE = Uint8Array.from(atob(fixtureUrl.slice(fixtureUrl.indexOf(",") + 1)), (c) => c.charCodeAt(0));

const manifest = async (roomId: string) => (await json(await call(`/api/rooms/${roomId}/replay`))).replay;
const status = (show: { room: { id: string }; hostKey: string }, to: "live" | "ended") =>
  call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status: to } });
const liveAtOf = async (roomId: string) => (await env.Room.getByName(roomId).replayFacts()).liveAt!;

/** A show that went live, recorded one take of the fixture (starting `offsetMs` after liveAt) with a pin on the way, ended, and was finalized. */
async function recordedShow(offsetMs = 1500) {
  const show = await createShow();
  await status(show, "live");
  const liveAt = await liveAtOf(show.room.id);
  const viewerToken = (await ticketFor(show.room.id, { key: show.hostKey })).viewer.token;
  const headers = { "X-Viewer-Token": viewerToken };
  const { take } = await json(
    await call(`/api/rooms/${show.room.id}/recording/takes`, { method: "POST", key: show.hostKey, headers, json: { source: "camera", mime: "video/webm", startedAt: liveAt + offsetMs } }),
  );
  await call(`/api/rooms/${show.room.id}/recording/takes/${take.id}/chunks/0`, { method: "PUT", key: show.hostKey, headers, body: FIXTURE });
  await call(`/api/rooms/${show.room.id}/pin`, { method: "POST", key: show.hostKey, json: { productId: show.products[1].id } });
  await call(`/api/rooms/${show.room.id}/pin`, { method: "POST", key: show.hostKey, json: { productId: null } });
  await call(`/api/rooms/${show.room.id}/pin`, { method: "POST", key: show.hostKey, json: { productId: show.products[0].id } });
  await status(show, "ended");
  return { ...show, take, liveAt, viewerToken };
}

beforeAll(warmUp);

describe("the manifest", () => {
  it("is none before the show ended, 404 room_not_found for no room, 400 for a bad id", async () => {
    const show = await createShow();
    expect(await manifest(show.room.id)).toEqual({ status: "none", liveAt: null, durationMs: 0, trim: { startMs: 0, endMs: 0 }, thumbnailUrl: null, chapters: [], takes: [] });
    await status(show, "live");
    expect((await manifest(show.room.id)).status).toBe("none");
    await expectError(await call("/api/rooms/r_0000000000000000/replay"), 404, "room_not_found");
    await expectError(await call("/api/rooms/nope/replay"), 400, "invalid_request");
  });

  it("is processing until the takes are finalized, then ready with chapters and takes aligned to liveAt", async () => {
    const show = await recordedShow(1500);
    const processing = await manifest(show.room.id);
    expect(processing.status).toBe("processing");
    await finalizeShow(env, show.room.id);
    const res = await call(`/api/rooms/${show.room.id}/replay`);
    expect(res.headers.get("Cache-Control")).toContain("max-age");
    const { replay } = await json(res);
    const facts = await env.Room.getByName(show.room.id).replayFacts();
    expect(replay).toMatchObject({ status: "ready", liveAt: show.liveAt, durationMs: facts.endedAt! - show.liveAt, thumbnailUrl: null });
    expect(replay.trim).toEqual({ startMs: 0, endMs: replay.durationMs });
    // Every pin of a product, in order, in replay time; unpinning is no chapter.
    expect(replay.chapters.map((c: { productId: string }) => c.productId)).toEqual([show.products[1].id, show.products[0].id]);
    const pins = facts.pins.map((p) => p.at - show.liveAt);
    expect(replay.chapters.map((c: { atMs: number }) => c.atMs)).toEqual(pins);
    expect(replay.chapters[0].atMs).toBeGreaterThanOrEqual(0);
    expect(replay.takes).toEqual([
      {
        id: show.take.id,
        publisher: expect.stringMatching(/^v_/),
        role: "host",
        source: "camera",
        startMs: 1500,
        durationMs: expect.any(Number),
        mime: "video/webm",
        url: `/api/rooms/${show.room.id}/replay/takes/${show.take.id}`,
      },
    ]);
    expect(replay.takes[0].durationMs).toBeGreaterThan(3000);
  });

  it("with recording off and no takes, is ready once ended, with no takes (the replay runs over the cover)", async () => {
    const show = await createShow();
    await call(`/api/shops/${show.shop.id}/rooms/${show.room.id}`, { method: "PATCH", key: show.apiKey, json: { recording: false, coverImageUrl: "https://example.com/cover.jpg" } });
    await status(show, "live");
    await status(show, "ended");
    expect(await manifest(show.room.id)).toMatchObject({ status: "ready", takes: [], thumbnailUrl: "https://example.com/cover.jpg" });
  });
});

describe("a take's file", () => {
  it("is served with ranges (206), an ETag and a year's cache; unknown takes are 404", async () => {
    const show = await recordedShow();
    await finalizeShow(env, show.room.id);
    const url = (await manifest(show.room.id)).takes[0].url;
    const whole = await call(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("Content-Type")).toBe("video/webm");
    expect(whole.headers.get("Accept-Ranges")).toBe("bytes");
    expect(whole.headers.get("Cache-Control")).toContain("immutable");
    const size = (await whole.arrayBuffer()).byteLength;
    const part = await call(url, { headers: { Range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe(`bytes 100-199/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const etag = whole.headers.get("ETag")!;
    expect((await call(url, { headers: { "If-None-Match": etag } })).status).toBe(304);
    await expectError(await call(`/api/rooms/${show.room.id}/replay/takes/tk_0000000000000000`), 404, "not_found");
  });
});

describe("the library", () => {
  it("hidden: the public gets none and the file is gone; the brand still sees it", async () => {
    const show = await recordedShow();
    await finalizeShow(env, show.room.id);
    const url = (await manifest(show.room.id)).takes[0].url;
    const library = `/api/shops/${show.shop.id}/rooms/${show.room.id}/replay`;
    const hidden = await json(await call(library, { method: "PATCH", key: show.apiKey, json: { hidden: true } }));
    expect(hidden).toMatchObject({ hidden: true, recording: true, replay: { status: "ready" } });
    expect((await manifest(show.room.id)).status).toBe("none");
    expect((await call(url)).status).toBe(404);
    await call(library, { method: "PATCH", key: show.apiKey, json: { hidden: false } });
    expect((await manifest(show.room.id)).status).toBe("ready");
  });

  it("trim: 0 ≤ start < end ≤ duration, or refused; null keeps it all", async () => {
    const show = await recordedShow();
    await finalizeShow(env, show.room.id);
    const library = `/api/shops/${show.shop.id}/rooms/${show.room.id}/replay`;
    const { durationMs } = await manifest(show.room.id);
    const trimmed = await json(await call(library, { method: "PATCH", key: show.apiKey, json: { trim: { startMs: 10, endMs: durationMs - 5 } } }));
    expect(trimmed.replay.trim).toEqual({ startMs: 10, endMs: durationMs - 5 });
    expect((await manifest(show.room.id)).trim).toEqual({ startMs: 10, endMs: durationMs - 5 });
    await expectError(await call(library, { method: "PATCH", key: show.apiKey, json: { trim: { startMs: 0, endMs: durationMs + 1 } } }), 422, "invalid_trim");
    await expectError(await call(library, { method: "PATCH", key: show.apiKey, json: { trim: { startMs: 50, endMs: 50 } } }), 400, "invalid_request");
    await expectError(await call(library, { method: "PATCH", key: show.apiKey, json: { trim: { startMs: -1, endMs: 50 } } }), 400, "invalid_request");
    await expectError(await call(library, { method: "PATCH", key: show.apiKey, json: {} }), 400, "invalid_request");
    await call(library, { method: "PATCH", key: show.apiKey, json: { trim: null } });
    expect((await manifest(show.room.id)).trim).toEqual({ startMs: 0, endMs: durationMs });
    // Before the show ended there is nothing to trim.
    const early = await createShow();
    await expectError(
      await call(`/api/shops/${early.shop.id}/rooms/${early.room.id}/replay`, { method: "PATCH", key: early.apiKey, json: { trim: { startMs: 0, endMs: 10 } } }),
      409,
      "show_not_ended",
    );
  });

  it("thumbnail: an image by its bytes becomes the manifest's thumbnail; anything else is 415; another shop's key is 403", async () => {
    const show = await recordedShow();
    const other = await createShow();
    const thumbnail = `/api/shops/${show.shop.id}/rooms/${show.room.id}/replay/thumbnail`;
    const res = await call(thumbnail, { method: "POST", key: show.apiKey, headers: { "Content-Type": "image/jpeg" }, body: JPEG_HEAD });
    expect(res.status).toBe(200);
    const url = (await json(res)).replay.thumbnailUrl as string;
    expect(url).toMatch(new RegExp(`^/photos/${show.room.id}/th_\\w{16}\\.jpg$`));
    expect((await manifest(show.room.id)).thumbnailUrl).toBe(url);
    expect((await call(url)).status).toBe(200);
    await expectError(await call(thumbnail, { method: "POST", key: show.apiKey, headers: { "Content-Type": "image/jpeg" }, body: "not an image" }), 415, "unsupported_image");
    await expectError(await call(thumbnail, { method: "POST", key: other.apiKey, headers: { "Content-Type": "image/jpeg" }, body: JPEG_HEAD }), 403, "forbidden");
    await expectError(await call(`/api/shops/${show.shop.id}/rooms/${show.room.id}/replay`, { key: show.hostKey }), 401, "unauthorized");
  });
});

describe("the shop's page", () => {
  it("lists a past show with its replay's thumbnail, date, length and the products it showed; a hidden one is not listed", async () => {
    const show = await recordedShow();
    const shop = await json(await call(`/api/shops/${show.shop.id}/slug`, { key: show.apiKey }));
    const page = async () => (await json(await call(`/api/shops/by-slug/${shop.slug}`))).past as Array<any>;
    const [listed] = await page();
    const facts = await env.Room.getByName(show.room.id).replayFacts();
    expect(listed).toMatchObject({
      id: show.room.id,
      title: "Spring tasting",
      replay: { liveAt: show.liveAt, durationMs: facts.endedAt! - show.liveAt, thumbnailUrl: null },
    });
    // The products pinned, in the order first pinned.
    expect(listed.replay.products.map((p: { title: string }) => p.title)).toEqual(["Gaiwan set", "Jasmine pearls"]);
    await call(`/api/shops/${show.shop.id}/rooms/${show.room.id}/replay/thumbnail`, { method: "POST", key: show.apiKey, headers: { "Content-Type": "image/jpeg" }, body: JPEG_HEAD });
    expect((await page())[0].replay.thumbnailUrl).toMatch(new RegExp(`^http://shop.test/photos/${show.room.id}/th_`));
    await call(`/api/shops/${show.shop.id}/rooms/${show.room.id}/replay`, { method: "PATCH", key: show.apiKey, json: { hidden: true } });
    expect(await page()).toEqual([]);
  });
});
