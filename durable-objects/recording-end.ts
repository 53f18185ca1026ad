/**
 * When the show ends, its recording is finalized: the Room queues it in the
 * same transaction as the end (the outbox's `recording` topic), and the
 * outbox hands it to the Worker's recording queue (worker/recording/
 * finalize.ts), retried until the queue took it. A few seconds' delay lets
 * the publishers' last chunks land first.
 */
import type { TopicSender } from "./outbox.ts";
import type { Change } from "./room-kit.ts";

export const LAST_CHUNKS_GRACE_S = 3;

/** For Show.onEnd: queue the finalization with the end itself. */
export const queueFinalization = (tx: Change) => tx.enqueue("recording", "finalize", 1);

export const sendFinalization: TopicSender = async ({ show, env }) => {
  await env.RECORDING_QUEUE.send({ roomId: show.room_id }, { delaySeconds: LAST_CHUNKS_GRACE_S });
};
