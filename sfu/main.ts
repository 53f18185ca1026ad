// Entry point: `node sfu/main.ts` serves the local Calls-compatible SFU on
// 127.0.0.1:${SFU_PORT:-8788} until SIGINT or SIGTERM (or, with
// SFU_EXIT_ON_STDIN_END=1, until its stdin closes: scripts/local-sfu.mjs
// gives it a pipe, so that it does not outlive whoever started it).
import { LocalSfu } from "./local-sfu.ts";
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET, startCallsServer } from "./server.ts";
import type { RunningCallsServer } from "./server.ts";

const port = Number(process.env.SFU_PORT ?? 8788);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`local SFU: SFU_PORT must be a port number, got ${process.env.SFU_PORT}`);
  process.exit(1);
}
const appId = process.env.CALLS_APP_ID || DEFAULT_APP_ID;
const appSecret = process.env.CALLS_APP_SECRET || DEFAULT_APP_SECRET;
const verbose = process.env.SFU_LOG === "1";
const loopbackOnly = process.env.SFU_LOOPBACK_ONLY === "1";

const sfu = new LocalSfu({ loopbackOnly, log: verbose ? (line) => console.log(`local SFU: ${line}`) : undefined });
let running: RunningCallsServer;
try {
  running = await startCallsServer({ sfu, appId, appSecret, port });
} catch (error) {
  const detail = error instanceof Error ? error.message : String(error);
  console.error(`local SFU: could not listen on 127.0.0.1:${port}: ${detail} (is another SFU already running? set SFU_PORT)`);
  sfu.close();
  process.exit(1);
}

console.log(`local SFU ready: CALLS_API_BASE=${running.apiBase} app ${appId}${loopbackOnly ? " (loopback-only ICE)" : ""}`);

// A development engine keeps serving the other sessions when one of werift's
// internals throws on a malformed or late packet; the error is logged.
process.on("unhandledRejection", (reason) => console.error("local SFU: unhandled rejection", reason));
process.on("uncaughtException", (error) => console.error("local SFU: uncaught exception", error));

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (verbose) console.log(`local SFU: ${signal}, closing`);
  sfu.close();
  await running.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
if (process.env.SFU_EXIT_ON_STDIN_END === "1") {
  process.stdin.on("end", () => void stop("stdin closed"));
  process.stdin.on("error", () => void stop("stdin closed"));
  process.stdin.resume();
}
