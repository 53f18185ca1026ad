/**
 * GET /api/rooms/{id}/replay/events: the ended show's public timeline.
 * A scripted show (chat, a ban, blocked words, a pin, a sale, a deleted
 * line), then what a replay may and may not read of it, its times, its
 * pages and its caching.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { appendEvent, headSeq } from "../durable-objects/event-log.ts";
import { REPLAY_PAGE } from "../durable-objects/replay-timeline.ts";
import { BASE, call, createShow, expectError, json, open, warmUp } from "./helpers.ts";

beforeAll(warmUp);

const timelineOf = (roomId: string, after?: number, headers: Record<string, string> = {}) =>
  call(`/api/rooms/${roomId}/replay/events${after === undefined ? "" : `?after=${after}`}`, { headers });
const setStatus = (show: Awaited<ReturnType<typeof createShow>>, status: "live" | "ended") =>
  call(`/api/rooms/${show.room.id}/status`, { method: "POST", key: show.hostKey, json: { status } });
const buy = (roomId: string, productId: string) =>
  call(`/api/rooms/${roomId}/orders`, {
    method: "POST",
    headers: { "Idempotency-Key": crypto.randomUUID() },
    json: { productId, quantity: 1, buyer: { name: "Ana", email: "ana@example.com" }, fulfilment: { type: "pickup" } },
  });

async function scriptedShow() {
  const show = await createShow({ stock: 3 });
  const roomId = show.room.id;
  const [tea, gaiwan] = show.products;
  const host = await open(roomId, { key: show.hostKey });
  const viewer = await open(roomId);
  await host.next("sync");
  await viewer.next("sync");
  // Before going live: a pin and a line, which the start state carries.
  await call(`/api/rooms/${roomId}/pin`, { method: "POST", key: show.hostKey, json: { productId: gaiwan.id } });
  viewer.send({ type: "chat", text: "early bird", name: "Ana" });
  await host.next("chat");
  await setStatus(show, "live");
  viewer.send({ type: "chat", text: "hello from the audience", name: "Ana" });
  const { message } = await host.next("chat");
  viewer.send({ type: "chat", text: "a line to take down", name: "Ana" });
  const { message: spam } = await host.next("chat");
  const moderate = (body: unknown) => call(`/api/rooms/${roomId}/moderation`, { method: "POST", json: body, key: show.hostKey });
  expect((await moderate({ action: "blocked_words", words: ["secretword"] })).status).toBe(200);
  expect((await moderate({ action: "timeout", viewerId: message.author })).status).toBe(200);
  expect((await moderate({ action: "delete", messageId: spam.id })).status).toBe(200);
  await call(`/api/rooms/${roomId}/pin`, { method: "POST", key: show.hostKey, json: { productId: tea.id } });
  expect((await buy(roomId, tea.id)).status).toBe(201);
  return { show, host, viewer, message, spam };
}

describe("the replay timeline", () => {
  it("is refused until the show ended, then has what a viewer could read, aligned to liveAt", async () => {
    const { show, host, viewer, message, spam } = await scriptedShow();
    const roomId = show.room.id;
    await expectError(await timelineOf(roomId), 409, "not_ended");
    await setStatus(show, "ended");
    host.ws.close();
    viewer.ws.close();

    const res = await timelineOf(roomId);
    expect(res.status).toBe(200);
    const { timeline } = await json(res);
    const { liveAt, endedAt, events, start, audience, next } = timeline;
    expect(next).toBeNull();
    expect(liveAt).toBeLessThanOrEqual(endedAt);
    // Times: the room clock, from going live to the end, in order.
    for (const row of events) expect(row.at).toBeGreaterThanOrEqual(liveAt);
    expect(events.at(-1).event).toMatchObject({ type: "status", status: "ended" });
    expect(events.at(-1).at).toBe(endedAt);
    expect(events.map((row: any) => row.seq)).toEqual([...events.map((row: any) => row.seq)].sort((a, b) => a - b));
    expect(events[0].seq).toBe(start.seq + 1);

    // The start: live, the gaiwan pinned before, the early line, every unit still listed.
    expect(start.room).toMatchObject({ status: "live", pinnedProductId: show.products[1].id, deal: null, stage: [] });
    expect(start.room.products.map((p: any) => p.left)).toEqual([3, 3]);
    expect(start.messages.map((m: any) => m.text)).toEqual(["early bird"]);

    const types = events.map((row: any) => row.event.type);
    expect(types).toEqual(expect.arrayContaining(["chat", "pin", "product", "private"]));
    const body = JSON.stringify(timeline);
    // What a viewer may not read: the blocked words, who was kept out, who wrote what, and the line taken down.
    expect(body).not.toContain("secretword");
    expect(types).not.toContain("blocked_words");
    expect(types).not.toContain("restricted");
    expect(body).not.toContain(message.author);
    expect(body).not.toContain(spam.text);
    for (const row of events.filter((r: any) => r.event.type === "chat")) expect(row.event.message.author ?? null).toBeNull();
    const sale = events.find((row: any) => row.event.type === "product");
    expect(sale.event.product).toMatchObject({ id: show.products[0].id, left: 2 });
    expect(sale.at - liveAt).toBeGreaterThanOrEqual(0);
    // Chat lines keep their own time, which is their event's.
    const hello = events.find((row: any) => row.event.type === "chat" && row.event.message.text === "hello from the audience");
    expect(hello.event.message.at).toBe(hello.at);

    expect(audience.fromSecond).toBe(Math.floor(liveAt / 1000));
    expect(audience.hearts.length).toBe(Math.floor(endedAt / 1000) - audience.fromSecond + 1);
    expect(audience.viewers.length).toBe(audience.hearts.length);
  });

  it("is preloaded by the show's page once the show ended, not before", async () => {
    const show = await createShow();
    const preload = `<link rel="preload" href="/api/rooms/${show.room.id}/replay/events" as="fetch" crossorigin="anonymous">`;
    await setStatus(show, "live");
    expect(await (await call(`/r/${show.room.id}`)).text()).not.toContain(preload);
    await setStatus(show, "ended");
    const page = await (await call(`/r/${show.room.id}`)).text();
    expect(page).toContain(preload);
    // With the replay's manifest and the show's details, and the player's chunk (from the viewer build's manifest)
    // and its styles: they load beside the page's own script, not after it.
    for (const href of [`/api/rooms/${show.room.id}/replay`, `/api/rooms/${show.room.id}`]) expect(page).toContain(`<link rel="preload" href="${href}" as="fetch" crossorigin="anonymous">`);
    const chunks = await (await env.ASSETS.fetch(new URL("/room-chunks.json", BASE))).json<Record<string, { file: string; css?: string[] }>>();
    const player = chunks["src/viewer/shop.ts"]!;
    expect(page).toContain(`<link rel="modulepreload" href="/${player.file}">`);
    for (const css of player.css ?? []) expect(page).toContain(`<link rel="preload" href="/${css}" as="style" crossorigin>`);
    // Not the page's own script, which the page names itself.
    expect(page).not.toContain(`<link rel="modulepreload" href="/${chunks["room.html"]!.file}">`);
  });

  it("is cacheable, with an ETag that changes when the log grows after the end", async () => {
    const show = await createShow();
    await setStatus(show, "live");
    await setStatus(show, "ended");
    const first = await timelineOf(show.room.id);
    expect(first.status).toBe(200);
    expect(first.headers.get("Cache-Control")).toContain("public");
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"\d+-0"$/);
    const again = await timelineOf(show.room.id, undefined, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    // A sale from the replay moves a count in the log: the page is revalidated, its events the same.
    expect((await buy(show.room.id, show.products[0].id)).status).toBe(201);
    const after = await timelineOf(show.room.id, undefined, { "If-None-Match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("ETag")).not.toBe(etag);
    expect((await json(after)).timeline.events).toEqual((await json(first)).timeline.events);
  });

  it("comes in bounded pages that chain without gap or overlap", async () => {
    const show = await createShow();
    const roomId = show.room.id;
    await setStatus(show, "live");
    const lines = REPLAY_PAGE * 2 + 37;
    // A long show's chat, written straight into its log (a socket may send one line a second).
    await runInDurableObject(env.Room.getByName(roomId), (_room, state) => {
      const sql = state.storage.sql;
      state.storage.transactionSync(() => {
        for (let i = 0; i < lines; i++) {
          const seq = headSeq(sql) + 1;
          const at = Date.now() + i;
          appendEvent(sql, { type: "chat", seq, message: { id: `m_${i}`, seq, name: "Ana", role: "viewer", text: `line ${i}`, at, author: "v_0123456789abcdef" } }, at);
        }
      });
    });
    await setStatus(show, "ended");
    const seqs: number[] = [];
    let after: number | undefined;
    let pages = 0;
    do {
      const res = await timelineOf(roomId, after);
      expect(res.status).toBe(200);
      const { timeline } = await json(res);
      expect(timeline.events.length).toBeLessThanOrEqual(REPLAY_PAGE);
      expect(timeline.start === null).toBe(pages > 0);
      seqs.push(...timeline.events.map((row: any) => row.seq));
      after = timeline.next ?? undefined;
      pages += 1;
    } while (after !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seqs.length).toBe(lines + 1);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.at(-1)! - seqs[0]!).toBe(seqs.length - 1);

    await expectError(await call(`/api/rooms/${roomId}/replay/events?after=-1`), 400, "invalid_request");
    await expectError(await call(`/api/rooms/${roomId}/replay/events?after=abc`), 400, "invalid_request");
    await expectError(await timelineOf("r_0000000000000000"), 404, "not_found");
  });
});
