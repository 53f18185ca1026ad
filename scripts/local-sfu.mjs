/**
 * Starts the local Calls-compatible SFU (sfu/) for `npm start` and the tests,
 * and says which Worker variables point at it. Skipped when real Calls
 * credentials are set in .dev.vars (then the Worker talks to Cloudflare Calls).
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { spawnChild } from "./child-processes.mjs";

const root = resolve(import.meta.dirname, "..");

export const LOCAL_APP = { id: "local-sfu-app", secret: "local-sfu-secret" };

/** True when .dev.vars configures Cloudflare Calls, so no local relay is needed. */
export function usesRealCalls() {
  const file = resolve(root, ".dev.vars");
  return existsSync(file) && /^\s*CALLS_APP_ID\s*=/m.test(readFileSync(file, "utf8"));
}

/**
 * Spawns `node sfu/main.ts` on `port` and resolves once it is ready, with the
 * process and the `--var` arguments that point wrangler dev at it. It runs in
 * its own process group and exits when its stdin, a pipe from this process,
 * closes: when this process ends, even by SIGKILL.
 */
export function startLocalSfu({ port, env = process.env, loopbackOnly = false, stdio = "pipe" }) {
  return new Promise((resolveReady, reject) => {
    const sfu = spawnChild(resolve(root, "node_modules/.bin/node"), [resolve(root, "sfu/main.ts")], {
      cwd: root,
      env: {
        ...env,
        SFU_PORT: String(port),
        CALLS_APP_ID: LOCAL_APP.id,
        CALLS_APP_SECRET: LOCAL_APP.secret,
        SFU_EXIT_ON_STDIN_END: "1",
        ...(loopbackOnly ? { SFU_LOOPBACK_ONLY: "1" } : {}),
      },
      stdio: ["pipe", "pipe", stdio === "inherit" ? "inherit" : "pipe"],
    });
    sfu.stdin.on("error", () => {}); // it exited: nothing to write anyway
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the local SFU did not start within 20 s:\n${output}`)), 20_000);
    sfu.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("local SFU ready")) {
        clearTimeout(timer);
        resolveReady({
          process: sfu,
          vars: [
            "--var", `CALLS_API_BASE:http://127.0.0.1:${port}/v1`,
            "--var", `CALLS_APP_ID:${LOCAL_APP.id}`,
            "--var", `CALLS_APP_SECRET:${LOCAL_APP.secret}`,
          ],
        });
      }
    });
    sfu.stderr?.on("data", (chunk) => (output += chunk));
    sfu.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the local SFU exited (${code}):\n${output}`));
    });
  });
}
