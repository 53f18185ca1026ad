/**
 * Chat: 1–280 characters, rate-limited per viewer, the last 200 messages
 * kept (late joiners get 50), deleted by the host or a moderator for
 * everyone. Before a message is taken, moderation (moderation.ts) has its
 * say: bans, timeouts, slow mode, blocked words. The event log keeps every
 * message for the show's history; this table is only what a joining client
 * is shown.
 */
import type { Moderation } from "./moderation.ts";
import { LIMITS, type Actor, type ChatMessage, type Role } from "./protocol.ts";
import type { RateLimits } from "./rate-limits.ts";
import { refuse, type Refusal } from "./refusal.ts";
import { showRow, type ShowRow } from "./show.ts";
import { actorOf, type Handlers, type RoomFeature, type RoomKit } from "./room-kit.ts";

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
        const { message: chat } = tx.emit((seq) => ({
          type: "chat" as const,
          message: {
            id: crypto.randomUUID(),
            seq,
            name,
            role: socket.peer.role,
            text,
            at: this.kit.now(),
            author: socket.peer.viewerId,
          } satisfies ChatMessage,
        }));
        const sql = this.kit.sql;
        sql.exec(
          "INSERT INTO messages (id, seq, name, role, text, at, author) VALUES (?, ?, ?, ?, ?, ?, ?)",
          chat.id, chat.seq, chat.name, chat.role, chat.text, chat.at, socket.peer.viewerId,
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

  constructor(
    private readonly kit: RoomKit,
    private readonly limits: RateLimits,
    private readonly moderation: Moderation,
  ) {}

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

  /** The newest messages, oldest first, for a joining client. */
  recent(limit = LIMITS.historyOnJoin): ChatMessage[] {
    return this.kit.sql
      .exec<ChatMessage>(`SELECT * FROM (SELECT ${MESSAGE_COLUMNS} FROM messages ORDER BY seq DESC LIMIT ?) ORDER BY seq`, limit)
      .toArray();
  }
}

/**
 * A stable short number per viewer, so an anonymous viewer is recognisable
 * across a conversation (and reconnects) without signing up.
 */
function defaultName(role: Role, show: ShowRow, viewerId: string): string {
  if (role === "host") return show.shop_name;
  let hash = 0;
  for (const char of viewerId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const suffix = String(hash % 10000).padStart(4, "0");
  if (role === "moderator") return `Moderator ${suffix}`;
  return role === "guest" ? `Guest ${suffix}` : `Viewer ${suffix}`;
}
