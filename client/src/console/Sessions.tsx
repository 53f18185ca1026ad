import { useEffect, useState } from "preact/hooks";
import { formatStartTime } from "../format.ts";
import { lang } from "../i18n.ts";
import { listSessions, revokeSession, type SessionInfo } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { deviceName } from "./passkeys.ts";
import { problemText } from "./SignIn.tsx";

/** "Chrome on Mac": enough to tell one's browsers apart. */
function browserName(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "";
  const device = deviceName(userAgent);
  return browser ? `${browser} · ${device}` : device;
}

/** The account's signed-in browsers, with "Sign out" for each but this one (the page's own Sign out does this one). */
export function Sessions() {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => listSessions().then(setSessions, (caught) => setError(problemText(caught)));
  useEffect(() => void refresh(), []);

  async function revoke(session: SessionInfo) {
    if (!window.confirm(t("revokeConfirm"))) return;
    try {
      await revokeSession(session.id);
      await refresh();
    } catch (caught) {
      setError(problemText(caught));
    }
  }

  return (
    <section class="card console-card" aria-labelledby="sessions-title">
      <h2 class="card-title" id="sessions-title">
        {t("sessionsTitle")}
      </h2>
      {error && <p class="console-error">{error}</p>}
      <ul class="plain-list">
        {(sessions ?? []).map((session) => (
          <li key={session.id} class="plain-row" data-testid="session" data-current={session.current}>
            <div>
              <p class="plain-row-title">
                {browserName(session.userAgent)}
                {session.current && <span class="tag">{t("thisBrowser")}</span>}
              </p>
              <p class="muted small">{t("lastSeen", { date: formatStartTime(new Date(session.lastSeenAt).toISOString(), lang.value) })}</p>
            </div>
            {!session.current && (
              <button type="button" class="button button-quiet copy-button" data-testid="revoke-session" onClick={() => revoke(session)}>
                {t("revoke")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
