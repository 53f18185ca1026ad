/**
 * What only the host and moderators keep of the chat's moderation: the
 * blocked words and who is kept out of the chat now. The room model hands
 * over every sync frame and durable event (`onFrame`); this file is the
 * studio's alone, so the viewer page carries none of it.
 */
import { signal } from "@preact/signals";
import type { ModerationState, RoomEvent, ServerMessage } from "../../../durable-objects/protocol.ts";

export type ModerationFeed = ReturnType<typeof createModerationFeed>;

export function createModerationFeed() {
  /** Null until the room's first sync (and for a socket the room does not count as a moderator). */
  const state = signal<ModerationState | null>(null);

  function receive(frame: Extract<ServerMessage, { type: "sync" }> | RoomEvent) {
    if (frame.type === "sync") {
      state.value = frame.moderation ?? null;
      return;
    }
    const current = state.peek();
    if (!current) return;
    if (frame.type === "blocked_words") state.value = { ...current, blockedWords: frame.words };
    if (frame.type === "restricted") {
      const others = current.restricted.filter((entry) => entry.viewerId !== frame.viewerId);
      const { viewerId, name, restriction } = frame;
      state.value = { ...current, restricted: restriction ? [...others, { viewerId, name, restriction }] : others };
    }
  }

  return { state, receive };
}
