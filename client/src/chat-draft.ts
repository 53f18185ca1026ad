/**
 * The line being typed in a chat box, which is never lost: it leaves the box
 * only once the room has taken it. Refused (too fast, slow mode, a blocked
 * word, the connection gone), it stays, with one notice saying why and, when
 * the room gave a time, a countdown until it can go; the box counts
 * characters as the limit nears and says by how much a paste is over it.
 */
import { useEffect, useState } from "preact/hooks";
import { LIMITS } from "../../durable-objects/protocol.ts";
import { errorText, t } from "./i18n.ts";
import type { ChatReply } from "./room-model.ts";

/** From this many characters on, the box shows the count. */
const COUNT_FROM = Math.floor(LIMITS.chatText * 0.8);

type Refused = Extract<ChatReply, { ok: false }> & { until: number };

export type ChatDraft = ReturnType<typeof useChatDraft>;

/** Renders again when the seconds digit of `leftMs` (a wait, counting down) next changes, and once more at zero. */
export function useSecondsLeft(leftMs: number): void {
  const [, tick] = useState(0);
  useEffect(() => {
    if (leftMs <= 0) return;
    const timer = setTimeout(() => tick((n) => n + 1), leftMs % 1000 || 1000);
    return () => clearTimeout(timer);
  });
}

export function useChatDraft(send: (text: string, name?: string) => Promise<ChatReply> | null) {
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [refused, setRefused] = useState<Refused | null>(null);

  const waitMs = refused ? refused.until - Date.now() : 0;
  useSecondsLeft(waitMs);

  const length = text.trim().length;
  const overBy = length - LIMITS.chatText;

  let notice: string | null = null;
  if (overBy > 0) notice = t("chatTooLong", { count: overBy });
  else if (refused && waitMs > 0) notice = t("chatWait", { seconds: Math.ceil(waitMs / 1000) });
  else if (refused && !refused.until) notice = `${errorText(refused.code, refused.message)} ${t("chatKept")}`;

  return {
    text,
    sending,
    notice,
    /** "231/280" once the limit is near; null before. */
    counter: length >= COUNT_FROM ? `${length}/${LIMITS.chatText}` : null,
    over: overBy > 0,
    /** Sending now would be refused at once: too long, or still waiting. */
    blocked: overBy > 0 || waitMs > 0,
    edit(value: string) {
      setText(value);
      // A refusal without a wait (a blocked word) is answered by editing the line.
      if (refused && !refused.until) setRefused(null);
    },
    submit(name?: string) {
      if (sending || overBy > 0 || waitMs > 0) return;
      const line = text;
      const reply = send(line, name);
      if (!reply) return;
      setSending(true);
      setRefused(null);
      void reply.then((answer) => {
        setSending(false);
        // Only the line that went: what was typed since stays.
        if (answer.ok) setText((current) => (current === line ? "" : current));
        else setRefused({ ...answer, until: answer.retryAfterMs ? Date.now() + answer.retryAfterMs : 0 });
      });
    },
  };
}
