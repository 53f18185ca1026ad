/**
 * `npm run bench:fault`: hard-kills the runtime in the middle of a flash sale,
 * again and again, and checks that nothing acknowledged is lost and nothing is
 * oversold.
 *
 * Each round restarts `wrangler dev` on the same local state, sends buy
 * attempts from many concurrent clients, and after a random moment SIGKILLs
 * wrangler and workerd together. Afterwards, on a final restart, it retries
 * every attempt whose answer was lost (same Idempotency-Key, same body, as a
 * real client would), waits for the outbox, and checks:
 *   - every acknowledged order (201) is readable from the room with its token,
 *     unchanged, and is in D1;
 *   - D1 holds exactly the room's orders, no duplicates;
 *   - units sold + units left = units listed, and nothing was oversold.
 * Everything is on loopback; rounds and durations are bounded.
 *
 *   ROUNDS=8 UNITS=4000 npm run bench:fault
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api, clientAddress, freePort, startStack, type Stack } from "../scripts/stack.ts";
import { writeSection } from "./results.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const UNITS = Number(process.env.UNITS ?? 3000);
const CLIENTS = Number(process.env.CLIENTS ?? 40);

type Attempt = { n: number; key: string; quantity: number; email: string };
type Ack = { orderId: string; token: string; number: number; quantity: number };

const state = mkdtempSync(join(tmpdir(), "shop-along-fault-"));
const port = await freePort();
const start = () => startStack({ state, port });


let stack: Stack = await start();
const { shop, apiKey } = await api(stack.origin, "/api/shops", { name: "Fault test" });
const { product } = await api(stack.origin, `/api/shops/${shop.id}/products`, { title: "Flash item", priceCents: 500 }, apiKey);
const { room } = await api(stack.origin, `/api/shops/${shop.id}/rooms`, { title: "Kill -9", products: [{ productId: product.id, stock: UNITS }] }, apiKey);

const acked = new Map<string, Ack>();
const lost = new Map<string, Attempt>();
let soldOutAnswers = 0;
let attemptNo = 0;
const rounds: Array<{ round: number; killAfterMs: number; acked: number; lostAnswers: number; restartMs: number }> = [];

function order(origin: string, attempt: Attempt) {
  return fetch(`${origin}/api/rooms/${room.id}/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": attempt.key, "CF-Connecting-IP": clientAddress(attempt.n) },
    body: JSON.stringify({ productId: product.id, quantity: attempt.quantity, buyer: { name: "Buyer", email: attempt.email }, fulfilment: { type: "pickup" } }),
    signal: AbortSignal.timeout(10_000),
  });
}

async function record(attempt: Attempt, res: Response) {
  const body = (await res.json()) as any;
  if (res.status === 201) {
    const ack = { orderId: body.order.id, token: body.orderToken, number: body.order.number, quantity: body.order.quantity };
    const before = acked.get(attempt.key);
    if (before && before.orderId !== ack.orderId) throw new Error(`key ${attempt.key} answered two different orders`);
    acked.set(attempt.key, ack);
    lost.delete(attempt.key);
  } else if (res.status === 409) {
    soldOutAnswers += 1;
    lost.delete(attempt.key);
  } else {
    throw new Error(`unexpected ${res.status}: ${JSON.stringify(body)}`);
  }
}

try {
  for (let round = 1; round <= ROUNDS; round++) {
    if (round > 1) {
      const t0 = performance.now();
      stack = await start();
      rounds[rounds.length - 1]!.restartMs = performance.now() - t0;
    }
    const ackedBefore = acked.size;
    let killed = false;
    const killAfterMs = 300 + Math.floor(Math.random() * 1200);
    const load = Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (!killed) {
          const n = ++attemptNo;
          const attempt = { n, key: `fault-${n}-${Math.random().toString(36).slice(2, 10)}`, quantity: 1 + (n % 3), email: `b${n}@example.com` };
          lost.set(attempt.key, attempt);
          try {
            await record(attempt, await order(stack.origin, attempt));
          } catch (error) {
            if (!killed) throw error;
            return; // the answer was lost in the kill: retried after the last restart
          }
        }
      }),
    );
    await new Promise((r) => setTimeout(r, killAfterMs));
    killed = true;
    await stack.kill();
    await load;
    rounds.push({ round, killAfterMs, acked: acked.size - ackedBefore, lostAnswers: lost.size, restartMs: 0 });
    console.log(`round ${round}: SIGKILL after ${killAfterMs} ms, ${acked.size - ackedBefore} orders acknowledged, ${lost.size} answers lost so far`);
  }

  // Final restart: clients retry what they never heard back about.
  const t0 = performance.now();
  stack = await start();
  rounds[rounds.length - 1]!.restartMs = performance.now() - t0;
  const retried = lost.size;
  for (const attempt of [...lost.values()]) await record(attempt, await order(stack.origin, attempt));

  // Every order the room has must reach D1 (its outbox drains after restarts).
  const latest = (await api(stack.origin, `/api/rooms/${room.id}/orders`, undefined, apiKey)).orders[0];
  const roomOrders = latest?.number ?? 0;
  let d1: any[] = [];
  for (let i = 0; i < 120; i++) {
    d1 = (await api(stack.origin, `/api/shops/${shop.id}/orders`, undefined, apiKey)).orders;
    if (d1.length >= roomOrders) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const d1Ids = new Set(d1.map((o) => o.id));
  const left = (await api(stack.origin, `/api/rooms/${room.id}`)).room.products[0].left as number;
  const sold = d1.reduce((sum, o) => sum + o.quantity, 0);

  const problems: string[] = [];
  for (const [key, ack] of acked) {
    const res = await fetch(`${stack.origin}/api/orders/${ack.orderId}`, { headers: { Authorization: `Bearer ${ack.token}` } });
    const body = (await res.json()) as any;
    if (res.status !== 200 || body.order.number !== ack.number || body.order.quantity !== ack.quantity) problems.push(`acknowledged ${ack.orderId} (${key}) not readable or changed`);
    if (!d1Ids.has(ack.orderId)) problems.push(`acknowledged ${ack.orderId} missing from D1`);
  }
  if (d1.length !== roomOrders) problems.push(`D1 has ${d1.length} orders, the room ${roomOrders}`);
  if (d1Ids.size !== d1.length) problems.push("duplicate order ids in D1");
  if (sold + left !== UNITS) problems.push(`sold ${sold} + left ${left} != listed ${UNITS}`);
  if (sold > UNITS || left < 0) problems.push(`oversold: sold ${sold} of ${UNITS}`);

  const verdict = problems.length === 0 ? "no acknowledged order lost, nothing oversold" : `FAILED: ${problems.slice(0, 5).join("; ")}`;
  console.log(`\n${acked.size} acknowledged, ${retried} retried after the last restart, room ${roomOrders} orders, D1 ${d1.length}, sold ${sold}, left ${left}: ${verdict}`);
  writeSection(
    "fault-kill",
    `## Hard kills during a flash sale (\`npm run bench:fault\`)

Measured ${new Date().toISOString().slice(0, 10)}: ${ROUNDS} rounds on one local state; in each, ${CLIENTS} concurrent clients buy
(1–3 units per order, ${UNITS} units listed) until \`wrangler dev\` and workerd are killed with SIGKILL at a random moment, then
restarted on the same state. After the last restart, every attempt whose answer was lost is retried with its Idempotency-Key.

| round | killed after | orders acknowledged in the round | answers lost so far | restart took |
| ---: | ---: | ---: | ---: | ---: |
${rounds.map((r) => `| ${r.round} | ${r.killAfterMs} ms | ${r.acked} | ${r.lostAnswers} | ${(r.restartMs / 1000).toFixed(1)} s |`).join("\n")}

Result: ${acked.size} orders acknowledged in all, ${retried} lost answers retried, ${roomOrders} orders in the room and
${d1.length} in D1, ${sold} units sold + ${left} left = ${sold + left} of ${UNITS} listed, ${soldOutAnswers} sold-out answers.
**${verdict}.**`,
  );
  if (problems.length) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(state, { recursive: true, force: true });
}
