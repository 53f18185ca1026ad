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
 *   DIRECT=1 VIEWERS=9900 npm run bench:fanout  sockets straight to workerd's port (its own table)
 *   BARE=0 npm run bench:fanout          without the comparators (BARE=ws: the bare Node `ws` one only)
 *   PROFILE=/tmp/storm npm run bench:fanout  a CPU profile of the Room's join storm per row (/tmp/storm-{viewers}.cpuprofile)
 *   BURST=200 npm run bench:fanout       the chat burst after the rounds: 200 viewers send a line at once (0: none)
 *   PROTOCOL=2 npm run bench:fanout      viewers of the protocol before batched frames (an A/B on one server)
 *
 * Each row is measured three times in one run, with the same harness: against
 * the Room, then against a bare broadcast on workerd (bare-workerd/, the
 * runtime's floor) and a bare Node `ws` broadcast server (bare-broadcast.ts).
 *
 * Audience shards (durable-objects/shards.ts) start at the Worker's plan
 * (wrangler.toml: from 500 viewers, 2,000 per shard) unless SHARD_FROM and
 * SHARD_SIZE say otherwise; each row says how many shards the show had.
 */
import { cpus } from "node:os";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { api, clientAddress, roomSocketUrl, startStack, workerdOf, type Stack } from "../scripts/stack.ts";
import { BATCH_MS, BATCHES_SINCE, PROTOCOL_VERSION, VIEWER_SOCKET } from "../durable-objects/protocol.ts";
import { profileIsolate } from "./cpu-profile.ts";
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


/** A socket that resolves once synced. `address`: a viewer's, joining as the viewer page does (the viewer subprotocol, no ticket). */
function openSocket(url: string, onFrame: (frame: Frame, at: number) => void, address?: string, onMessage?: () => void): Promise<WebSocket> {
  return new Promise((resolveOpen, reject) => {
    // Node's WebSocket (undici) takes headers too, which the DOM's type does not say: each viewer's own address, as
    // Cloudflare would set it.
    const init = { protocols: [VIEWER_SOCKET], headers: { "CF-Connecting-IP": address } } as unknown as string[];
    const ws = address ? new WebSocket(url, init) : new WebSocket(url);
    const timer = setTimeout(() => reject(new Error("socket did not sync within 240 s")), 240_000);
    ws.addEventListener("message", (event) => {
      const at = performance.now();
      // A shard sends what came within a few ms as one frame, an array (protocol.ts, BATCHES_SINCE).
      const data = JSON.parse(String(event.data)) as Frame | Frame[];
      onMessage?.();
      for (const frame of Array.isArray(data) ? data : [data]) {
        if (frame.type === "sync") {
          clearTimeout(timer);
          resolveOpen(ws);
        }
        onFrame(frame, at);
      }
    });
    ws.addEventListener("error", (event) => reject(new Error(`socket error: ${(event as ErrorEvent).message ?? "no message"}`)));
    ws.addEventListener("close", (event) => reject(new Error(`closed before its sync: ${event.code} ${event.reason}`)));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
};
/** Arrivals of the join storm are spread over this long (a KOL posts the link; everyone taps within seconds). */
const stormSeconds = Number(process.env.STORM_SECONDS ?? 10);
/** A viewer whose socket fails tries again, as the page does, this many times in all. */
const JOIN_ATTEMPTS = 5;
/** The chat burst after the rounds: this many viewers send a line at the same moment (0: none; the Room only). */
const burstLines = Number(process.env.BURST ?? 50);

/** User and system CPU time of a process so far, in ms (/proc/{pid}/stat: utime and stime, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
/** Connections the kernel dropped since boot because a listen queue was full (TcpExt ListenOverflows). */
function listenOverflows(): number {
  const [names, values] = readFileSync("/proc/net/netstat", "utf8").split("\n").filter((line) => line.startsWith("TcpExt:")).map((line) => line.split(" "));
  return Number(values?.[names?.indexOf("ListenOverflows") ?? -1] ?? 0);
}
const rssKb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);

/** Where a run's calls go: the API (host, pins), the viewers' sockets; and the server's process. */
interface Target {
  api: string;
  sockets: string;
  pid: number;
  /** The runtime's inspector, to profile the join storm (PROFILE). */
  inspector?: string;
}

async function measure({ api: origin, sockets: socketOrigin, pid: serverPid, inspector }: Target, viewers: number, burst = 0) {
  const { shop, apiKey } = await api(origin, "/api/shops", { name: "Bench shop" });
  const products: Array<{ id: string }> = [];
  for (const title of ["A", "B"]) products.push((await api(origin, `/api/shops/${shop.id}/products`, { title, priceCents: 100 }, apiKey)).product);
  const { room, links } = await api(origin, `/api/shops/${shop.id}/rooms`, { title: "Fan-out", products: products.map((p: any) => ({ productId: p.id, stock: 1 })) }, apiKey);
  const hostKey = new URL(links.host).hash.slice("#key=".length);

  // expected[key] = the moment the host acted; latencies collect arrival - that moment.
  const sentAt = new Map<string, number>();
  const latencies = { pin: [] as number[], chat: [] as number[], stormPin: [] as number[] };
  /** The pins sent during the join storm: their latencies are the storm's cost to the viewers already in. */
  const stormPins = new Set<string>();
  let missing = 0;
  let duplicates = 0;
  const seen = new Set<string>();
  // Viewers already in the room when the storm comes (1 %, at most 100): viewers 0 to settledCount - 1.
  const settledCount = Math.min(100, Math.ceil(viewers / 100));
  // The chat burst: per viewer, its WebSocket messages and the burst's lines it got (as a chat line, or as a number
  // alone when the room's chat sampling left the line out for it); when it had them all.
  const messages: number[] = [];
  const burstGot: number[] = [];
  const burstDone: number[] = [];
  let burstStart: number | null = null;
  const onMessage = (viewer: number) => () => void (messages[viewer] = (messages[viewer] ?? 0) + 1);
  const onFrame = (viewer: number) => (frame: Frame, at: number) => {
    if (burstStart !== null && (frame.type === "private" || (frame.type === "chat" && frame.message!.text.startsWith("burst ")))) {
      burstGot[viewer] = (burstGot[viewer] ?? 0) + 1;
      if (burstGot[viewer] === burst) burstDone.push(at - burstStart);
    }
    const key = frame.type === "pin" ? `pin:${frame.seq}` : frame.type === "chat" ? `chat:${frame.message!.text}` : null;
    const start = key ? sentAt.get(key) : undefined;
    // A storm pin counts for the viewers already in; one that reached a newcomer is only a frame it needed.
    if (start === undefined || (stormPins.has(key!) && viewer >= settledCount)) return;
    if (seen.has(`${viewer}:${key}`)) duplicates += 1;
    seen.add(`${viewer}:${key}`);
    latencies[stormPins.has(key!) ? "stormPin" : (frame.type as "pin" | "chat")].push(at - start);
  };
  let seq = 0;
  let pins = 0;
  /** The host pins the other product (a pin of the pinned one is no event). */
  const pin = async (during: "storm" | "round") => {
    seq += 1;
    sentAt.set(`pin:${seq}`, performance.now());
    if (during === "storm") stormPins.add(`pin:${seq}`);
    await api(origin, `/api/rooms/${room.id}/pin`, { productId: products[pins++ % 2]!.id }, hostKey);
  };
  // PROTOCOL=2: the viewers speak the protocol before batches (BATCHES_SINCE), for an A/B on one server.
  const viewerUrl = `${socketOrigin.replace("http", "ws")}/parties/room/${room.id}?protocol=${process.env.PROTOCOL ?? PROTOCOL_VERSION}`;

  // The viewers already in join first, one after another; through the storm the host pins every second, and what
  // those pins take to reach them is the storm's cost to the room.
  const memoryBefore = rssKb(serverPid);
  const settled: WebSocket[] = [];
  for (let i = 0; i < settledCount; i++) settled.push(await openSocket(viewerUrl, onFrame(i), clientAddress(i), onMessage(i)));
  let storming = true;
  const pinning = (async () => {
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      if (!storming) return;
      await pin("storm");
    }
  })();

  // The join storm: every viewer taps the link at its own moment within stormSeconds, from its own phone (address).
  const profile = inspector && process.env.PROFILE ? await profileIsolate(inspector) : null;
  const overflowsBefore = listenOverflows();
  const stormCpuBefore = cpuMs(serverPid);
  const connectStart = performance.now();
  let failed = 0;
  let retries = 0;
  const failures = new Map<string, number>();
  const retried = new Map<string, number>();
  const arriving = viewers - settledCount;
  const opened = await Promise.all(
    Array.from({ length: arriving }, async (_, n) => {
      const i = settledCount + n;
      await new Promise((r) => setTimeout(r, (n * stormSeconds * 1000) / arriving));
      // As a page does: a refused or failed socket tries again after a second (its reconnect backoff).
      for (let attempt = 1; ; attempt++) {
        try {
          return await openSocket(viewerUrl, onFrame(i), clientAddress(i), onMessage(i));
        } catch (error) {
          const why = String(error instanceof Error ? (error.cause ?? error.message) : error).slice(0, 120);
          if (attempt < JOIN_ATTEMPTS) {
            retries += 1;
            retried.set(why, (retried.get(why) ?? 0) + 1);
            await new Promise((r) => setTimeout(r, 1000));
            continue;
          }
          failed += 1;
          failures.set(why, (failures.get(why) ?? 0) + 1);
          return null;
        }
      }
    }),
  );
  const connectMs = performance.now() - connectStart;
  // The server's CPU for each join: its whole CPU time over the storm (the pins every second stay in), over the joins.
  const cpuPerJoinMs = (cpuMs(serverPid) - stormCpuBefore) / Math.max(1, arriving);
  const overflows = listenOverflows() - overflowsBefore;
  if (overflows) console.log(`the kernel dropped ${overflows} connections at full listen queues during the storm (all processes' sockets)`);
  if (profile) {
    const file = `${process.env.PROFILE}-${viewers}.cpuprofile`;
    const { totalMs, hotspots } = await profile.stop(file);
    console.log(`join storm CPU profile (${file}), ${(totalMs / 1000).toFixed(1)} s sampled; own time:`);
    for (const spot of hotspots) console.log(`  ${(spot.share * 100).toFixed(1).padStart(5)} %  ${spot.selfMs.toFixed(0).padStart(7)} ms  ${spot.name}`);
  }
  storming = false;
  await pinning;
  // Every storm pin should have reached every viewer already in (they were in before it).
  await new Promise((r) => setTimeout(r, 2000));
  missing += stormPins.size * settledCount - latencies.stormPin.length;
  const sockets = [...settled, ...opened.filter((ws): ws is WebSocket => ws !== null)];
  if (retried.size) console.log("retried joins:", Object.fromEntries(retried));
  if (failures.size) console.log("failed joins:", Object.fromEntries(failures));
  const memoryPerSocketKb = (rssKb(serverPid) - memoryBefore) / Math.max(1, sockets.length);
  const host = await openSocket(await roomSocketUrl(origin, room.id, hostKey), () => {});

  // The server's CPU while the sockets are open and nothing happens (keep-alives, timers), to take out of the rounds'.
  const idleMs = 3000;
  const idleBefore = cpuMs(serverPid);
  await new Promise((r) => setTimeout(r, idleMs));
  const idleCpuPerMs = (cpuMs(serverPid) - idleBefore) / idleMs;

  const cpuBefore = cpuMs(serverPid);
  const roundsStart = performance.now();
  for (let round = 0; round < rounds; round++) {
    const before = latencies.pin.length + latencies.chat.length;
    await pin("round");
    const text = `round ${round}`;
    seq += 1;
    // Host chat is rate-limited to a burst of 5 then 1/s: pace the rounds.
    await new Promise((r) => setTimeout(r, 1000));
    sentAt.set(`chat:${text}`, performance.now());
    host.send(JSON.stringify({ type: "chat", text }));
    const deadline = performance.now() + 10_000;
    while (latencies.pin.length + latencies.chat.length < before + 2 * sockets.length && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    missing += before + 2 * sockets.length - (latencies.pin.length + latencies.chat.length);
  }
  // The server's CPU over the rounds, less what it spends idle over as long (the HTTP pins stay in), per event and socket.
  const roundsCpu = cpuMs(serverPid) - cpuBefore - idleCpuPerMs * (performance.now() - roundsStart);
  const cpuPerEventSocketUs = (Math.max(0, roundsCpu) * 1000) / (2 * rounds * Math.max(1, sockets.length));

  // The chat burst: `burst` viewers, spread over the room (and its shards), send a line at the same moment, as a
  // KOL's audience does when asked a question; every viewer gets every line (or its number). What it costs the server,
  // how many WebSocket messages it took per viewer, and when each viewer had them all (`incomplete`: not within 60 s).
  let burstResult: { lines: number; messagesPerViewer: number; cpuPerEventSocketUs: number; done: ReturnType<typeof summary>; incomplete: number } | null = null;
  if (burst > 0) {
    await new Promise((r) => setTimeout(r, 1000));
    const messagesBefore = messages.reduce((a, b) => a + b, 0);
    const burstCpuBefore = cpuMs(serverPid);
    const burstClock = performance.now();
    burstStart = burstClock;
    const senders = Array.from({ length: burst }, (_, n) => sockets[Math.floor((n * sockets.length) / burst)]!);
    senders.forEach((ws, n) => ws.send(JSON.stringify({ type: "chat", text: `burst ${n}` })));
    const deadline = performance.now() + 60_000;
    while (burstDone.length < sockets.length && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const burstCpu = cpuMs(serverPid) - burstCpuBefore - idleCpuPerMs * (performance.now() - burstClock);
    burstStart = null;
    burstResult = {
      lines: burst,
      messagesPerViewer: (messages.reduce((a, b) => a + b, 0) - messagesBefore) / Math.max(1, sockets.length),
      cpuPerEventSocketUs: (Math.max(0, burstCpu) * 1000) / (burst * Math.max(1, sockets.length)),
      done: summary(burstDone),
      incomplete: sockets.length - burstDone.length,
    };
  }

  // The mass leave: every viewer closes at once; each socket is released when its close handshake is answered.
  const leaveStart = performance.now();
  const released = await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 30_000);
          ws.addEventListener("close", () => {
            clearTimeout(timer);
            resolve(true);
          });
          ws.close();
        }),
    ),
  );
  const leaveMs = performance.now() - leaveStart;
  host.close();
  await new Promise((r) => setTimeout(r, 500));

  return {
    viewers, connectMs, cpuPerJoinMs, failed, retries, missing, duplicates, memoryPerSocketKb, cpuPerEventSocketUs, leaveMs,
    unreleased: released.filter((ok) => !ok).length, pin: summary(latencies.pin), chat: summary(latencies.chat),
    settled: settledCount, stormPin: summary(latencies.stormPin), burst: burstResult,
  };
}

type Result = Awaited<ReturnType<typeof measure>>;
const log = (label: string, r: Result) =>
  console.log(
    `${label}, ${r.viewers} viewers: pin p50 ${r.pin.p50.toFixed(1)} ms p99 ${r.pin.p99.toFixed(1)} ms max ${r.pin.max.toFixed(1)} ms; ` +
      `chat p50 ${r.chat.p50.toFixed(1)} ms p99 ${r.chat.p99.toFixed(1)} ms; missing ${r.missing}, duplicates ${r.duplicates}; ` +
      `storm ${r.connectMs.toFixed(0)} ms (${r.cpuPerJoinMs.toFixed(2)} ms server CPU per join, ${r.retries} retries, ${r.failed} failed; pins meanwhile to the ${r.settled} already in: ` +
      `p50 ${r.stormPin.p50.toFixed(1)} ms p99 ${r.stormPin.p99.toFixed(1)} ms, ${r.stormPin.n} frames); ${r.cpuPerEventSocketUs.toFixed(1)} µs CPU per event per socket; ` +
      `${r.memoryPerSocketKb.toFixed(0)} KB per socket; leave ${r.leaveMs.toFixed(0)} ms (${r.unreleased} unreleased)` +
      (r.burst
        ? `; burst of ${r.burst.lines} lines: ${r.burst.messagesPerViewer.toFixed(1)} messages per viewer, ${r.burst.cpuPerEventSocketUs.toFixed(1)} µs CPU per line per socket, ` +
          `all lines at p50 ${r.burst.done.p50.toFixed(0)} ms p99 ${r.burst.done.p99.toFixed(0)} ms (${r.burst.incomplete} incomplete)`
        : ""),
  );

/** The comparator (bare-broadcast.ts) in a process of its own, as workerd is: its port and its process id. */
async function startBare(): Promise<{ origin: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, "bare-broadcast.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  const { port } = JSON.parse(String(line).split("\n")[0]!) as { port: number };
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill("SIGKILL") };
}

/** A stack's target: DIRECT=1 sends the sockets straight to workerd's port, past the dev proxy (4 open files a socket); the API calls go through the proxy. */
async function targetOf(stack: Stack): Promise<Target> {
  const runtime = await workerdOf(stack);
  return { api: stack.origin, sockets: process.env.DIRECT ? runtime.origin : stack.origin, pid: runtime.pid, inspector: stack.inspector };
}

const stack = await startStack({ vars: plan });
// BARE=0 leaves both comparators out; BARE=ws keeps the Node one only.
const bare = process.env.BARE === "0" ? null : await startBare();
const bareWorkerd =
  process.env.BARE === "0" || process.env.BARE === "ws" ? null : await startStack({ config: join(import.meta.dirname, "bare-workerd/wrangler.toml"), migrate: false, video: false });
const results: Array<{ room: Result; workerd: Result | null; bare: Result | null }> = [];
try {
  const target = await targetOf(stack);
  const workerdTarget = bareWorkerd && (await targetOf(bareWorkerd));
  for (const viewers of viewerCounts) {
    const room = await measure(target, viewers, burstLines);
    log("room", room);
    // The same harness against the comparators, one after another (the open-files limit).
    const runtime = workerdTarget && (await measure({ ...workerdTarget, inspector: undefined }, viewers));
    if (runtime) log("bare workerd", runtime);
    const floor = bare && (await measure({ api: bare.origin, sockets: bare.origin, pid: bare.pid }, viewers));
    if (floor) log("bare ws", floor);
    results.push({ room, workerd: runtime, bare: floor });
  }
} finally {
  bare?.stop();
  await Promise.all([stack.stop(), bareWorkerd?.stop()]);
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const row = (what: string, r: Result, ratio: string) =>
  `| ${r.viewers} | ${what} | ${ms(r.pin.p50)} | ${ms(r.pin.p99)} | ${ratio} | ${ms(r.chat.p50)} | ${ms(r.chat.p99)} | ${r.missing} / ${r.duplicates} | ` +
  `${(r.connectMs / 1000).toFixed(1)} s | ${r.cpuPerJoinMs.toFixed(2)} ms | ${r.retries} / ${r.failed} | ${ms(r.stormPin.p99)} (${r.stormPin.n}) | ${r.cpuPerEventSocketUs.toFixed(1)} µs | ${r.memoryPerSocketKb.toFixed(0)} KB | ${(r.leaveMs / 1000).toFixed(1)} s${r.unreleased ? ` (${r.unreleased} not)` : ""} |`;
const table = [
  "| viewers | server | pin p50 | pin p99 | pin p99 ÷ bare `ws` | chat p50 | chat p99 | lost / duplicate | join storm: all synced in | server CPU per join | retried / failed | pin p99 to those already in, during the storm (frames) | CPU per event per socket | memory per socket | mass leave: all released in |",
  "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.flatMap(({ room, workerd, bare }) => {
    const ratio = (r: Result) => (bare ? `×${(r.pin.p99 / bare.pin.p99).toFixed(1)}` : "—");
    const ofWorkerd = workerd ? ` (×${(room.pin.p99 / workerd.pin.p99).toFixed(1)} of bare workerd)` : "";
    return [
      row(`Room, ${shardsFor(room.viewers)} shard${shardsFor(room.viewers) === 1 ? "" : "s"}`, room, `${ratio(room)}${ofWorkerd}`),
      ...(workerd ? [row("bare workerd", workerd, ratio(workerd))] : []),
      ...(bare ? [row("bare Node `ws`", bare, "×1.0")] : []),
    ];
  }),
].join("\n");
const protocol = Number(process.env.PROTOCOL ?? PROTOCOL_VERSION);
const bursts = results.filter(({ room }) => room.burst);
const burstTable = bursts.length
  ? [
      "",
      `*chat burst*: after the rounds, ${burstLines} viewers spread over the room and its shards send a chat line at the same moment; every viewer gets every line (or, sampled out for it, its number; *incomplete*: a viewer still without all of them 60 s later). The viewers spoke protocol ${protocol}${protocol >= BATCHES_SINCE ? ", so the Room and each shard send a viewer what they have for it within " + BATCH_MS + " ms as one frame" : ", before batches: one frame per line"}.`,
      "",
      "| viewers | lines | WebSocket messages per viewer | CPU per line per socket | every line at a viewer: p50 | p99 | incomplete |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...bursts.map(({ room: { viewers, burst } }) =>
        `| ${viewers} | ${burst!.lines} | ${burst!.messagesPerViewer.toFixed(1)} | ${burst!.cpuPerEventSocketUs.toFixed(1)} µs | ${ms(burst!.done.p50)} | ${ms(burst!.done.p99)} | ${burst!.incomplete} |`,
      ),
    ].join("\n")
  : "";
// The sockets through wrangler dev's port and straight to workerd's are two tables (the open-files limit: README).
writeSection(
  process.env.DIRECT ? "fanout-direct" : "fanout",
  `## Fan-out: host action → every viewer (\`${process.env.DIRECT ? "DIRECT=1 " : ""}npm run bench:fanout\`)

Measured ${new Date().toISOString().slice(0, 10)} on this project's machine (${cpus().length} cores, ${cpus()[0]?.model.trim()}), \`wrangler dev\` (workerd) on loopback,
one room, ${rounds} rounds per row. *pin*: \`POST /api/rooms/{id}/pin\` sent → \`pin\` frame received by each viewer.
*chat*: host socket sends → \`chat\` frame received by each viewer. The viewers are Node WebSocket clients in one
process on the same 2 cores as workerd, so the figures include client-side queueing; goal: every viewer within 1 s.
Each viewer joins as the viewer page does, in one request: the socket, with the viewer subprotocol and no ticket
(worker/sockets.ts); the host's page trades its key for a ticket first.
*join storm*: the viewers' arrivals are spread evenly over ${stormSeconds} s, each from its own address; *all synced in*
is from the first arrival to the last socket's first frame; *server CPU per join* is the server process's CPU time over the
storm (workerd's; the pins every second stay in) over the joins, the floor under a storm on one machine; a socket that fails tries again after a second, as the
page does (*retried*), up to ${JOIN_ATTEMPTS} times (*failed*: never synced). 1 % of the viewers (at most 100) are in
the room before the storm; the host pins every second through it, and *pin p99 to those already in* is what those
pins took to reach them (goal: no more than the normal *pin p99*, measured after the storm). *lost* counts these too. *shards*: the
show's audience shards (the Room keeps the first ${planOf().from} viewers, each shard ${planOf().size}); 0 is every socket on the
Room. *bare Node \`ws\`*: the same harness, in the same run, against bench/bare-broadcast.ts, a Node \`ws\` server that only
admits sockets and sends each pin and chat line, serialized once, to every socket (no storage, limits or checks):
the floor. *bare workerd*: the same on workerd (bench/bare-workerd/: a Worker handing every socket to one Durable Object
that accepts it as the Room does and broadcasts), under its own \`wrangler dev\`: the runtime's floor; what the Room
costs above it is ours, what it costs above Node's \`ws\` is the runtime's. *CPU per event per socket*: the server's CPU time over the rounds less its idle CPU over as long (measured
just before, the sockets open), over events × sockets; the HTTP pins stay in. *memory per socket*: the server's resident
memory after the storm less before, over the sockets. \`wrangler dev\` runs without its local trace collector
(\`X_LOCAL_OBSERVABILITY=false\`, scripts/stack.ts), which Cloudflare does not run in a request's path.
*mass leave*: every viewer closes at once; released when its close handshake is answered (30 s at most).
Sockets ${process.env.DIRECT ? "went straight to workerd's port (past the dev proxy; the API calls did not)" : "went through `wrangler dev`'s port"}.

${table}
${burstTable}`,
);
