/**
 * The shared room reducer (client/src/room-state.ts), which the live page
 * and the replay both fold the log with: pure, order-respecting, and
 * indifferent to how the log is cut into batches (a replay reads it in
 * pages, a live page gets it one event at a time or in a resume's replay).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS, type RoomEvent, type RoomState } from "../durable-objects/protocol.ts";
import { applyEvent, applyEvents, type RoomView } from "../client/src/room-state.ts";

const products = ["p_aaaaaaaaaaaaaaaa", "p_bbbbbbbbbbbbbbbb"];
const product = (id: string, left: number) => ({ id, title: id, description: null, priceCents: 1000, currency: "EUR", imageUrl: null, left });
const room: RoomState = {
  id: "r_0000000000000000", shopId: "s_0000000000000000", shopName: "Lotus Tea", title: "Spring tasting", status: "live", startsAt: null,
  pinnedProductId: null, viewers: 0, reactions: 0, products: products.map((id) => product(id, 5)), deal: null, stage: [],
};
const start: RoomView = { room, messages: [], chat: { slowModeSeconds: 0, pinned: null }, you: null };

/** Any body of a durable event; numbered afterwards, in order. */
const eventBody: fc.Arbitrary<Omit<RoomEvent, "seq"> & { type: RoomEvent["type"] }> = fc.oneof(
  fc.record({ type: fc.constant("chat" as const), text: fc.string({ maxLength: 8 }) }).map(({ text }) => ({ type: "chat", text }) as any),
  fc.record({ type: fc.constant("chat_deleted" as const), messageId: fc.integer({ min: 1, max: 60 }).map((n) => `m_${n}`) }),
  fc.record({ type: fc.constant("pin" as const), productId: fc.option(fc.constantFrom(...products), { nil: null }) }),
  fc.record({ type: fc.constant("product" as const), product: fc.tuple(fc.constantFrom(...products, "p_cccccccccccccccc"), fc.nat(5)).map(([id, left]) => product(id, left)) }),
  fc.record({ type: fc.constant("deal" as const), deal: fc.option(fc.constantFrom(...products).map((productId) => ({ id: "d_1", productId, priceCents: 500, startsAt: 1, endsAt: 2, perBuyerLimit: null })), { nil: null }) }),
  fc.record({ type: fc.constant("slow_mode" as const), seconds: fc.nat(300) }),
  fc.record({ type: fc.constant("status" as const), status: fc.constantFrom("live" as const, "ended" as const) }),
  fc.record({ type: fc.constant("private" as const) }),
);

function numbered(bodies: Array<Record<string, unknown>>): RoomEvent[] {
  return bodies.map((body, i) => {
    const seq = i + 1;
    if (body.type === "chat") {
      return { type: "chat", seq, message: { id: `m_${seq}`, seq, name: "Ana", role: "viewer", text: body.text as string, at: seq * 1000 } };
    }
    return { ...body, seq } as RoomEvent;
  });
}

describe("the room reducer", () => {
  it("gives the same view for the whole log in one go as for any split of it into batches", () => {
    fc.assert(
      fc.property(fc.array(eventBody, { maxLength: 80 }), fc.array(fc.nat(), { maxLength: 10 }), (bodies, cuts) => {
        const events = numbered(bodies);
        const whole = applyEvents(start, events);
        const points = [...new Set(cuts.map((cut) => cut % (events.length + 1)))].sort((a, b) => a - b);
        let view = start;
        let from = 0;
        for (const point of [...points, events.length]) {
          view = applyEvents(view, events.slice(from, point));
          from = point;
        }
        expect(view).toEqual(whole);
      }),
    );
  });

  it("never changes the view it is given, and keeps the parts an event does not touch", () => {
    fc.assert(
      fc.property(fc.array(eventBody, { maxLength: 40 }), (bodies) => {
        const events = numbered(bodies);
        const before = structuredClone(start);
        let view = start;
        for (const event of events) {
          const next = applyEvent(view, event);
          if (event.type !== "chat" && event.type !== "chat_deleted") expect(next.messages).toBe(view.messages);
          if (event.type === "chat" || event.type === "chat_deleted" || event.type === "private") expect(next.room).toBe(view.room);
          view = next;
        }
        expect(start).toEqual(before);
      }),
    );
  });

  it("keeps the chat's last lines, in order, without deleted ones", () => {
    const lines = numbered(Array.from({ length: LIMITS.historyKept + 20 }, (_, i) => ({ type: "chat", text: `line ${i}` })));
    const view = applyEvents(start, [...lines, { type: "chat_deleted", seq: lines.length + 1, messageId: `m_${lines.length}` }]);
    expect(view.messages.length).toBe(LIMITS.historyKept - 1);
    expect(view.messages[0]!.text).toBe("line 20");
    expect(view.messages.at(-1)!.text).toBe(`line ${lines.length - 2}`);
  });

  it("applies a product it did not list, a pin, a deal and the end as the live page did", () => {
    const view = applyEvents(start, [
      { type: "pin", seq: 1, productId: products[1]! },
      { type: "product", seq: 2, product: product(products[1]!, 0) },
      { type: "product", seq: 3, product: product("p_cccccccccccccccc", 2) },
      { type: "status", seq: 4, status: "ended" },
    ]);
    expect(view.room).toMatchObject({ pinnedProductId: products[1], status: "ended" });
    expect(view.room.products.map((p) => [p.id, p.left])).toEqual([[products[0], 5], [products[1], 0], ["p_cccccccccccccccc", 2]]);
  });
});
