/**
 * The recording queue's consumer: a show ended, so each of its takes becomes
 * one file that seeks at once (remux.ts). Open takes are closed first (a
 * chunk after that is refused), then each closed take is remuxed from its
 * chunks 0…k (up to the first missing one: what a page lost when its tab
 * closed is the end of its take) into replays/{room}/{take}.webm|mp4. A
 * remux that fails is retried by the queue; on its last attempt the take
 * is marked failed, so the replay is ready with the takes that worked.
 */
import { recordEvents } from "../webhooks/events.ts";
import { z } from "@hono/zod-openapi";
import { remuxTake } from "./remux.ts";
import { chunkKey, chunksOf, replayKey, takesOf, type TakeRow } from "./takes.ts";

export type FinalizeShow = { roomId: string };

const Message = z.object({ roomId: z.string().regex(/^r_[0-9A-Za-z]{16}$/) });

/** As wrangler.toml's max_retries: the delivery after which a take that still fails is given up on. */
const LAST_ATTEMPT = 6;

export const isRecordingQueue = (queue: string) => queue.startsWith("shop-along-recordings");

export async function finalizeRecordings(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = Message.safeParse(message.body);
    if (!parsed.success) {
      console.error("recording queue: dropping a malformed message", message.id);
      message.ack();
      continue;
    }
    try {
      await finalizeShow(env, parsed.data.roomId, message.attempts >= LAST_ATTEMPT);
      message.ack();
    } catch (error) {
      console.error("recording: finalizing failed, will retry", parsed.data.roomId, message.attempts, String(error));
      message.retry({ delaySeconds: Math.min(300, 10 * 2 ** (message.attempts - 1)) });
    }
  }
}

/** Finalizes every take of the room not finalized yet; throws if one failed (and `giveUp` is false). */
export async function finalizeShow(env: Env, roomId: string, giveUp = false): Promise<void> {
  await env.DB.prepare("UPDATE recording_takes SET state = 'closed' WHERE room_id = ? AND state = 'recording'").bind(roomId).run();
  const takes = (await takesOf(env.DB, roomId)).filter((take) => take.state === "closed");
  let failure: unknown = null;
  for (const take of takes) {
    try {
      await finalizeTake(env, take);
    } catch (error) {
      failure ??= error;
      if (giveUp) {
        await env.DB.prepare("UPDATE recording_takes SET state = 'failed', failure = ? WHERE id = ? AND state = 'closed'").bind(String(error).slice(0, 500), take.id).run();
      }
    }
  }
  if (failure && !giveUp) throw failure;
  await announceReplay(env, roomId);
}

/**
 * `replay.ready`, once the show's takes are finalized and one of them plays. Its id follows from the room, so a
 * finalization run again (the queue redelivers until it is acked) writes it once.
 */
async function announceReplay(env: Env, roomId: string): Promise<void> {
  const ready = await env.DB.prepare(
    `SELECT r.shop_id, r.title, count(t.id) AS takes, max(t.duration_ms) AS duration_ms FROM rooms r JOIN recording_takes t ON t.room_id = r.id AND t.state = 'ready'
     WHERE r.id = ? GROUP BY r.id`,
  )
    .bind(roomId)
    .first<{ shop_id: string; title: string; takes: number; duration_ms: number | null }>();
  if (!ready) return;
  await recordEvents(env, [
    { id: `msg_replay_${roomId}`, shopId: ready.shop_id, roomId, type: "replay.ready", at: Date.now(), data: { roomId, title: ready.title, takes: ready.takes, durationMs: ready.duration_ms } },
  ]);
}

async function finalizeTake(env: Env, take: TakeRow): Promise<void> {
  const chunks = await chunksOf(env.DB, take.id);
  const contiguous = chunks.filter((chunk, i) => chunk.n === i);
  if (contiguous.length === 0) {
    await env.DB.prepare("UPDATE recording_takes SET state = 'empty' WHERE id = ? AND state = 'closed'").bind(take.id).run();
    return;
  }
  const stored = contiguous.map((chunk) => ({ key: chunkKey(take.roomId, take.id, chunk.n), bytes: chunk.bytes }));
  const file = await remuxTake(env.RECORDINGS, stored, replayKey(take.roomId, take.id));
  await env.DB.prepare("UPDATE recording_takes SET state = 'ready', file_r2_key = ?, file_bytes = ?, duration_ms = ?, mime = ? WHERE id = ? AND state = 'closed'")
    .bind(file.key, file.bytes, file.durationMs, file.contentType, take.id)
    .run();
  // The chunks served their purpose: the file is the recording now.
  for (let i = 0; i < chunks.length; i += 1000) await env.RECORDINGS.delete(chunks.slice(i, i + 1000).map((c) => chunkKey(take.roomId, take.id, c.n)));
}
