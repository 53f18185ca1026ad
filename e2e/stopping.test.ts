/**
 * Stopping `npm start` in any way stops everything it started: the local SFU,
 * wrangler dev and its workerd processes. Each case runs the real
 * `node scripts/start.mjs` (on free ports, a temporary state, the built
 * client), stops it at some point of its life and then finds every process
 * that carries this run's marker in its environment (so orphans are found
 * too, whoever their parent is now): none may be alive 10 s later, and
 * neither port may still answer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module.
import { migratedState } from "../scripts/migrated-state.mjs";

const root = resolve(import.meta.dirname, "..");
const MARKER = "SHOP_ALONG_STOP_TEST";

type Proc = { pid: number; command: string };

/** Live (not zombie) processes whose environment holds `MARKER=id`. */
function marked(id: string): Proc[] {
  const needle = `${MARKER}=${id}`;
  const found: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(needle)) continue;
      // The state is the field after the parenthesised command name.
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, "latin1").split("\0").join(" ").trim();
      found.push({ pid: Number(entry), command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), done(true)));
    socket.once("error", () => done(false));
  });
}

type Run = { id: string; child: ChildProcess; port: number; state: string; output: () => string };
const runs: Run[] = [];

/**
 * Starts `npm start` on a new state: already migrated (a copy, migrated-state.mjs), so that its
 * migrations step only checks, unless the case stops it while it applies them.
 */
async function start({ migrated = true } = {}): Promise<Run> {
  const id = randomUUID();
  const port = await freePortPair();
  const state = mkdtempSync(join(tmpdir(), "shop-along-stop-"));
  if (migrated) migratedState(state);
  const child = spawn(resolve(root, "node_modules/.bin/node"), ["scripts/start.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      PATH: `${resolve(root, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
      PORT: String(port),
      SHOP_ALONG_STATE: state,
      SHOP_ALONG_SKIP_BUILD: "1",
      NO_COLOR: "1",
      [MARKER]: id,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as a terminal's foreground job is: Ctrl+C signals the group.
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const run = { id, child, port, state, output: () => output };
  runs.push(run);
  return run;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/**
 * PORT for start.mjs, whose SFU takes PORT + 1: both free, and below the
 * ephemeral range (32768 and up on Linux), where the other stacks' random
 * ports and outgoing connections could take PORT + 1 before the SFU does.
 */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await canListen(port)) && (await canListen(port + 1))) return port;
  }
}

async function waitFor(run: Run, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) {
      throw new Error(`start.mjs exited before printing "${text}":\n${run.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`start.mjs did not print "${text}" within ${timeoutMs / 1000} s:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits up to 10 s for every marked process to be gone; returns those still alive. */
async function leftovers(run: Run): Promise<Proc[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const alive = marked(run.id);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterEach(async () => {
  // Whatever a failed case left behind: only this file's own processes, by pid.
  for (const run of runs.splice(0)) {
    for (const { pid } of marked(run.id)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(run.state, { recursive: true, force: true });
  }
});

type Stop = { name: string; signal: NodeJS.Signals; group?: boolean };
const stops: Stop[] = [
  { name: "Ctrl+C (SIGINT to the foreground group)", signal: "SIGINT", group: true },
  { name: "SIGTERM", signal: "SIGTERM" },
  { name: "SIGKILL", signal: "SIGKILL" },
];

function stop(run: Run, { signal, group }: Stop): void {
  process.kill(group ? -run.child.pid! : run.child.pid!, signal);
}

async function expectAllGone(run: Run): Promise<void> {
  const alive = await leftovers(run);
  expect(alive, `still running 10 s after stopping start.mjs:\n${run.output()}`).toEqual([]);
  expect(await answers(run.port), `port ${run.port} (wrangler dev) still answers`).toBe(false);
  expect(await answers(run.port + 1), `port ${run.port + 1} (the local SFU) still answers`).toBe(false);
}

describe("stopping npm start stops the SFU, wrangler dev and workerd", () => {
  for (const how of stops) {
    it(`once it is running, by ${how.name}`, { timeout: 90_000 }, async () => {
      const run = await start();
      await waitFor(run, "Press Ctrl+C to stop.");
      const started = marked(run.id).map((p) => p.command);
      expect(started.some((c) => c.includes("sfu/main.ts")), started.join("\n")).toBe(true);
      expect(started.some((c) => c.includes("wrangler") && c.includes(" dev ")), started.join("\n")).toBe(true);
      expect(started.some((c) => c.includes("workerd")), started.join("\n")).toBe(true);
      expect(await answers(run.port)).toBe(true);
      expect(await answers(run.port + 1)).toBe(true);

      stop(run, how);
      await expectAllGone(run);
    });
  }

  // Stopped part-way through its startup.
  const early: { when: string; text: string; how: Stop; migrated?: boolean }[] = [
    { when: "while applying the migrations", text: "Migrations to be applied", how: { name: "SIGTERM", signal: "SIGTERM" }, migrated: false },
    { when: "while the SFU starts", text: "▸ Starting the local video relay", how: { name: "SIGTERM", signal: "SIGTERM" } },
    { when: "between starting the SFU and wrangler dev", text: "▸ Starting wrangler dev", how: { name: "SIGKILL", signal: "SIGKILL" } },
    { when: "during the demo seeding", text: "Ready on http", how: { name: "SIGHUP", signal: "SIGHUP" } },
  ];
  for (const { when, text, how, migrated } of early) {
    it(`${when}, by ${how.name}`, { timeout: 90_000 }, async () => {
      const run = await start({ migrated });
      await waitFor(run, text);
      stop(run, how);
      await expectAllGone(run);
    });
  }
});
