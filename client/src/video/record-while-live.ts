/**
 * Records this publisher's page while the show is live and it is on the
 * stage. The recorder itself (recorder.ts) loads on demand, the first time
 * both are true: a page that never goes live never downloads it.
 */
import { effect, type ReadonlySignal } from "@preact/signals";
import { serverNow } from "../server-clock.ts";
import { viewerToken } from "../viewer-token.ts";
import type { Publisher } from "./publisher.ts";

export function recordWhileLive(roomId: string, key: string | null, publisher: Publisher, live: ReadonlySignal<boolean>): () => void {
  let loading = false;
  return effect(() => {
    if (loading || !live.value || publisher.state.value != "on") return;
    loading = true;
    void import("./recorder.ts").then((m) => m.startRecorder(roomId, key, publisher, live, { serverNow, viewerToken }));
  });
}
