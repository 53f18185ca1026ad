/**
 * The chat sampler (durable-objects/chat-sampling.ts) as a pure module, by
 * properties: viewers are never shown more than the rate allows, the people
 * running the show always are, a chat within the rate is shown whole, and a
 * flood from one viewer does not starve another.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChatSampler, DEFAULT_SAMPLE_PER_SECOND, RECENT_MS, sampleRate } from "../durable-objects/chat-sampling.ts";

type Message = { at: number; author: string; privileged: boolean };
type Decided = Message & { shown: boolean };

/** Runs messages (in time order) through a fresh sampler that starts at the first one. */
function run(rate: number, messages: Message[]): Decided[] {
  const sampler = new ChatSampler(rate, messages[0]?.at ?? 0);
  return messages.map((m) => ({ ...m, shown: sampler.show(m.author, m.privileged, m.at) }));
}

/** Times from gaps (ms), starting at an arbitrary clock. */
const timesFrom = (start: number, gaps: number[]) => {
  let at = start;
  return gaps.map((gap) => (at += gap));
};

/** Any rate the setting takes: 0 is no sampler at all, and below 1 is refused (sampleRate). */
const rates = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.double({ min: 1, max: 20, noNaN: true }));
const authors = fc.constantFrom("v_a", "v_b", "v_c", "v_d", "v_e", "v_f", "v_g", "v_h");
/** Any chat: bursts and lulls, a few authors, now and then the host. */
const anyChat = fc
  .tuple(
    fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
    fc.array(fc.record({ gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3000 })), author: authors, privileged: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }), { maxLength: 300 }),
  )
  .map(([start, rows]) => {
    const at = timesFrom(start, rows.map((r) => r.gap));
    return rows.map((r, i) => ({ at: at[i]!, author: r.author, privileged: r.privileged }));
  });

describe("the chat sampler", () => {
  it("never shows viewers more than rate × seconds + its burst, over any stretch of time", () => {
    fc.assert(
      fc.property(rates, anyChat, (rate, messages) => {
        const shown = run(rate, messages).filter((m) => m.shown && !m.privileged);
        const capacity = new ChatSampler(rate, 0).capacity;
        for (let i = 0; i < shown.length; i++) {
          for (let j = i; j < shown.length; j++) {
            const count = j - i + 1;
            expect(count).toBeLessThanOrEqual(rate * ((shown[j]!.at - shown[i]!.at) / 1000) + capacity + 1e-6);
          }
        }
      }),
    );
  });

  it("always shows the host's, moderators' and guests' messages", () => {
    fc.assert(
      fc.property(rates, anyChat, (rate, messages) => {
        for (const m of run(rate, messages)) if (m.privileged) expect(m.shown).toBe(true);
      }),
    );
  });

  it("below the rate, shows everything: one message per 1/rate seconds", () => {
    fc.assert(
      fc.property(rates, anyChat, (rate, messages) => {
        // The same authors and order, spread out to the rate (or slower).
        const spaced = messages.map((m, i) => ({ ...m, at: messages[0]!.at + Math.ceil((i * 1000) / rate) + (m.at - messages[0]!.at) }));
        for (const m of run(rate, spaced)) expect(m.shown).toBe(true);
      }),
    );
  });

  it("at the rate in every second (at most `rate` messages in any second, bunched or not), shows everything", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), anyChat, (rate, messages) => {
        // Each message is held back until the one `rate` before it is a second old.
        const at: number[] = [];
        for (const [i, m] of messages.entries()) at.push(Math.max(m.at, at[i - 1] ?? m.at, i >= rate ? at[i - rate]! + 1000 : m.at));
        const paced = messages.map((m, i) => ({ ...m, at: at[i]! }));
        for (const m of run(rate, paced)) expect(m.shown).toBe(true);
      }),
    );
  });

  it("a flood from one viewer does not starve a second: one not shown for RECENT_MS is shown", () => {
    fc.assert(
      fc.property(
        rates,
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 100, maxLength: 400 }),
        fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 5, maxLength: 40 }),
        (rate, floodGaps, otherGaps) => {
          const start = 1_750_000_000_000;
          const flood = timesFrom(start, floodGaps).map((at) => ({ at, author: "v_flood", privileged: false }));
          const other = timesFrom(start, otherGaps).map((at) => ({ at, author: "v_other", privileged: false }));
          const decided = run(rate, [...flood, ...other].sort((a, b) => a.at - b.at));
          let lastShown = -Infinity;
          for (const m of decided.filter((d) => d.author === "v_other")) {
            if (m.at - lastShown >= RECENT_MS) expect(m.shown).toBe(true);
            if (m.shown) lastShown = m.at;
          }
          // And the flood is sampled, not shown whole (it was over the rate).
          const flooded = flood.at(-1)!.at - start;
          if (flood.length > rate * (flooded / 1000) + new ChatSampler(rate, 0).capacity) expect(decided.some((d) => !d.shown)).toBe(true);
        },
      ),
    );
  });

  it("in a crowd, viewers are shown at the rate, and an author at most once per RECENT_MS", () => {
    // 2,000 viewers in turn, a message every millisecond (each viewer every 2 s): far above the rate.
    const rate = 3;
    const messages: Message[] = [];
    for (let i = 0; i < 60_000; i++) messages.push({ at: 1_750_000_000_000 + i, author: `v_${i % 2000}`, privileged: false });
    const decided = run(rate, messages);
    const shown = decided.filter((m) => m.shown);
    expect(shown.length).toBeLessThanOrEqual(rate * 60 + 3 * rate);
    expect(shown.length).toBeGreaterThanOrEqual(rate * 59);
    // Nobody shown twice within RECENT_MS.
    const last = new Map<string, number>();
    for (const m of shown) {
      const before = last.get(m.author);
      if (before !== undefined) expect(m.at - before).toBeGreaterThanOrEqual(RECENT_MS);
      last.set(m.author, m.at);
    }
  });

  it("reads its setting defensively", () => {
    expect(sampleRate("3")).toBe(3);
    expect(sampleRate(" 1.5 ")).toBe(1.5);
    expect(sampleRate("0")).toBe(0);
    expect(sampleRate(12)).toBe(12);
    for (const bad of [undefined, null, "", " ", "fast", "-1", "0.5", "Infinity", "NaN", "3/s", {}, -2, 0.2, Number.NaN]) {
      expect(sampleRate(bad)).toBe(DEFAULT_SAMPLE_PER_SECOND);
    }
  });
});
