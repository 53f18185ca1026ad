/**
 * `npm run bench:fanout`: how fast a host's pin and chat reach every viewer.
 *
 * Starts the local stack (wrangler dev, fresh state), opens N viewer sockets
 * to one room, then, round after round, pins a product over the HTTP API and
 * sends a chat message over the host's socket, and records for every viewer
 * the time from the host's action to the frame arriving. Everything is on
 * loopback and bounded; the results go to bench/RESULTS.md.
 *
 *   npm run bench:fanout                 100, 500 and 1000 viewers
 *   VIEWERS=200 ROUNDS=10 npm run bench:fanout
 *   SHARD_FROM=100000 npm run bench:fanout    every socket on the Room (no audience shards)
 *
 * Audience shards (durable-objects/shards.ts) start at the Worker's plan
 * (wrangler.toml: from 500 viewers, 2,000 per shard) unless SHARD_FROM and
 * SHARD_SIZE say otherwise; each row says how many shards the show had.
 */
import { cpus } from "node:os";
import { api, clientAddress, roomSocketUrl, startStack } from "../scripts/stack.ts";
import { writeSection } from "./results.ts";

const viewerCounts = (process.env.VIEWERS ?? "100,500,1000").split(",").map(Number);
const rounds = Number(process.env.ROUNDS ?? 20);
const plan = {
  ...(process.env.SHARD_FROM ? { AUDIENCE_SHARD_FROM: process.env.SHARD_FROM } : {}),
  ...(process.env.SHARD_SIZE ? { AUDIENCE_SHARD_SIZE: process.env.SHARD_SIZE } : {}),
};
const planOf = () => ({ from: Number(process.env.SHARD_FROM ?? 500), size: Number(process.env.SHARD_SIZE ?? 2000) });
/** How many shards a show of `viewers` has under the plan (the Room keeps `from`, each shard holds `size`). */
const shardsFor = (viewers: number) => Math.max(0, Math.ceil((viewers - planOf().from) / planOf().size));

type Frame = { type: string; seq: number; productId?: string | null; message?: { text: string } };


function openSocket(url: string, onFrame: (frame: Frame, at: number) => void): Promise<WebSocket> {
  return new Promise((resolveOpen, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error("socket did not sync within 30 s")), 30_000);
    ws.addEventListener("message", (event) => {
      const at = performance.now();
      const frame = JSON.parse(String(event.data)) as Frame;
      if (frame.type === "sync") {
        clearTimeout(timer);
        resolveOpen(ws);
      }
      onFrame(frame, at);
    });
    ws.addEventListener("error", () => reject(new Error(`socket error on ${url}`)));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(origin: string, viewers: number) {
  const { shop, apiKey } = await api(origin, "/api/shops", { name: "Bench shop" });
  const products = [];
  for (const title of ["A", "B"]) products.push((await api(origin, `/api/shops/${shop.id}/products`, { title, priceCents: 100 }, apiKey)).product);
  const { room, links } = await api(origin, `/api/shops/${shop.id}/rooms`, { title: "Fan-out", products: products.map((p: any) => ({ productId: p.id, stock: 1 })) }, apiKey);
  const hostKey = new URL(links.host).hash.slice("#key=".length);

  // expected[key] = the moment the host acted; latencies collect arrival - that moment.
  const sentAt = new Map<string, number>();
  const latencies = { pin: [] as number[], chat: [] as number[] };
  let missing = 0;
  const onFrame = (frame: Frame, at: number) => {
    const key = frame.type === "pin" ? `pin:${frame.seq}` : frame.type === "chat" ? `chat:${frame.message!.text}` : null;
    const start = key ? sentAt.get(key) : undefined;
    if (start !== undefined) latencies[frame.type as "pin" | "chat"].push(at - start);
  };

  const sockets: WebSocket[] = [];
  const connectStart = performance.now();
  for (let i = 0; i < viewers; i += 50) {
    // Each viewer from its own phone (its own address), as a KOL's audience is.
    const batch = Array.from({ length: Math.min(50, viewers - i) }, async (_, j) => openSocket(await roomSocketUrl(origin, room.id, undefined, clientAddress(i + j)), onFrame));
    sockets.push(...(await Promise.all(batch)));
  }
  const connectMs = performance.now() - connectStart;
  const host = await openSocket(await roomSocketUrl(origin, room.id, hostKey), () => {});

  let seq = 0;
  for (let round = 0; round < rounds; round++) {
    const before = latencies.pin.length + latencies.chat.length;
    seq += 1;
    sentAt.set(`pin:${seq}`, performance.now());
    await api(origin, `/api/rooms/${room.id}/pin`, { productId: products[round % 2].id }, hostKey);
    const text = `round ${round}`;
    seq += 1;
    // Host chat is rate-limited to a burst of 5 then 1/s: pace the rounds.
    await new Promise((r) => setTimeout(r, 1000));
    sentAt.set(`chat:${text}`, performance.now());
    host.send(JSON.stringify({ type: "chat", text }));
    const deadline = performance.now() + 10_000;
    while (latencies.pin.length + latencies.chat.length < before + 2 * viewers && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    missing += before + 2 * viewers - (latencies.pin.length + latencies.chat.length);
  }
  for (const ws of [...sockets, host]) ws.close();
  await new Promise((r) => setTimeout(r, 500));

  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)! };
  };
  return { viewers, connectMs, missing, pin: summary(latencies.pin), chat: summary(latencies.chat) };
}

const stack = await startStack({ vars: plan });
const results = [];
try {
  for (const viewers of viewerCounts) {
    const result = await measure(stack.origin, viewers);
    results.push(result);
    console.log(
      `${viewers} viewers: pin p50 ${result.pin.p50.toFixed(1)} ms p99 ${result.pin.p99.toFixed(1)} ms max ${result.pin.max.toFixed(1)} ms; ` +
        `chat p50 ${result.chat.p50.toFixed(1)} ms p99 ${result.chat.p99.toFixed(1)} ms; missing ${result.missing}; connect ${result.connectMs.toFixed(0)} ms`,
    );
  }
} finally {
  await stack.stop();
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const table = [
  "| viewers | shards | deliveries | pin p50 | pin p95 | pin p99 | pin max | chat p50 | chat p99 | chat max | lost | all sockets synced in |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.map((r) =>
    `| ${r.viewers} | ${shardsFor(r.viewers)} | ${r.pin.n + r.chat.n} | ${ms(r.pin.p50)} | ${ms(r.pin.p95)} | ${ms(r.pin.p99)} | ${ms(r.pin.max)} | ${ms(r.chat.p50)} | ${ms(r.chat.p99)} | ${ms(r.chat.max)} | ${r.missing} | ${(r.connectMs / 1000).toFixed(1)} s |`,
  ),
].join("\n");
writeSection(
  "fanout",
  `## Fan-out: host action → every viewer (\`npm run bench:fanout\`)

Measured ${new Date().toISOString().slice(0, 10)} on this project's machine (${cpus().length} cores, ${cpus()[0]?.model.trim()}), \`wrangler dev\` (workerd) on loopback,
one room, ${rounds} rounds per row. *pin*: \`POST /api/rooms/{id}/pin\` sent → \`pin\` frame received by each viewer.
*chat*: host socket sends → \`chat\` frame received by each viewer. The viewers are Node WebSocket clients in one
process on the same 2 cores as workerd, so the figures include client-side queueing; goal: every viewer within 1 s.
Each viewer joins as a page does: a socket ticket over HTTP (\`POST /api/rooms/{id}/tickets\`), then the socket, so
*all sockets synced in* counts both. *shards*: the show's audience shards (the Room keeps the first ${planOf().from} viewers,
each shard ${planOf().size}); 0 is every socket on the Room.

${table}`,
);
