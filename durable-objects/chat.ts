/**
 * Chat: 1–280 characters, rate-limited per viewer, the last 200 messages
 * kept (late joiners get 50), deleted by the host for everyone. The event
 * log keeps every message for the show's history; this table is only what a
 * joining client is shown.
 */
import { LIMITS, type ChatMessage, type Role } from "./protocol.ts";
import type { RateLimits } from "./rate-limits.ts";
import { showRow, type ShowRow } from "./show.ts";
import type { Handlers, RoomFeature, RoomKit } from "./room-kit.ts";

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

export class Chat implements RoomFeature {
  readonly schema = chatSchema;

  readonly handlers: Handlers = {
    chat: (socket, message) => {
      const show = showRow(this.kit.sql)!;
      if (show.status === "ended") return socket.refuse("show_ended", "The show has ended; chat is closed.");
      const text = message.text.trim();
      if (!text) return socket.refuse("invalid_message", "A chat message cannot be empty.");
      const wait = this.limits.take("chat", socket.peer.viewerId);
      if (wait > 0) return socket.refuse("rate_limited", "You are sending messages too fast; wait a moment.", wait);
      const name = message.name?.trim() || defaultName(socket.peer.role, show, socket.peer.viewerId);
      this.kit.commit((tx) => {
        const { message: chat } = tx.emit((seq) => ({
          type: "chat" as const,
          message: { id: crypto.randomUUID(), seq, name, role: socket.peer.role, text, at: this.kit.now() } satisfies ChatMessage,
        }));
        const sql = this.kit.sql;
        sql.exec(
          "INSERT INTO messages (id, seq, name, role, text, at, author) VALUES (?, ?, ?, ?, ?, ?, ?)",
          chat.id, chat.seq, chat.name, chat.role, chat.text, chat.at, socket.peer.viewerId,
        );
        sql.exec("DELETE FROM messages WHERE seq <= (SELECT seq FROM messages ORDER BY seq DESC LIMIT 1 OFFSET ?)", LIMITS.historyKept);
      });
    },
    delete: (socket, message) => {
      const found = this.kit.sql.exec("SELECT id FROM messages WHERE id = ?", message.messageId).toArray();
      if (found.length === 0) return socket.refuse("not_found", "That message is already gone.");
      this.kit.commit((tx) => {
        this.kit.sql.exec("DELETE FROM messages WHERE id = ?", message.messageId);
        tx.emit({ type: "chat_deleted", messageId: message.messageId });
      });
    },
  };

  constructor(
    private readonly kit: RoomKit,
    private readonly limits: RateLimits,
  ) {}

  /** The newest messages, oldest first, for a joining client. */
  recent(limit = LIMITS.historyOnJoin): ChatMessage[] {
    return this.kit.sql
      .exec<ChatMessage>("SELECT * FROM (SELECT id, seq, name, role, text, at FROM messages ORDER BY seq DESC LIMIT ?) ORDER BY seq", limit)
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
  return role === "guest" ? `Guest ${suffix}` : `Viewer ${suffix}`;
}
