import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { LIMITS, type ChatMessage, type Restriction } from "../../../durable-objects/protocol.ts";
import { dealClock } from "../components/DealCountdown.tsx";
import { chatName } from "../components/chat-name.ts";
import { RoleBadge } from "../components/RoleBadge.tsx";
import { SendIcon } from "../components/icons.tsx";
import { tViewer as t } from "../i18n.ts";
import { useSecondsLeft, type ChatDraft } from "../chat-draft.ts";
import { serverNow } from "../server-clock.ts";

const NAME_KEY = "shop-along:name";

/** Pixels from the bottom within which the list keeps following new messages. */
const FOLLOW_SLACK = 48;

/** The recent messages over the bottom-left of the stage, newest last. */
export function ChatMessages({ messages }: { messages: ChatMessage[] }) {
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  // Keep the newest message in view unless the viewer scrolled up to read.
  useLayoutEffect(() => {
    const element = list.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [messages]);

  return (
    <ol
      class="chat-overlay"
      data-testid="chat-list"
      ref={list}
      aria-live="polite"
      onScroll={(event) => {
        const element = event.currentTarget;
        following.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_SLACK;
      }}
    >
      {messages.map((message) => (
        <li
          key={message.id}
          class={`chat-bubble chat-from-${message.role}`}
          data-testid="chat-message"
          data-message-id={message.id}
          data-role={message.role}
        >
          <RoleBadge role={message.role} />
          <span class="chat-name">{chatName(message.name)}</span>
          <span class="chat-text">{message.text}</span>
        </li>
      ))}
    </ol>
  );
}

/** The message the host pinned, on top of the chat. */
export function PinnedMessage({ message }: { message: ChatMessage }) {
  return (
    <p class="chat-bubble chat-pinned" data-testid="pinned-message" data-message-id={message.id}>
      <span class="role-badge role-host">{t("pinnedMessage")}</span>
      <span class="chat-name">{chatName(message.name)}</span>
      {message.text}
    </p>
  );
}

/**
 * Why you cannot chat, in words (a timeout's time left counting down on the
 * room's clock), or null when you can. At a timeout's end the input opens by
 * itself, even before the room's own word that it ended arrives.
 */
export function useChatLock(restriction: Restriction | null | undefined): string | null {
  const left = restriction?.until ? restriction.until - serverNow() : 0;
  useSecondsLeft(left);
  if (restriction?.kind === "ban") return t("errorBanned");
  return left > 0 ? t("chatTimedOut", { time: dealClock(left) }) : null;
}

function savedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? "";
  } catch {
    return "";
  }
}

type ChatComposerProps = {
  draft: ChatDraft;
  /** Banned or timed out: the input is closed (the page says why). */
  locked: boolean;
  slowModeSeconds: number;
};

/** Name (remembered on this device) and message; Enter sends. The line stays in the box until the room takes it. */
export function ChatComposer({ draft, locked, slowModeSeconds }: ChatComposerProps) {
  const [name, setName] = useState(savedName);

  function submit(event: Event) {
    event.preventDefault();
    draft.submit(name);
  }

  function rememberName(value: string) {
    setName(value);
    try {
      localStorage.setItem(NAME_KEY, value.trim());
    } catch {
      // Not remembered, still used for this visit.
    }
  }

  return (
    <form class="composer" onSubmit={submit}>
      <input
        class="composer-name"
        data-testid="chat-name"
        aria-label={t("namePlaceholder")}
        placeholder={t("namePlaceholder")}
        maxLength={LIMITS.displayName}
        autocomplete="nickname"
        value={name}
        onInput={(event) => rememberName(event.currentTarget.value)}
      />
      {/* No maxLength: a paste is never cut silently; the counter and the notice say by how much it is over. */}
      <input
        class="composer-text"
        data-testid="chat-input"
        aria-label={t("chatPlaceholder")}
        placeholder={slowModeSeconds ? t("slowModePlaceholder", { seconds: slowModeSeconds }) : t("chatPlaceholder")}
        enterKeyHint="send"
        autocomplete="off"
        disabled={locked}
        aria-invalid={draft.over}
        value={draft.text}
        onInput={(event) => draft.edit(event.currentTarget.value)}
      />
      {draft.counter && (
        <span class="composer-count" data-testid="chat-count" data-over={draft.over}>
          {draft.counter}
        </span>
      )}
      <button type="submit" class="composer-send" data-testid="chat-send" aria-label={t("send")} disabled={locked || draft.blocked}>
        <SendIcon size={18} />
      </button>
    </form>
  );
}
