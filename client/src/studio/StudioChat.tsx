import { useLayoutEffect, useRef } from "preact/hooks";
import { type ChatMessage, type ChatState, type ModerationFrame, type ModerationState } from "../../../durable-objects/protocol.ts";
import { useChatDraft } from "../chat-draft.ts";
import { chatName } from "../components/chat-name.ts";
import { RoleBadge } from "../components/RoleBadge.tsx";
import { TrashIcon } from "../components/icons.tsx";
import { formatClock } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";
import type { ChatReply } from "../room-model.ts";

type StudioChatProps = {
  messages: ChatMessage[];
  chat: ChatState;
  /** The blocked words and who is kept out; null until the room has said. */
  moderation: ModerationState | null;
  placeholder: string;
  onSend: (text: string) => Promise<ChatReply> | null;
  onModerate: (frame: ModerationFrame) => void;
};

/**
 * The room's chat as the host (or a moderator) runs it: any message can be
 * pinned on top or deleted, and a viewer's can time its author out or ban
 * them (by the author's viewer identity, which outlasts reloads).
 */
export function StudioChat({ messages, chat, moderation, placeholder, onSend, onModerate }: StudioChatProps) {
  const draft = useChatDraft(onSend);
  const list = useRef<HTMLOListElement>(null);
  const restricted = new Map(moderation?.restricted.map((entry) => [entry.viewerId, entry.restriction]));

  useLayoutEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [messages.length]);

  function submit(event: Event) {
    event.preventDefault();
    draft.submit();
  }

  return (
    <section class="card chat-card" aria-labelledby="studio-chat-title">
      <h2 class="card-title" id="studio-chat-title">
        {t("studioChat")}
      </h2>
      {chat.pinned && (
        <div class="studio-pinned" data-testid="studio-pinned" data-message-id={chat.pinned.id}>
          <p class="studio-pinned-text">
            <span class="pinned-tag">{t("pinnedMessage")}</span>
            <strong>{chatName(chat.pinned.name)}</strong> {chat.pinned.text}
          </p>
          <button type="button" class="chip-button" data-testid="unpin-message" onClick={() => onModerate({ type: "pin_message", messageId: null })}>
            {t("unpinMessage")}
          </button>
        </div>
      )}
      <ol class="studio-chat" data-testid="chat-list" ref={list}>
        {messages.length === 0 && <li class="empty">{t("chatEmpty")}</li>}
        {messages.map((message) => {
          const pinned = chat.pinned?.id === message.id;
          // Only a viewer's messages: the rules never bind the people running the show.
          const author = message.role === "viewer" ? message.author : null;
          const restriction = author ? restricted.get(author) : undefined;
          return (
            <li key={message.id} class="studio-message" data-testid="chat-message" data-message-id={message.id} data-role={message.role}>
              <div class="studio-message-body">
                <p class="studio-message-meta">
                  <RoleBadge role={message.role} />
                  <span class="studio-message-name">{chatName(message.name)}</span>
                  <time class="muted small">{formatClock(message.at, lang.value)}</time>
                  {restriction && (
                    <span class="restricted-tag" data-testid="restricted-tag" data-kind={restriction.kind}>
                      {t(restriction.kind === "ban" ? "badgeBanned" : "badgeTimedOut")}
                    </span>
                  )}
                </p>
                <p class="studio-message-text">{message.text}</p>
                <div class="message-actions">
                  <button
                    type="button"
                    class="chip-button"
                    data-testid={pinned ? "unpin-message" : "pin-message"}
                    onClick={() => onModerate({ type: "pin_message", messageId: pinned ? null : message.id })}
                  >
                    {t(pinned ? "unpinMessage" : "pinMessage")}
                  </button>
                  {author && restriction && (
                    <button type="button" class="chip-button" data-testid="unban-viewer" onClick={() => onModerate({ type: "unban", viewerId: author })}>
                      {t("unbanViewer")}
                    </button>
                  )}
                  {author && !restriction && (
                    <>
                      <button type="button" class="chip-button" data-testid="timeout-viewer" onClick={() => onModerate({ type: "timeout", viewerId: author })}>
                        {t("timeoutViewer")}
                      </button>
                      <button type="button" class="chip-button chip-danger" data-testid="ban-viewer" onClick={() => onModerate({ type: "ban", viewerId: author })}>
                        {t("banViewer")}
                      </button>
                    </>
                  )}
                </div>
              </div>
              <button
                type="button"
                class="icon-button"
                data-testid="delete-message"
                aria-label={t("deleteMessage")}
                title={t("deleteMessage")}
                onClick={() => onModerate({ type: "delete", messageId: message.id })}
              >
                <TrashIcon size={18} />
              </button>
            </li>
          );
        })}
      </ol>
      {draft.notice && (
        <p class="studio-chat-notice" data-testid="chat-notice" role="status">
          {draft.notice}
        </p>
      )}
      <form class="studio-composer" onSubmit={submit}>
        <input
          data-testid="chat-input"
          aria-label={placeholder}
          placeholder={placeholder}
          autocomplete="off"
          aria-invalid={draft.over}
          value={draft.text}
          onInput={(event) => draft.edit(event.currentTarget.value)}
        />
        {draft.counter && (
          <span class="composer-count" data-testid="chat-count" data-over={draft.over}>
            {draft.counter}
          </span>
        )}
        <button type="submit" class="button button-primary" data-testid="chat-send" disabled={draft.blocked}>
          {t("send")}
        </button>
      </form>
    </section>
  );
}
