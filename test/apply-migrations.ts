import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}

// Applies only what is not yet applied, so running once per test file is cheap.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
