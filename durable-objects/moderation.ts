/**
 * Moderation: what the host and moderators decide about the chat, and the
 * check chat.ts asks before it takes a message.
 *
 *  - Bans and timeouts key on the viewer's server-issued identity, so a
 *    reload, a new socket or a second tab does not lift them. They close the
 *    chat only: a banned viewer still watches, sends hearts and buys (with
 *    the same buy limits as before).
 *  - A timeout ends by the room's clock: the check compares times, and the
 *    clock (`nextDue`/`onDue`) announces the end, so pages re-open the input.
 *  - Slow mode paces each viewer; the time of their last message is kept in
 *    storage, because a quiet room may be evicted between two messages.
 *  - A message with a blocked word is refused for its sender, with the
 *    reason; nobody else sees it.
 *  - One chat message can be pinned on top of the chat.
 *
 * The rules bind viewers only: the host, guests and moderators run the show.
 * Every decision is a sequenced event; who may read which one is decided in
 * event-log.ts (`eventFor`): the blocked words are for moderators, a ban or
 * timeout for moderators and the viewer concerned.
 */
import { messageById } from "./chat.ts";
import { LIMITS, type Actor, type ChatMessage, type ChatState, type ErrorCode, type ModerationFrame, type ModerationState, type Restriction } from "./protocol.ts";
import { refuse, type Refusal } from "./refusal.ts";
import { actorOf, type Change, type Handlers, type Peer, type RoomFeature, type RoomKit, type Socket } from "./room-kit.ts";

export const moderationSchema: RoomFeature["schema"] = {
  4: `CREATE TABLE IF NOT EXISTS chat_rules (
        id                INTEGER PRIMARY KEY CHECK (id = 1),
        slow_mode_seconds INTEGER NOT NULL DEFAULT 0 CHECK (slow_mode_seconds >= 0),
        -- A JSON array of the words as the host typed them.
        blocked_words     TEXT NOT NULL DEFAULT '[]',
        -- The pinned message as it was sent (JSON): it stays on top after it leaves the kept history.
        pinned_message    TEXT
      );
      INSERT OR IGNORE INTO chat_rules (id) VALUES (1);
      -- Viewers the chat takes nothing from: banned until lifted (until NULL), or timed out until a time on the room's clock.
      CREATE TABLE IF NOT EXISTS restrictions (
        viewer_id TEXT PRIMARY KEY,
        kind      TEXT NOT NULL CHECK (kind IN ('ban', 'timeout')),
        until     INTEGER,
        name      TEXT,
        at        INTEGER NOT NULL,
        CHECK ((kind = 'ban') = (until IS NULL))
      );
      CREATE INDEX IF NOT EXISTS restrictions_ending ON restrictions (until) WHERE until IS NOT NULL;
      -- When each viewer last chatted, for slow mode.
      CREATE TABLE IF NOT EXISTS chat_pace (
        viewer_id TEXT PRIMARY KEY,
        last_at   INTEGER NOT NULL
      );`,
};

type RulesRow = { slow_mode_seconds: number; blocked_words: string; pinned_message: string | null };
type RestrictionRow = { viewer_id: string; kind: Restriction["kind"]; until: number | null; name: string | null };

/** Why the chat will not take a message, for its sender. */
export type ChatRefusal = { code: ErrorCode; message: string; retryAfterMs?: number };

/** Text as blocked words are compared: compatibility forms folded (fullwidth ＳＰＡＭ is spam), case ignored. */
const fold = (text: string) => text.normalize("NFKC").toLowerCase();
/** Scripts written without spaces between words: there a blocked word matches anywhere. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * Whether `text` contains one of `words`. In scripts with spaces a word must
 * stand alone (blocking "ass" must not refuse "class"); in Chinese or
 * Japanese, which have no spaces to stand between, anywhere counts.
 */
export function containsBlockedWord(text: string, words: string[]): boolean {
  const message = fold(text);
  return words.some((blocked) => {
    const word = fold(blocked);
    for (let at = message.indexOf(word); at !== -1; at = message.indexOf(word, at + 1)) {
      const opens = UNSPACED.test(word[0]!) || !WORD_CHARACTER.test(message[at - 1] ?? "");
      const closes = UNSPACED.test(word.at(-1)!) || !WORD_CHARACTER.test(message[at + word.length] ?? "");
      if (opens && closes) return true;
    }
    return false;
  });
}

export class Moderation implements RoomFeature {
  readonly schema = moderationSchema;

  readonly handlers: Handlers = {
    pin_message: (socket, message) => answer(socket, this.decide(message, actorOf(socket.peer))),
    timeout: (socket, message) => answer(socket, this.decide(message, actorOf(socket.peer))),
    ban: (socket, message) => answer(socket, this.decide(message, actorOf(socket.peer))),
    unban: (socket, message) => answer(socket, this.decide(message, actorOf(socket.peer))),
    slow_mode: (socket, message) => answer(socket, this.decide(message, actorOf(socket.peer))),
    blocked_words: (socket, message) => answer(socket, this.decide(message, actorOf(socket.peer))),
  };

  constructor(private readonly kit: RoomKit) {}

  // ------------------------------------------------------------ what chat.ts asks

  /** Why the chat will not take `text` from `peer` now; null when it will. */
  refusal(peer: Peer, text: string): ChatRefusal | null {
    if (peer.role !== "viewer") return null;
    const now = this.kit.now();
    const restriction = this.#active(peer.viewerId, now);
    if (restriction?.kind === "ban") {
      return { code: "banned", message: "The host has closed this show's chat to you. You can still watch and shop." };
    }
    if (restriction) {
      const wait = restriction.until! - now;
      return { code: "timed_out", message: `You are timed out of the chat for another ${Math.ceil(wait / 1000)} s.`, retryAfterMs: wait };
    }
    const rules = this.#rules();
    if (containsBlockedWord(text, JSON.parse(rules.blocked_words) as string[])) {
      return { code: "blocked_word", message: "Not sent: your message contains a word this show's chat does not allow." };
    }
    if (rules.slow_mode_seconds > 0) {
      const last = this.kit.sql.exec<{ last_at: number }>("SELECT last_at FROM chat_pace WHERE viewer_id = ?", peer.viewerId).toArray()[0];
      const wait = last ? last.last_at + rules.slow_mode_seconds * 1000 - now : 0;
      if (wait > 0) return { code: "slow_mode", message: `Slow mode is on: one message every ${rules.slow_mode_seconds} s.`, retryAfterMs: wait };
    }
    return null;
  }

  /** A viewer's message was taken (inside the chat's change): slow mode counts from now. */
  taken(peer: Peer, at: number): void {
    if (peer.role !== "viewer") return;
    this.kit.sql.exec(
      "INSERT INTO chat_pace (viewer_id, last_at) VALUES (?, ?) ON CONFLICT (viewer_id) DO UPDATE SET last_at = excluded.last_at",
      peer.viewerId, at,
    );
  }

  /** A message was deleted (inside that change): if it was on top, it comes off. */
  deleted(tx: Change, messageId: string): void {
    if (this.chatState().pinned?.id === messageId) this.#setPinned(tx, null);
  }

  // ------------------------------------------------------------ what sockets are told

  /** Whether the room takes chat from this socket: the `you` of sync and replay frames. */
  restrictionFor(peer: Peer): Restriction | null {
    return peer.role === "viewer" ? this.#active(peer.viewerId, this.kit.now()) : null;
  }

  chatState(): ChatState {
    const rules = this.#rules();
    return { slowModeSeconds: rules.slow_mode_seconds, pinned: rules.pinned_message ? (JSON.parse(rules.pinned_message) as ChatMessage) : null };
  }

  /** For the host and moderators. */
  moderationState(): ModerationState {
    const restricted = this.kit.sql
      .exec<RestrictionRow>("SELECT viewer_id, kind, until, name FROM restrictions WHERE until IS NULL OR until > ? ORDER BY at", this.kit.now())
      .toArray()
      .map((row) => ({ viewerId: row.viewer_id, name: row.name, restriction: { kind: row.kind, until: row.until } }));
    return { blockedWords: JSON.parse(this.#rules().blocked_words) as string[], restricted };
  }

  // ------------------------------------------------------------ the decisions (null when done)

  /** One decision of `by` (the log keeps who took it); a chat message's deletion is chat.ts's. */
  decide(action: Exclude<ModerationFrame, { type: "delete" }>, by: Actor): Refusal | null {
    switch (action.type) {
      case "pin_message":
        return this.pin(action.messageId, by);
      case "timeout":
      case "ban":
        return this.restrict(action.viewerId, action.type, by);
      case "unban":
        return this.lift(action.viewerId, by);
      case "slow_mode":
        return this.setSlowMode(action.seconds, by);
      case "blocked_words":
        return this.setBlockedWords(action.words, by);
    }
  }

  /** Pins a kept message on top of the chat; null unpins. */
  pin(messageId: string | null, by: Actor): Refusal | null {
    const current = this.chatState().pinned;
    if ((current?.id ?? null) === messageId) return null;
    const message = messageId === null ? null : messageById(this.kit.sql, messageId);
    if (message === undefined) return refuse("not_found", "That message is gone; only a message still in the chat can be pinned.");
    this.kit.commit((tx) => this.#setPinned(tx, message), { by });
    return null;
  }

  /** Bans a viewer, or times them out for LIMITS.timeoutMs (again: from now). */
  restrict(viewerId: string, kind: Restriction["kind"], by: Actor): Refusal | null {
    const sql = this.kit.sql;
    if (sql.exec("SELECT 1 FROM messages WHERE author = ? AND role != 'viewer' LIMIT 1", viewerId).toArray().length > 0) {
      return refuse("forbidden", "The host, guests and moderators cannot be timed out or banned.");
    }
    const now = this.kit.now();
    const current = this.#active(viewerId, now);
    if (kind === "ban" && current?.kind === "ban") return null;
    if (kind === "timeout" && current?.kind === "ban") {
      return refuse("invalid_transition", "This viewer is banned. Unban them first if a timeout is what you meant.");
    }
    const until = kind === "timeout" ? now + LIMITS.timeoutMs : null;
    const name =
      sql.exec<{ name: string }>("SELECT name FROM messages WHERE author = ? ORDER BY seq DESC LIMIT 1", viewerId).toArray()[0]?.name ??
      sql.exec<{ name: string | null }>("SELECT name FROM restrictions WHERE viewer_id = ?", viewerId).toArray()[0]?.name ??
      null;
    this.kit.commit((tx) => {
      sql.exec(
        `INSERT INTO restrictions (viewer_id, kind, until, name, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (viewer_id) DO UPDATE SET kind = excluded.kind, until = excluded.until, name = excluded.name, at = excluded.at`,
        viewerId, kind, until, name, now,
      );
      tx.emit({ type: "restricted", viewerId, name, restriction: { kind, until } });
      if (until !== null) tx.rearm();
    }, { by });
    return null;
  }

  /** Lets a banned or timed-out viewer chat again. */
  lift(viewerId: string, by: Actor): Refusal | null {
    const row = this.kit.sql.exec<RestrictionRow>("SELECT viewer_id, kind, until, name FROM restrictions WHERE viewer_id = ?", viewerId).toArray()[0];
    if (!row) return null;
    this.kit.commit((tx) => this.#free(tx, row), { by });
    return null;
  }

  setSlowMode(seconds: number, by: Actor): Refusal | null {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > LIMITS.slowModeMaxSeconds) {
      return refuse("invalid_request", `Slow mode takes a whole number of seconds from 0 (off) to ${LIMITS.slowModeMaxSeconds}.`);
    }
    if (this.#rules().slow_mode_seconds === seconds) return null;
    this.kit.commit((tx) => {
      this.kit.sql.exec("UPDATE chat_rules SET slow_mode_seconds = ? WHERE id = 1", seconds);
      tx.emit({ type: "slow_mode", seconds });
    }, { by });
    return null;
  }

  /** Replaces the list; the same word twice (in any case) is kept once. */
  setBlockedWords(words: string[], by: Actor): Refusal | null {
    const list: string[] = [];
    const seen = new Set<string>();
    for (const word of words.map((w) => w.trim())) {
      if (!word || seen.has(fold(word))) continue;
      seen.add(fold(word));
      list.push(word);
    }
    if (list.length > LIMITS.blockedWords || list.some((word) => word.length > LIMITS.blockedWordLength)) {
      return refuse("invalid_request", `Up to ${LIMITS.blockedWords} blocked words, each up to ${LIMITS.blockedWordLength} characters.`);
    }
    const text = JSON.stringify(list);
    if (this.#rules().blocked_words === text) return null;
    this.kit.commit((tx) => {
      this.kit.sql.exec("UPDATE chat_rules SET blocked_words = ? WHERE id = 1", text);
      tx.emit({ type: "blocked_words", words: list });
    }, { by });
    return null;
  }

  // ------------------------------------------------------------ the clock: timeouts end

  nextDue(): number | null {
    return this.kit.sql.exec<{ at: number | null }>("SELECT min(until) AS at FROM restrictions WHERE until IS NOT NULL").one().at;
  }

  onDue(now: number): void {
    const ended = this.kit.sql.exec<RestrictionRow>("SELECT viewer_id, kind, until, name FROM restrictions WHERE until <= ?", now).toArray();
    if (ended.length === 0) return;
    this.kit.commit((tx) => {
      for (const row of ended) this.#free(tx, row);
    });
  }

  // ------------------------------------------------------------ helpers

  #rules(): RulesRow {
    return this.kit.sql.exec<RulesRow>("SELECT slow_mode_seconds, blocked_words, pinned_message FROM chat_rules WHERE id = 1").one();
  }

  /** The viewer's restriction in force at `now` (a timeout that ran out is none, even before the clock removed it). */
  #active(viewerId: string, now: number): Restriction | null {
    const row = this.kit.sql.exec<RestrictionRow>("SELECT viewer_id, kind, until, name FROM restrictions WHERE viewer_id = ?", viewerId).toArray()[0];
    if (!row || (row.until !== null && row.until <= now)) return null;
    return { kind: row.kind, until: row.until };
  }

  #setPinned(tx: Change, message: ChatMessage | null): void {
    this.kit.sql.exec("UPDATE chat_rules SET pinned_message = ? WHERE id = 1", message ? JSON.stringify(message) : null);
    tx.emit({ type: "chat_pinned", message });
  }

  #free(tx: Change, row: RestrictionRow): void {
    this.kit.sql.exec("DELETE FROM restrictions WHERE viewer_id = ?", row.viewer_id);
    tx.emit({ type: "restricted", viewerId: row.viewer_id, name: row.name, restriction: null });
  }
}

/** A decision's refusal as the socket's `error` frame. */
function answer(socket: Socket, refusal: Refusal | null): void {
  if (!refusal) return;
  const code: ErrorCode = refusal.code === "not_found" || refusal.code === "forbidden" || refusal.code === "invalid_transition" ? refusal.code : "invalid_message";
  socket.refuse(code, refusal.message);
}
