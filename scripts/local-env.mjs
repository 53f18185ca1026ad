// The environment every local wrangler command runs with: no telemetry, no
// look-ups on Cloudflare's servers, so the whole stack works offline.
export const LOCAL_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_LOG_SANITIZE: "true",
  NO_UPDATE_NOTIFIER: "1",
};

/** wrangler 4 needs Node 22; the project ships it (devDependency `node`) and npm scripts put it first on PATH. */
export function assertNode22() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    console.error(
      `This needs Node.js 22 or newer, and this is ${process.version}.\n` +
        "Run it through npm (npm start, npm test): npm puts the project's own Node 22 (node_modules/.bin/node) first on PATH.\n" +
        "If node_modules/.bin/node is missing, run npm install again.",
    );
    process.exit(1);
  }
}
