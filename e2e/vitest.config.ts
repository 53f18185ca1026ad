import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// Browser tests: real Chromium against the real stack (wrangler dev with a
// fresh local state), started once for all files by global-setup.ts.
export default defineConfig({
  test: {
    root: resolve(import.meta.dirname, ".."),
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    environment: "node",
    // One browser at a time on a 2-core machine; each file opens its own contexts.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
