import { useEffect, useState } from "preact/hooks";
import { formatStartTime } from "../format.ts";
import { lang } from "../i18n.ts";
import { listShows, type Show } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { problemText } from "./SignIn.tsx";

const GROUPS = [
  { status: "live", title: "showsLive" },
  { status: "scheduled", title: "showsUpcoming" },
  { status: "ended", title: "showsPast" },
] as const;

const STATUS_WORDS = { live: "statusLive", scheduled: "statusScheduled", ended: "statusEnded" } as const;

/** A shop's shows, live now first, then upcoming, then past: title, date, status and the viewer link. */
export function ShopShows({ shopId }: { shopId: string }) {
  const [shows, setShows] = useState<Show[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listShows(shopId).then(setShows, (caught) => setError(problemText(caught)));
  }, [shopId]);

  if (error) return <p class="console-error">{error}</p>;
  if (!shows) return <p class="muted small">{t("loading")}</p>;
  if (shows.length === 0) return <p class="muted small" data-testid="no-shows">{t("noShows")}</p>;
  return (
    <div class="shows">
      {GROUPS.map(({ status, title }) => {
        const group = shows.filter((show) => show.status === status);
        if (group.length === 0) return null;
        return (
          <section key={status} class="show-group" data-testid={`shows-${status}`}>
            <h3 class="link-label">{t(title)}</h3>
            <ul class="show-list">
              {group.map((show) => (
                <li key={show.id} class="show-row" data-testid="console-show">
                  <div class="show-row-text">
                    <p class="show-title">
                      <span class="show-status" data-state={show.status}>
                        {t(STATUS_WORDS[show.status])}
                      </span>{" "}
                      <span data-testid="console-show-title">{show.title}</span>
                    </p>
                    <p class="muted small">
                      {show.startsAt
                        ? t("showStarts", { time: formatStartTime(show.startsAt, lang.value) })
                        : t("showCreated", { time: formatStartTime(new Date(show.createdAt).toISOString(), lang.value) })}
                    </p>
                  </div>
                  <a class="button button-quiet copy-button" href={show.viewerLink} target="_blank" rel="noopener" data-testid="console-show-viewer">
                    {t("openViewer")}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <p class="card-note">{t("studioNote")}</p>
    </div>
  );
}
