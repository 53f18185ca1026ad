import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { LIMITS, type ChatMessage } from "../../../durable-objects/protocol.ts";
import { RoleBadge } from "../components/RoleBadge.tsx";
import { TrashIcon } from "../components/icons.tsx";
import { formatClock } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";

type StudioChatProps = {
  messages: ChatMessage[];
  onSend: (text: string) => boolean;
  onDelete: (messageId: string) => void;
};

/** The room's chat as the host moderates it: every message can be deleted, and the host can talk. */
export function StudioChat({ messages, onSend, onDelete }: StudioChatProps) {
  const [text, setText] = useState("");
  const list = useRef<HTMLOListElement>(null);

  useLayoutEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [messages.length]);

  function submit(event: Event) {
    event.preventDefault();
    if (onSend(text)) setText("");
  }

  return (
    <section class="card chat-card" aria-labelledby="studio-chat-title">
      <h2 class="card-title" id="studio-chat-title">
        {t("studioChat")}
      </h2>
      <ol class="studio-chat" data-testid="chat-list" ref={list}>
        {messages.length === 0 && <li class="empty">{t("chatEmpty")}</li>}
        {messages.map((message) => (
          <li key={message.id} class="studio-message" data-testid="chat-message" data-message-id={message.id} data-role={message.role}>
            <div class="studio-message-body">
              <p class="studio-message-meta">
                <RoleBadge role={message.role} />
                <span class="studio-message-name">{message.name || t("anonymous")}</span>
                <time class="muted small">{formatClock(message.at, lang.value)}</time>
              </p>
              <p class="studio-message-text">{message.text}</p>
            </div>
            <button
              type="button"
              class="icon-button"
              data-testid="delete-message"
              aria-label={t("deleteMessage")}
              title={t("deleteMessage")}
              onClick={() => onDelete(message.id)}
            >
              <TrashIcon size={18} />
            </button>
          </li>
        ))}
      </ol>
      <form class="studio-composer" onSubmit={submit}>
        <input
          data-testid="chat-input"
          aria-label={t("hostChatPlaceholder")}
          placeholder={t("hostChatPlaceholder")}
          maxLength={LIMITS.chatText}
          autocomplete="off"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit" class="button button-primary" data-testid="chat-send">
          {t("send")}
        </button>
      </form>
    </section>
  );
}
