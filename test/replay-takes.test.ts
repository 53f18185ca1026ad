/**
 * The replay's video layout (client/src/replay/takes.ts) and its timeline
 * folding (client/src/replay/timeline.ts): which recordings play at a replay
 * time, in the live stage's order, where a publisher's gap shows as
 * "Reconnecting…", and the room as it was at any moment (checkpoints give
 * the same as folding from the start).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RoomEvent, RoomState } from "../durable-objects/protocol.ts";
import { takesAt } from "../client/src/replay/takes.ts";
import { createTimeline, linkedTime, momentLink, type Take, type TimelinePage } from "../client/src/replay/timeline.ts";
import { applyEvents } from "../client/src/room-state.ts";

const take = (id: string, publisher: string, role: Take["role"], source: Take["source"], startMs: number, durationMs: number): Take => ({
  id, publisher, role, source, startMs, durationMs, mime: "video/webm", url: `/takes/${id}`,
});

describe("the replay's takes", () => {
  const takes = [
    take("h1", "host", "host", "camera", 0, 10_000),
    // The host's page reloaded at 10 s: back at 12 s, a new take.
    take("h2", "host", "host", "camera", 12_000, 20_000),
    take("g1", "guest-a", "guest", "camera", 5_000, 25_000),
    take("s1", "host", "host", "screen", 15_000, 5_000),
  ];

  it("places each take at its start on one clock, screen share first, then the host, then guests", () => {
    expect(takesAt(takes, 1000).playing.map((p) => [p.take.id, p.offsetMs])).toEqual([["h1", 1000]]);
    expect(takesAt(takes, 16_000).playing.map((p) => [p.take.id, p.offsetMs])).toEqual([["s1", 1000], ["h2", 4000], ["g1", 11_000]]);
    expect(takesAt(takes, 40_000).playing).toEqual([]);
  });

  it("shows a publisher's gap between two takes as reconnecting, and only that", () => {
    expect(takesAt(takes, 11_000)).toMatchObject({ reconnecting: true });
    expect(takesAt(takes, 11_000).playing.map((p) => p.take.id)).toEqual(["g1"]);
    for (const at of [0, 9_999, 12_000, 21_000, 31_000, 40_000]) expect(takesAt(takes, at).reconnecting, `at ${at}`).toBe(false);
  });
});

describe("the replay's timeline", () => {
  const room: RoomState = {
    id: "r_0000000000000000", shopId: "s_0000000000000000", shopName: "Lotus Tea", title: "Spring tasting", status: "live", startsAt: null,
    pinnedProductId: null, viewers: 0, reactions: 0, products: [{ id: "p_aaaaaaaaaaaaaaaa", title: "Tea", description: null, priceCents: 1000, currency: "EUR", imageUrl: null, left: 5 }],
    deal: null, stage: [],
  };
  const liveAt = 1_000_000;
  const events = (count: number) =>
    Array.from({ length: count }, (_, i): { seq: number; at: number; event: RoomEvent } => {
      const seq = i + 2;
      const at = liveAt + i * 100;
      const event: RoomEvent = i % 50 === 0
        ? { type: "pin", seq, productId: i % 100 === 0 ? "p_aaaaaaaaaaaaaaaa" : null }
        : { type: "chat", seq, message: { id: `m_${seq}`, seq, name: "Ana", role: "viewer", text: `line ${i}`, at } };
      return { seq, at, event };
    });
  const page = (rows: ReturnType<typeof events>, first: boolean, next: number | null): TimelinePage => ({
    liveAt, endedAt: liveAt + 200_000, head: 9999,
    start: first ? { seq: 1, room, messages: [], chat: { slowModeSeconds: 0, pinned: null } } : null,
    audience: first ? { fromSecond: liveAt / 1000, hearts: [0, 3], viewers: [2, null, 5] } : null,
    events: rows, next,
  });

  it("gives the room at any moment as folding the log from the start does, across pages", () => {
    const rows = events(1234);
    const timeline = createTimeline(page(rows.slice(0, 500), true, 501));
    timeline.append(page(rows.slice(500), false, null));
    const start = { room, messages: [], chat: { slowModeSeconds: 0, pinned: null }, you: null };
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 130_000 }), (t) => {
        const upTo = rows.filter((row) => row.at - liveAt <= t).map((row) => row.event);
        const { room: at, ...rest } = timeline.viewAt(t);
        const { room: folded, ...expected } = applyEvents(start, upTo);
        expect(rest).toEqual(expected);
        expect({ ...at, viewers: 0 }).toEqual({ ...folded, viewers: 0 });
      }),
      { numRuns: 200 },
    );
    // Viewers are carried forward from the last second counted.
    expect(timeline.viewAt(1500).room.viewers).toBe(2);
    expect(timeline.viewAt(2500).room.viewers).toBe(5);
    expect(timeline.pins().map((pin) => pin.atMs)).toEqual([...Array(13).keys()].map((k) => k * 10_000));
  });

  it("opens at ?t= seconds, or at a product's first chapter", () => {
    const chapters = [{ productId: "p_a", atMs: 4000 }, { productId: "p_b", atMs: 9000 }, { productId: "p_a", atMs: 12_000 }];
    expect(linkedTime("?t=754", chapters)).toBe(754_000);
    expect(linkedTime("?product=p_a", chapters)).toBe(4000);
    expect(linkedTime("?product=p_b&ref=x", chapters)).toBe(9000);
    expect(linkedTime("?product=p_zz", chapters)).toBeNull();
    expect(linkedTime("?t=-3", chapters)).toBeNull();
    expect(linkedTime("", chapters)).toBeNull();
  });
});

describe("the replay's share link", () => {
  it("points at the moment, in whole seconds, without the product it was opened at", () => {
    expect(momentLink("https://shop.test/r/r_0000000000000000?product=p_a&ref=x#key=y", 754_900)).toBe("https://shop.test/r/r_0000000000000000?ref=x&t=754");
  });
});
