/**
 * The processes `npm start` and the test stack start (the local SFU,
 * `wrangler dev` with its workerd, the build and migration steps), and the
 * promise that none of them outlives whoever started it.
 *
 * - Each child runs in its own process group (`detached`), so one signal to
 *   the group reaches what it spawns too (wrangler's workerd and esbuild).
 * - `exitOnSignals()` (npm start) turns SIGINT, SIGTERM and SIGHUP into:
 *   signal every group, wait up to 5 s for them to be gone, SIGKILL what is
 *   left, exit. On any exit every group still there gets a SIGTERM.
 * - A SIGKILL of the parent runs none of that, so a small detached watchdog
 *   (scripts/watchdog.mjs) is told every group and holds a pipe from the
 *   parent: when the pipe closes, however the parent ended, it does the same.
 *   A child only runs its command once the watchdog knows it: it starts as
 *   `sh`, waits for "go" on fd 3, then execs the command (same pid); if the
 *   parent dies before saying go, fd 3 closes and it exits without running it.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { resolve } from "node:path";

const GRACE_MS = 5000;
/** Process group id (the child's pid) → the child. */
const groups = new Map();
let watchdog = null;
let stopping = null;

/** True once the process has begun stopping its children to exit. */
export function shuttingDown() {
  return stopping !== null;
}

// $0 is the command, "$@" its arguments; fd 3 is closed before the exec.
const LAUNCH = 'IFS= read -r go <&3 && [ "$go" = go ] && exec "$0" "$@" 3<&-';

/** `spawn()` in a process group of its own, remembered until the whole group is gone. */
export function spawnChild(command, args, options = {}) {
  startWatchdog();
  const stdio = Array.isArray(options.stdio) ? [...options.stdio] : [options.stdio, options.stdio, options.stdio];
  for (let fd = 0; fd < 3; fd++) stdio[fd] ??= "pipe";
  stdio[3] = "pipe";
  const child = spawn("/bin/sh", ["-c", LAUNCH, command, ...args], { ...options, stdio, detached: true });
  if (child.pid === undefined) return child; // did not start: 'error' follows
  const pgid = child.pid;
  groups.set(pgid, child);
  tellWatchdog(`+${pgid}`);
  child.stdio[3].on("error", () => {}); // it exited already
  child.stdio[3].end("go\n");
  child.once("exit", () => {
    // The group outlives its leader while anything in it still runs (workerd after wrangler's shim).
    if (!groupAlive(pgid)) forget(pgid);
  });
  if (stopping) signalGroup(child, "SIGTERM"); // started while stopping: it stops too
  return child;
}

/** Sends `signal` to the child's whole process group. */
export function signalGroup(child, signal) {
  if (child.pid !== undefined) signalPgid(child.pid, signal);
}

function signalPgid(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * Signals every group (SIGTERM unless told), waits up to 5 s for all of them
 * to be gone and SIGKILLs what is left. Groups started meanwhile are included.
 */
export function stopChildren(signal = "SIGTERM") {
  return stopGroups(() => [...groups.keys()], signal);
}

/** The same for one child's group. */
export function stopChild(child, signal = "SIGTERM") {
  return stopGroups(() => (groups.has(child.pid) ? [child.pid] : []), signal);
}

async function stopGroups(pick, signal) {
  for (const pgid of pick()) signalPgid(pgid, signal);
  const deadline = Date.now() + GRACE_MS;
  for (;;) {
    for (const pgid of pick()) if (!groupAlive(pgid)) forget(pgid);
    if (pick().length === 0) return;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const pgid of pick()) {
    signalPgid(pgid, "SIGKILL");
    forget(pgid);
  }
}

/** Stops every child (see stopChildren), then exits with `code`. Only the first call counts. */
export function exitAfterStopping(code, signal = "SIGTERM") {
  stopping ??= stopChildren(signal).then(() => process.exit(code));
  return new Promise(() => {}); // the process exits
}

/**
 * SIGINT (Ctrl+C), SIGTERM and SIGHUP stop every child and exit with 128 +
 * the signal's number (130 for Ctrl+C, as before). The children are in their
 * own groups, so a Ctrl+C reaches them only through this; they get SIGINT for
 * SIGINT and SIGTERM otherwise. Call it before starting anything. A signal
 * repeated while stopping changes nothing (npm passes on the Ctrl+C that the
 * terminal also sends to this process).
 */
export function exitOnSignals() {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => void exitAfterStopping(128 + constants.signals[signal], signal === "SIGINT" ? "SIGINT" : "SIGTERM"));
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

function forget(pgid) {
  if (groups.delete(pgid)) tellWatchdog(`-${pgid}`);
}

function startWatchdog() {
  if (watchdog) return;
  watchdog = spawn(process.execPath, [resolve(import.meta.dirname, "watchdog.mjs")], {
    detached: true,
    stdio: ["pipe", "ignore", "inherit"],
  });
  // Neither it nor its pipe keeps this process alive.
  watchdog.unref();
  watchdog.stdin.unref();
  watchdog.stdin.on("error", () => {}); // it is gone: nothing to tell
  // A plain exit (process.exit, an uncaught error) runs no handler of ours but this one.
  process.on("exit", () => {
    for (const pgid of groups.keys()) signalPgid(pgid, "SIGTERM");
  });
}

function tellWatchdog(line) {
  if (watchdog?.stdin.writable) watchdog.stdin.write(`${line}\n`);
}
