#!/usr/bin/env node
/**
 * `npm start`: the whole product on this machine, offline and without a
 * Cloudflare account. Builds the client, applies the D1 migrations to the
 * local database, starts `wrangler dev` (workerd, the real runtime), seeds a
 * demo shop and show on first run, and prints the links and a QR code.
 *
 *   npm start                 http://localhost:8787
 *   npm start -- --lan        also reachable from a phone on the same network
 *   PORT=9000 npm start       another port (the local SFU takes PORT + 1)
 *
 * For tests: SHOP_ALONG_STATE=<dir> keeps the local state (and demo.json) in
 * <dir> instead of .wrangler/state, and SHOP_ALONG_SKIP_BUILD=1 skips the
 * client build when dist/client is already built.
 */
import { existsSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { resolve } from "node:path";
import { renderUnicodeCompact } from "uqr";
import { exitAfterStopping, exitOnSignals, shuttingDown, spawnChild } from "./child-processes.mjs";
import { assertNode22, LOCAL_ENV } from "./local-env.mjs";
import { demoSignInLink, seedDemo } from "./seed-demo.mjs";
import { watchSentEmails } from "./local-emails.mjs";
import { startLocalSfu, usesRealCalls } from "./local-sfu.mjs";
import { startExampleServer } from "../examples/embed/serve.mjs";

// Before anything starts: however this process is stopped, what it started
// stops with it (scripts/child-processes.mjs, which also covers a SIGKILL).
exitOnSignals();
assertNode22();
const root = resolve(import.meta.dirname, "..");
const bin = (name) => resolve(root, "node_modules/.bin", name);
const port = Number(process.env.PORT ?? 8787);
const lan = process.argv.includes("--lan");
const lanAddress = lan
  ? Object.values(networkInterfaces()).flat().find((i) => i?.family === "IPv4" && !i.internal)?.address
  : undefined;
const origin = `http://${lanAddress ?? "localhost"}:${port}`;
const state = process.env.SHOP_ALONG_STATE ? resolve(process.env.SHOP_ALONG_STATE) : undefined;
const persistArgs = state ? ["--persist-to", state] : [];
const skipBuild = process.env.SHOP_ALONG_SKIP_BUILD === "1" && existsSync(resolve(root, "dist/client/index.html"));

/** Prints the failure and exits once every child is stopped; when already stopping, only waits for the exit. */
async function fail(message, code) {
  if (!shuttingDown()) console.error(message);
  await exitAfterStopping(code);
}

async function run(step, command, args) {
  console.log(`\n▸ ${step}`);
  // stdin is not a terminal, so wrangler applies migrations without asking "Ok to proceed?".
  const child = spawnChild(command, args, { cwd: root, env: LOCAL_ENV, stdio: ["ignore", "inherit", "inherit"] });
  const status = await new Promise((done) => {
    child.once("exit", (code) => done(code));
    child.once("error", () => done(null));
  });
  if (status !== 0) await fail(`\n✗ ${step} failed (exit ${status}).`, status ?? 1);
}

if (!skipBuild) await run("Building the client", bin("vite"), ["build", "--config", "client/vite.config.ts", "--logLevel", "warn"]);
await run(`Applying D1 migrations to the local database (${state ?? ".wrangler/state"})`, bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", ...persistArgs]);

let videoVars = [];
if (usesRealCalls()) {
  console.log("\n▸ Video: Cloudflare Calls (CALLS_APP_ID is set in .dev.vars)");
} else {
  console.log(`\n▸ Starting the local video relay (sfu/, Calls-compatible) on 127.0.0.1:${port + 1}`);
  try {
    videoVars = (await startLocalSfu({ port: port + 1, env: LOCAL_ENV, stdio: "inherit" })).vars;
  } catch (error) {
    await fail(`\n✗ ${error.message}`, 1);
  }
}

// Local only, never in wrangler.toml: webhook endpoints may be http://localhost receivers a developer runs.
const LOCAL_WEBHOOK_VARS = ["--var", "WEBHOOK_ALLOW_LOCAL:true"];
console.log(`\n▸ Starting wrangler dev on ${origin}`);
const dev = spawnChild(
  bin("wrangler"),
  ["dev", "--port", String(port), "--ip", lan ? "0.0.0.0" : "127.0.0.1", "--var", `PUBLIC_URL:${origin}`, ...LOCAL_WEBHOOK_VARS, ...videoVars, ...persistArgs, "--show-interactive-dev-session=false"],
  { cwd: root, env: LOCAL_ENV, stdio: ["ignore", "inherit", "inherit"] },
);
// wrangler dev ending on its own ends npm start, with its exit code.
dev.on("exit", (code) => void exitAfterStopping(code ?? 0));

/** Emails are never sent locally: each one the Worker sends is printed here (wrangler's send_email simulation keeps them). */
function printEmail(email) {
  console.log(`\n  ✉ Email to ${email.to.join(", ")} (local only, not sent): ${email.subject}\n${email.text.replace(/^/gm, "    ")}`);
}

try {
  const api = `http://127.0.0.1:${port}`;
  const demoFile = state ? resolve(state, "demo.json") : resolve(root, ".wrangler/demo.json");
  const demo = await seedDemo(api, demoFile, origin);
  const owner = await demoSignInLink(api, demoFile, demo);
  // A brand's own page on another origin (another port), with the two lines of the embed: examples/embed/.
  const example = await startExampleServer({ port: port + 2, origin, host: lan ? "0.0.0.0" : "127.0.0.1" }).catch(() => null);
  const exampleLink = example ? `http://${lanAddress ?? "127.0.0.1"}:${port + 2}/?room=${demo.roomId}` : "(port taken: node examples/embed/serve.mjs)";
  console.log(`
  ┌──────────────────────────────────────────────────────────────
  │ Shop-along is running at ${origin}
  │
  │ Create your own show:  ${origin}/
  │ Demo viewer link:      ${demo.links.viewer}
  │ Demo host studio:      ${demo.links.host}
  │ Demo guest link:       ${demo.links.guest}${
    // A demo seeded before moderator links (kept in .wrangler/demo.json) has none.
    demo.links.moderator ? `\n  │ Demo moderator link:   ${demo.links.moderator}` : ""
  }
  │ Demo shop's page:      ${demo.shopPage ?? "(none)"}
  │ Embedded on a brand's page (another origin): ${exampleLink}
  │ Brand console:         ${origin}/console
  │ Sign in as the demo's owner (${owner.email}, link valid 15 min, once):
  │   ${owner.link}
  │ Emails sent locally are printed below (they are never really sent).
  │ API docs:              ${origin}/api/docs
  └──────────────────────────────────────────────────────────────
  Scan to open the viewer link${lan ? "" : " (a phone needs `npm start -- --lan`)"}:
${renderUnicodeCompact(demo.links.viewer, { border: 1 }).replace(/^/gm, "    ")}
  Press Ctrl+C to stop.`);
  watchSentEmails(api, printEmail);
} catch (error) {
  await fail(`\n✗ Could not seed the demo: ${error.message}`, 1);
}
