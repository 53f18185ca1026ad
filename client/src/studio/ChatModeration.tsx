import { useEffect, useState } from "preact/hooks";
import { LIMITS, type ChatState, type ModerationFrame, type ModerationState } from "../../../durable-objects/protocol.ts";
import { chatName } from "../components/chat-name.ts";
import { formatClock } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";

/** The paces the studio offers; the API may set any other (it is then listed too). */
const SLOW_MODES = [0, 5, 10, 30, 60];

type ChatModerationProps = {
  chat: ChatState;
  moderation: ModerationState;
  onModerate: (frame: ModerationFrame) => void;
};

/** The chat's rules: slow mode, the blocked words, and who is kept out of the chat now. */
export function ChatModeration({ chat, moderation, onModerate }: ChatModerationProps) {
  const paces = SLOW_MODES.includes(chat.slowModeSeconds) ? SLOW_MODES : [...SLOW_MODES, chat.slowModeSeconds].sort((a, b) => a - b);
  return (
    <section class="card moderation-card" aria-labelledby="moderation-title">
      <div class="card-head">
        <h2 class="card-title" id="moderation-title">
          {t("moderationTitle")}
        </h2>
        <label class="slow-mode">
          <span class="field-label">{t("slowMode")}</span>
          <select
            data-testid="slow-mode"
            value={String(chat.slowModeSeconds)}
            onChange={(event) => onModerate({ type: "slow_mode", seconds: Number(event.currentTarget.value) })}
          >
            {paces.map((seconds) => (
              <option key={seconds} value={String(seconds)}>
                {seconds === 0 ? t("slowModeOff") : t("slowModeSeconds", { seconds })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <BlockedWords words={moderation.blockedWords} onSave={(words) => onModerate({ type: "blocked_words", words })} />
      <KeptOut moderation={moderation} onUnban={(viewerId) => onModerate({ type: "unban", viewerId })} />
    </section>
  );
}

/** Words as the host types them: separated by commas (either kind), 、 or line breaks. */
const parseWords = (text: string) =>
  text
    .split(/[,，、\n]/)
    .map((word) => word.trim())
    .filter(Boolean);

function BlockedWords({ words, onSave }: { words: string[]; onSave: (words: string[]) => void }) {
  const saved = words.join(", ");
  const [draft, setDraft] = useState(saved);
  const [error, setError] = useState<string | null>(null);
  // Another moderator (or the API) changed the list: show the room's.
  useEffect(() => setDraft(saved), [saved]);

  function submit(event: Event) {
    event.preventDefault();
    const list = parseWords(draft);
    if (list.length > LIMITS.blockedWords || list.some((word) => word.length > LIMITS.blockedWordLength)) {
      setError(t("errBlockedWords", { max: LIMITS.blockedWords, length: LIMITS.blockedWordLength }));
      return;
    }
    setError(null);
    onSave(list);
  }

  return (
    <details class="moderation-part" data-testid="blocked-words">
      <summary>{t("blockedWords", { count: words.length })}</summary>
      <form class="blocked-words" onSubmit={submit}>
        <p class="card-note">{t("blockedWordsNote")}</p>
        <div class="studio-composer">
          <input
            data-testid="blocked-words-input"
            aria-label={t("blockedWords", { count: words.length })}
            placeholder={t("blockedWordsPlaceholder")}
            autocomplete="off"
            value={draft}
            onInput={(event) => setDraft(event.currentTarget.value)}
          />
          <button type="submit" class="button button-quiet" data-testid="blocked-words-save" disabled={parseWords(draft).join(", ") === saved}>
            {t("saveWords")}
          </button>
        </div>
        {error && (
          <p class="inline-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}

function KeptOut({ moderation, onUnban }: { moderation: ModerationState; onUnban: (viewerId: string) => void }) {
  const { restricted } = moderation;
  return (
    <details class="moderation-part" data-testid="kept-out" open={restricted.length > 0}>
      <summary>{t("restrictedTitle", { count: restricted.length })}</summary>
      {restricted.length === 0 ? (
        <p class="card-note">{t("restrictedEmpty")}</p>
      ) : (
        <ul class="kept-out">
          {restricted.map(({ viewerId, name, restriction }) => (
            <li key={viewerId} class="kept-out-entry" data-testid="kept-out-entry" data-viewer-id={viewerId} data-kind={restriction.kind}>
              <span class="kept-out-who">
                <strong>{chatName(name)}</strong>{" "}
                <span class="muted small">
                  {restriction.until === null ? t("restrictedBanned") : t("restrictedUntil", { time: formatClock(restriction.until, lang.value) })}
                </span>
              </span>
              <button type="button" class="chip-button" data-testid="kept-out-unban" onClick={() => onUnban(viewerId)}>
                {t("unbanViewer")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
