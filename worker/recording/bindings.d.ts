// The recording bindings (wrangler.toml), merged into the Worker's Env (worker/env.d.ts).
declare namespace Cloudflare {
  interface Env {
    /** Recordings: the chunks publishers upload, and the finalized replay files (worker/recording/). Local R2 under `wrangler dev`. */
    RECORDINGS: R2Bucket;
    /** When a show ends its Room queues the finalization of its takes here; this Worker consumes it (finalize.ts). */
    RECORDING_QUEUE: Queue<import("./finalize.ts").FinalizeShow>;
  }
}
