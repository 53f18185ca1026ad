/**
 * Chat: 1–280 characters, rate-limited per viewer, the last 200 messages
 * kept (late joiners get 50), deleted by the host or a moderator for
 * everyone. Before a message is taken, moderation (moderation.ts) has its
 * say: bans, timeouts, slow mode, blocked words. Above the room's sampling
 * rate, viewers are shown a fair sample of the chat (chat-sampling.ts): the
 * decision is taken here, once, as the message is committed. The event log
 * keeps every message for the show's history; this table is only what a
 * joining client is shown.
 */
import { ChatSampler, sampleRate } from "./chat-sampling.ts";
import type { Moderation } from "./moderation.ts";
import { LIMITS, MODERATORS, type Actor, type ChatMessage, type Role } from "./protocol.ts";
import type { RateLimits } from "./rate-limits.ts";
import { refuse, type Refusal } from "./refusal.ts";
import { showRow, type ShowRow } from "./show.ts";
import { actorOf, type Handlers, type Peer, type RoomFeature, type RoomKit } from "./room-kit.ts";

export const chatSchema: RoomFeature["schema"] = {
  1: `CREATE TABLE IF NOT EXISTS messages (
        id   TEXT PRIMARY KEY,
        seq  INTEGER NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        text TEXT NOT NULL,
        at   INTEGER NOT NULL
      );`,
  // Who wrote it (the viewer's server-issued identity), for moderation.
  2: `ALTER TABLE messages ADD COLUMN author TEXT;`,
  // 1 when viewers were not shown it (chat-sampling.ts): a joining viewer's history leaves it out.
  14: `ALTER TABLE messages ADD COLUMN sampled_out INTEGER NOT NULL DEFAULT 0;`,
};

const MESSAGE_COLUMNS = "id, seq, name, role, text, at, author";

/** A kept message, for moderation to act on (pin it, find who wrote it). */
export function messageById(sql: SqlStorage, id: string): ChatMessage | undefined {
  return sql.exec<ChatMessage>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`, id).toArray()[0];
}

export class Chat implements RoomFeature {
  readonly schema = chatSchema;

  readonly handlers: Handlers = {
    chat: (socket, message) => {
      const show = showRow(this.kit.sql)!;
      if (show.status === "ended") return socket.refuse("show_ended", "The show has ended; chat is closed.");
      const text = message.text.trim();
      if (!text) return socket.refuse("invalid_message", "A chat message cannot be empty.");
      // Before the rate limit: a refused message should not cost the sender an allowance.
      const refused = this.moderation.refusal(socket.peer, text);
      if (refused) return socket.refuse(refused.code, refused.message, refused.retryAfterMs);
      const wait = this.limits.take("chat", socket.peer.viewerId);
      if (wait > 0) return socket.refuse("rate_limited", "You are sending messages too fast; wait a moment.", wait);
      const name = message.name?.trim() || defaultName(socket.peer.role, show, socket.peer.viewerId);
      const sent = this.kit.commit((tx) => {
        let shown = true;
        // The line's time is its event's in the log (one clock reading for both), and the sampler decides at it.
        const { message: chat } = tx.emit((seq, at) => {
          shown = this.#sampler()?.show(socket.peer.viewerId, socket.peer.role !== "viewer", at) ?? true;
          return {
            type: "chat" as const,
            message: { id: crypto.randomUUID(), seq, name, role: socket.peer.role, text, at, author: socket.peer.viewerId } satisfies ChatMessage,
            ...(shown ? {} : { sampledOut: true as const }),
          };
        });
        const sql = this.kit.sql;
        sql.exec(
          "INSERT INTO messages (id, seq, name, role, text, at, author, sampled_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          chat.id, chat.seq, chat.name, chat.role, chat.text, chat.at, socket.peer.viewerId, shown ? 0 : 1,
        );
        sql.exec("DELETE FROM messages WHERE seq <= (SELECT seq FROM messages ORDER BY seq DESC LIMIT 1 OFFSET ?)", LIMITS.historyKept);
        this.moderation.taken(socket.peer, chat.at);
        return chat;
      });
      // After the broadcast: the sender may clear its box.
      if (socket.ref) socket.send({ type: "chat_sent", seq: sent.seq, ref: socket.ref, messageId: sent.id });
    },
    delete: (socket, message) => {
      const refusal = this.delete(message.messageId, actorOf(socket.peer));
      if (refusal) socket.refuse("not_found", refusal.message);
    },
  };

  /** Kept in memory (an evicted room starts with a full bucket); made again if the rate setting changed. */
  #sampling: ChatSampler | null = null;

  constructor(
    private readonly kit: RoomKit,
    private readonly limits: RateLimits,
    private readonly moderation: Moderation,
  ) {}

  /** The room's sampler at `CHAT_SAMPLE_PER_SECOND`; null when the rate is 0 (never sample). */
  #sampler(): ChatSampler | null {
    const rate = sampleRate(this.kit.env.CHAT_SAMPLE_PER_SECOND);
    if (rate === 0) return (this.#sampling = null);
    if (this.#sampling?.perSecond !== rate) this.#sampling = new ChatSampler(rate, this.kit.now());
    return this.#sampling;
  }

  /** Deletes a message for everyone (and takes it off the top if it was pinned); null when done. */
  delete(messageId: string, by: Actor): Refusal | null {
    // A pinned message may have left the kept history and still be on top.
    if (!messageById(this.kit.sql, messageId) && this.moderation.chatState().pinned?.id !== messageId) {
      return refuse("not_found", "That message is already gone.");
    }
    this.kit.commit((tx) => {
      this.kit.sql.exec("DELETE FROM messages WHERE id = ?", messageId);
      tx.emit({ type: "chat_deleted", messageId });
      this.moderation.deleted(tx, messageId);
    }, { by });
    return null;
  }

  /**
   * The newest messages, oldest first, for a joining client. A viewer or guest (`peer`) gets those viewers were
   * shown and its own; the host and moderators (or no peer given) get every one.
   */
  recent(peer: Peer | null = null, limit = LIMITS.historyOnJoin): ChatMessage[] {
    const all = !peer || MODERATORS.includes(peer.role) ? 1 : 0;
    return this.kit.sql
      .exec<ChatMessage>(
        `SELECT * FROM (SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ? OR sampled_out = 0 OR author = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
        all, peer?.viewerId ?? "", limit,
      )
      .toArray();
  }

  /** Who wrote the lines kept out of viewers' chat (sampled out) from `seq` on: each of them reads its own among the rest. */
  sampledOutAuthors(seq: number): Set<string> {
    const rows = this.kit.sql.exec<{ author: string }>("SELECT DISTINCT author FROM messages WHERE sampled_out = 1 AND seq >= ? AND author IS NOT NULL", seq);
    return new Set(rows.toArray().map((row) => row.author));
  }
}

/**
 * A stable short number per viewer, so an anonymous viewer is recognisable
 * across a conversation (and reconnects) without signing up. Its form is
 * DEFAULT_NAME's (protocol.ts), which pages read to say it in their language.
 */
function defaultName(role: Role, show: ShowRow, viewerId: string): string {
  if (role === "host") return show.shop_name;
  let hash = 0;
  for (const char of viewerId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const suffix = String(hash % 10000).padStart(4, "0");
  if (role === "moderator") return `Moderator ${suffix}`;
  return role === "guest" ? `Guest ${suffix}` : `Viewer ${suffix}`;
}
