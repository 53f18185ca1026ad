/**
 * `npm run bench:flash-sale`: 10,000 buy attempts from many concurrent
 * clients on 100 units of one product in one room, against the local stack
 * (wrangler dev, the Room Durable Object, local D1), then the same load
 * against the naive baseline (each purchase a conditional UPDATE straight on
 * D1, bench/baseline/). One attempt in 20 is sent twice at once with the same
 * Idempotency-Key, as a client does that retries a request it gave up on. Checks
 * exactly-once (orders = units, none oversold, no duplicate order for one
 * attempt, every order in D1) and writes the figures to bench/RESULTS.md.
 *
 *   ATTEMPTS=10000 UNITS=100 CLIENTS=200 RUNS=3 npm run bench:flash-sale
 */
import { cpus } from "node:os";
import { resolve } from "node:path";
import { api, clientAddress, startStack, type Stack } from "../scripts/stack.ts";
import { writeSection } from "./results.ts";

const ATTEMPTS = Number(process.env.ATTEMPTS ?? 10_000);
const UNITS = Number(process.env.UNITS ?? 100);
const CLIENTS = Number(process.env.CLIENTS ?? 200);
const RUNS = Number(process.env.RUNS ?? 3);

type Outcome = { status: number; ms: number; key: string; orderId?: string };
const RETRY_EVERY = 20;


/** CLIENTS workers share ATTEMPTS requests; each attempt is a distinct buyer with its own Idempotency-Key. */
async function load(buy: (attempt: number) => Promise<Response>): Promise<{ outcomes: Outcome[]; seconds: number }> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = performance.now();
  const send = async (attempt: number) => {
    const t0 = performance.now();
    try {
      const res = await buy(attempt);
      const body = (await res.json()) as { order?: { id: string } };
      outcomes.push({ status: res.status, ms: performance.now() - t0, key: String(attempt), orderId: body.order?.id });
    } catch {
      outcomes.push({ status: 0, ms: performance.now() - t0, key: String(attempt) });
    }
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < ATTEMPTS) {
        const attempt = next++;
        // Every RETRY_EVERY-th attempt is sent twice at once, same key and body: a client that
        // gave up waiting on its first request and retried while the first was still on its way.
        await (attempt % RETRY_EVERY === 0 ? Promise.all([send(attempt), send(attempt)]) : send(attempt));
      }
    }),
  );
  return { outcomes, seconds: (performance.now() - started) / 1000 };
}

function summarize(outcomes: Outcome[], seconds: number) {
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  const created = outcomes.filter((o) => o.status === 201);
  const ordersPerKey = new Map<string, Set<string>>();
  for (const o of created) ordersPerKey.set(o.key, (ordersPerKey.get(o.key) ?? new Set()).add(o.orderId!));
  return {
    created: new Set(created.map((o) => o.orderId)).size,
    requests: outcomes.length,
    soldOut: outcomes.filter((o) => o.status === 409).length,
    errors: outcomes.filter((o) => o.status !== 201 && o.status !== 409).length,
    // One buyer's single intent that became more than one order.
    duplicates: [...ordersPerKey.values()].reduce((n, ids) => n + ids.size - 1, 0),
    p50: at(0.5),
    p99: at(0.99),
    rps: outcomes.length / seconds,
    seconds,
  };
}

async function roomRun(stack: Stack) {
  const { origin } = stack;
  const { shop, apiKey } = await api(origin, "/api/shops", { name: "Flash sale bench" });
  const { product } = await api(origin, `/api/shops/${shop.id}/products`, { title: "Limited sneaker", priceCents: 12900 }, apiKey);
  const { room } = await api(origin, `/api/shops/${shop.id}/rooms`, { title: "Drop", products: [{ productId: product.id, stock: UNITS }] }, apiKey);
  const run = Math.random().toString(36).slice(2, 8);
  const { outcomes, seconds } = await load((attempt) =>
    fetch(`${origin}/api/rooms/${room.id}/orders`, {
      method: "POST",
      // Each buyer from its own phone (its own address): one machine is held to 120 writes a minute.
      headers: { "Content-Type": "application/json", "Idempotency-Key": `bench-${run}-${attempt}`, "CF-Connecting-IP": clientAddress(attempt) },
      body: JSON.stringify({ productId: product.id, quantity: 1, buyer: { name: `Buyer ${attempt}`, email: `b${attempt}@example.com` }, fulfilment: { type: "pickup" } }),
    }),
  );
  const summary = summarize(outcomes, seconds);
  const state = await api(origin, `/api/rooms/${room.id}`);
  const left = state.room.products[0].left as number;
  // The outbox writes to D1 right after each order; give it a moment, then count.
  let inD1 = 0;
  for (let i = 0; i < 40; i++) {
    inD1 = (await api(origin, `/api/shops/${shop.id}/orders`, undefined, apiKey)).orders.length;
    if (inD1 >= summary.created) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { ...summary, left, oversold: Math.max(0, summary.created - UNITS), inD1 };
}

async function baselineRun(stack: Stack) {
  const { origin } = stack;
  const roomId = "r_BaselineRoom0001";
  const productId = "p_BaselineShoe0001";
  await api(origin, "/stock", { roomId, productId, units: UNITS });
  const run = Math.random().toString(36).slice(2, 8);
  const { outcomes, seconds } = await load((attempt) =>
    fetch(`${origin}/api/rooms/${roomId}/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": `base-${run}-${attempt}` },
      body: JSON.stringify({ productId, quantity: 1, buyer: { name: `Buyer ${attempt}`, email: `b${attempt}@example.com` }, fulfilment: { type: "pickup" } }),
    }),
  );
  const summary = summarize(outcomes, seconds);
  const state = await api(origin, "/state");
  const soldUnits = UNITS - (state.left as number);
  return { ...summary, left: state.left as number, oversold: Math.max(0, soldUnits - UNITS), inD1: state.orders as number };
}

type Result = Awaited<ReturnType<typeof roomRun>>;
const roomRuns: Result[] = [];
const baselineRuns: Result[] = [];
// The two paths take turns, RUNS times, so that whatever else the machine is
// doing falls on both alike, and the spread between runs shows the noise.
for (let run = 1; run <= RUNS; run++) {
  const room = await startStack();
  try {
    roomRuns.push(await roomRun(room));
  } finally {
    await room.stop();
  }
  const baseline = await startStack({ config: resolve(import.meta.dirname, "baseline/wrangler.toml") });
  try {
    baselineRuns.push(await baselineRun(baseline));
  } finally {
    await baseline.stop();
  }
  for (const [name, r] of [["room", roomRuns.at(-1)!], ["baseline", baselineRuns.at(-1)!]] as const) {
    console.log(
      `run ${run} ${name}: created ${r.created}, oversold ${r.oversold}, duplicates ${r.duplicates}, in D1 ${r.inD1}, sold out ${r.soldOut}, errors ${r.errors}, ` +
        `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s`,
    );
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const exact = roomRuns.every((r) => r.created === UNITS && r.oversold === 0 && r.duplicates === 0 && r.inD1 === UNITS && r.left === 0);
const f = (v: number) => v.toFixed(1);
const row = (name: string, run: number, r: Result) =>
  `| ${name} | ${run} | ${r.created} | ${r.oversold} | ${r.duplicates} | ${r.inD1} | ${r.soldOut} | ${r.errors} | ${f(r.p50)} ms | ${f(r.p99)} ms | ${r.rps.toFixed(0)} |`;
const ratio = (pick: (r: Result) => number) => median(roomRuns.map(pick)) / median(baselineRuns.map(pick));
const rpsRange = (runs: Result[]) => `${Math.min(...runs.map((r) => r.rps)).toFixed(0)}–${Math.max(...runs.map((r) => r.rps)).toFixed(0)}`;
writeSection(
  "flash-sale",
  `## Flash sale: ${ATTEMPTS.toLocaleString("en")} buy attempts on ${UNITS} units (\`npm run bench:flash-sale\`)

Measured ${new Date().toISOString().slice(0, 10)} on this project's machine (${cpus().length} cores), \`wrangler dev\` (workerd, local D1) on loopback,
${CLIENTS} concurrent clients in one Node process on the same machine, one product in one room, every attempt a distinct buyer
with its own Idempotency-Key; one attempt in ${RETRY_EVERY} is sent twice at once with the same key and body (a client that
retried a request it gave up waiting for), so ${(ATTEMPTS + Math.ceil(ATTEMPTS / RETRY_EVERY)).toLocaleString("en")} requests per run. Latency is end to end (request sent → response read).
*Duplicates* counts orders beyond the first for one attempt. The two paths take turns, ${RUNS} runs each, on fresh state.

| path | run | orders created | oversold | duplicates | orders in D1 | sold out (409) | other errors | p50 | p99 | requests/s |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${roomRuns.map((r, i) => row("Room Durable Object (this project)", i + 1, r)).join("\n")}
${baselineRuns.map((r, i) => row("Baseline: conditional UPDATE on D1", i + 1, r)).join("\n")}

Exactly right, every run: the Room **${exact ? "yes" : "NO"}** (${UNITS} units sold as ${UNITS} orders, none left, no duplicates, all in D1);
the baseline sold ${baselineRuns.map((r) => r.duplicates).join(", ")} unit(s) twice to retried attempts (it has no idempotency).
Speed, medians of the runs, Room ÷ baseline: throughput ×${ratio((r) => r.rps).toFixed(2)}, p50 ×${ratio((r) => r.p50).toFixed(2)}, p99 ×${ratio((r) => r.p99).toFixed(2)}
(throughput: higher is better; latency: lower is better). Throughput range across runs: Room ${rpsRange(roomRuns)} req/s, baseline ${rpsRange(baselineRuns)} req/s.

How to read the speed figures: both paths share the same Worker front (static-asset router, Hono, the same request
schemas and validation); only the inventory step differs: one RPC to the room's Durable Object, or one conditional
UPDATE on D1. Locally, D1 is SQLite inside the same workerd process, so its round trip costs about what the RPC to the
Room costs, and on two cores shared with the load generator both are bound by the Worker front. These local figures do
not show the production difference, where D1 is a network hop to one primary database for every room at once, while
each Room is its own object; they do show the cost of being right (idempotency, the outbox, the live stock event).`,
);
if (!exact) {
  console.error("✗ the room's result is not exact");
  process.exit(1);
}
