import { resolve } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = resolve(import.meta.dirname, "..");

// API and Durable Object tests run inside workerd, against the real Worker
// (wrangler.toml), its Room class and a local D1 with the migrations applied.
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: resolve(root, "wrangler.toml") },
      miniflare: {
        // WEBHOOK_ALLOW_LOCAL as under `npm start` (test/webhooks.test.ts also tries production's rules); retries after 1 s.
        bindings: { TEST_MIGRATIONS: await readD1Migrations(resolve(root, "migrations")), WEBHOOK_ALLOW_LOCAL: "true", WEBHOOK_RETRY_BASE_SECONDS: "1" },
      },
    }),
  ],
  test: {
    // mediabunny re-exports node:fs/promises for its file targets (unused here); bundled by Vite, it resolves in workerd.
    deps: { optimizer: { ssr: { enabled: true, include: ["mediabunny"] } } },
    root,
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/apply-migrations.ts"],
    // One workerd per worker, shared by the files it runs, not a fresh one per file: starting a runtime and
    // importing the Worker took ~7 s a file (8 min for the suite, 2 with this). Tests make their own shops,
    // rooms and keys, so they need no empty database; the suite passes with its files in shuffled orders.
    // Two workers: a runtime waits on Vite's module server much of the time, so two share 2 cores well.
    isolate: false,
    maxWorkers: 2,
    // Two runtimes on 2 cores: a test that takes 1 s alone took over 5 s (vitest's default limit) on a loaded machine.
    testTimeout: 20_000,
  },
}));
