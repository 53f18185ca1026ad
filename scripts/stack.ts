/**
 * Starts the whole product as `npm start` does, for tests and benchmarks: on
 * a free loopback port and, unless told otherwise, a fresh temporary state
 * (D1 migrations applied, then `wrangler dev`). `kill()` is a hard kill of
 * the runtime (SIGKILL to wrangler and workerd), for fault tests. Like
 * `npm start`, it starts the SFU and wrangler through child-processes.mjs:
 * however the test or benchmark process ends, even by SIGKILL, they stop.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
// @ts-expect-error: a plain .mjs module shared with `npm start`.
import { signalGroup, spawnChild, stopChild } from "./child-processes.mjs";
// @ts-expect-error: a plain .mjs module shared with `npm start`.
import { startLocalSfu } from "./local-sfu.mjs";
// @ts-expect-error: a plain .mjs module shared with `npm start`.
import { latestEmailTo } from "./local-emails.mjs";
// @ts-expect-error: a plain .mjs module.
import { migratedState } from "./migrated-state.mjs";

const root = resolve(import.meta.dirname, "..");
const wrangler = resolve(root, "node_modules/.bin/wrangler");
const env = {
  ...process.env,
  // The project's own Node 22 first, whoever started us: wrangler needs it.
  PATH: `${resolve(root, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  // wrangler dev's local trace collector (a tail event for every request and socket message, for its logs view): it
  // more than doubled the runtime's CPU per request (a 404: 5.8 ms with it, 2.4 ms without; bench/RESULTS.md), which
  // Cloudflare does not spend in a request's path. `npm start` keeps it; tests and benchmarks run without.
  X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false",
  NO_COLOR: "1",
};

export interface Stack {
  origin: string;
  /** The process id of its `wrangler dev` (workerdOf finds the runtime among its children). */
  pid: number;
  /** Its inspector's DevTools socket (wrangler's proxy to the Worker's isolate): a benchmark's CPU profile. */
  inspector: string;
  /** The local state folder (D1 and the rooms' storage). */
  state: string;
  /** Stops wrangler dev gracefully and, if the state was temporary, deletes it. */
  stop(): Promise<void>;
  /** SIGKILLs wrangler dev and workerd at once, leaving the state as the kill found it. */
  kill(): Promise<void>;
  /**
   * The local SFU (when the stack has video): `kill()` SIGKILLs it (a crash:
   * every session gone at once), `start()` starts it again on the same port.
   */
  videoRelay: { kill(): Promise<void>; start(): Promise<void> } | null;
}

export interface StackOptions {
  /** Also start the local SFU (loopback-only ICE) and point the Worker at it; default true for the main Worker. */
  video?: boolean;
  /** Reuse this state folder (kept on stop); default: a fresh temporary one, deleted on stop. */
  state?: string;
  /** Another wrangler config (the benchmark's baseline Worker). */
  config?: string;
  /** Skips the migrations step (for a config without them). */
  migrate?: boolean;
  port?: number;
  /** More of the Worker's vars (`--var NAME:value`), e.g. the audience shards' plan. */
  vars?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export function wranglerSync(args: string[]): string {
  const result = spawnSync(wrangler, args, { cwd: root, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (!options.config && !existsSync(join(root, "dist/client/room.html"))) {
    throw new Error("dist/client is missing: run `npm run build` first (npm test does).");
  }
  const temporary = !options.state;
  const state = options.state ?? mkdtempSync(join(tmpdir(), "shop-along-"));
  const configArgs = options.config ? ["--config", options.config] : [];
  if (options.migrate !== false) {
    // A fresh state of the main Worker's starts as a copy of one migrated once (migrated-state.mjs); any other is migrated here.
    if (temporary && !options.config) migratedState(state);
    else wranglerSync(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state, ...configArgs]);
  }

  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const sfuPort = await freePort();
  let sfu = (options.video ?? !options.config) ? await startLocalSfu({ port: sfuPort, env, loopbackOnly: true }) : null;
  const videoVars: string[] = sfu?.vars ?? [];
  // Its own inspector port too, so that two stacks (the benchmark's) can run side by side.
  const inspectorPort = await freePort();
  const dev: ChildProcess = spawnChild(
    wrangler,
    [
      "dev", ...configArgs, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort),
      "--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "warn", ...videoVars,
      // Webhook receivers on loopback ports (never in wrangler.toml, so never deployed); retries start after 1 s, not 30.
      "--var", "WEBHOOK_ALLOW_LOCAL:true", "--var", "WEBHOOK_RETRY_BASE_SECONDS:1",
      ...Object.entries(options.vars ?? {}).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    // Its own process group (spawnChild), so that a kill reaches workerd too.
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  dev.stdout!.on("data", (d) => (output += d));
  dev.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((r) => dev.once("exit", () => r()));
  const signalDev = (signal: NodeJS.Signals) => signalGroup(dev, signal);

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (dev.exitCode !== null) {
      sfu?.process.kill("SIGKILL");
      throw new Error(`wrangler dev exited (${dev.exitCode}):\n${output}`);
    }
    try {
      const probe = await fetch(`${origin}/api/openapi.json`);
      if (probe.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      signalDev("SIGKILL");
      sfu?.process.kill("SIGKILL");
      throw new Error(`wrangler dev did not answer within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    origin,
    pid: dev.pid!,
    inspector: `ws://127.0.0.1:${inspectorPort}/ws`,
    state,
    async stop() {
      // SIGTERM, and SIGKILL for what is still there 5 s later: wrangler, workerd, the SFU.
      await Promise.all([stopChild(dev), sfu && stopChild(sfu.process)]);
      if (temporary) rmSync(state, { recursive: true, force: true });
    },
    async kill() {
      sfu?.process.kill("SIGKILL");
      signalDev("SIGKILL");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    },
    videoRelay: sfu && {
      async kill() {
        const gone = new Promise((r) => sfu.process.once("exit", r));
        sfu.process.kill("SIGKILL");
        await gone;
      },
      async start() {
        sfu = await startLocalSfu({ port: sfuPort, env, loopbackOnly: true });
      },
    },
  };
}

/**
 * The address of the n-th of many simulated people (10.0.0.0/8), sent as `CF-Connecting-IP`: a load bench's viewers
 * and buyers come from their own phones, not all from one machine, and the API counts calls without a key per
 * address (worker/rate-limits/). `wrangler dev` passes the header on; in production Cloudflare sets it.
 */
export const clientAddress = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** One JSON call to a stack's HTTP API: GET without `json`, POST with it; throws on a non-2xx answer. `address`: see clientAddress. */
export async function api(origin: string, path: string, json?: unknown, key?: string, address?: string): Promise<any> {
  const res = await fetch(`${origin}${path}`, {
    method: json === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(address ? { "CF-Connecting-IP": address } : {}) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * The newest email the stack sent to `to` (since `since`, ms), as wrangler's
 * local `send_email` simulation kept it: `{from, to, subject, text, html}`.
 * Waits for it, since emails go through a queue first.
 */
export function latestEmail(origin: string, to: string, options: { since?: number; timeoutMs?: number } = {}): Promise<{ from: string; to: string[]; subject: string; text: string; html?: string }> {
  return latestEmailTo(origin, to, options);
}

/**
 * The runtime behind a stack's `wrangler dev`: workerd's own port (past the dev proxy, which holds 4 files per
 * socket to workerd's 2, so that ~4,900 sockets fit through it and ~9,900 straight to workerd under 20,000 open
 * files), and its process id (its CPU time and memory, for the benchmarks). Only loopback ports are tried.
 */
export async function workerdOf(stack: Stack): Promise<{ origin: string; pid: number }> {
  const listening = spawnSync("ss", ["-ltnpH"], { encoding: "utf8" }).stdout.split("\n");
  const candidates = listening
    .map((line) => line.match(/127\.0\.0\.1:(\d+).*"workerd",pid=(\d+)/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ port: Number(match[1]), pid: Number(match[2]) }))
    .filter(({ pid }) => descendsFrom(pid, stack.pid));
  for (const { port, pid } of candidates) {
    const origin = `http://127.0.0.1:${port}`;
    if (origin === stack.origin) continue;
    try {
      const res = await fetch(`${origin}/api/openapi.json`, { signal: AbortSignal.timeout(2000) });
      if (res.ok && (res.headers.get("content-type") ?? "").includes("json")) return { origin, pid };
    } catch {
      // another of its sockets
    }
  }
  throw new Error(`no workerd port answers the API: ${JSON.stringify(candidates)}`);
}

function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current = pid; current > 1; ) {
    if (current === ancestor) return true;
    try {
      // /proc/{pid}/stat: "pid (name) state ppid …"; the name may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${current}/stat`, "utf8");
      current = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return false;
    }
  }
  return false;
}

/** The WebSocket URL of a room for a new socket: a fresh single-use ticket, traded for the key (if any) as a page does. */
export async function roomSocketUrl(origin: string, roomId: string, key?: string, address?: string): Promise<string> {
  const { ticket } = await api(origin, `/api/rooms/${roomId}/tickets`, {}, key, address);
  return `${origin.replace("http", "ws")}/parties/room/${roomId}?ticket=${ticket}`;
}
