import { useEffect, useState } from "preact/hooks";
import { formatStartTime } from "../format.ts";
import { lang } from "../i18n.ts";
import { listShows, type Show } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { ShowActions, ShowFigures } from "./ShowsActions.tsx";
import { ShowsForm, type ShowFormMode } from "./ShowsForm.tsx";
import { problemText } from "./SignIn.tsx";

const GROUPS = [
  { status: "live", title: "showsLive" },
  { status: "scheduled", title: "showsUpcoming" },
  { status: "ended", title: "showsPast" },
] as const;

const STATUS_WORDS = { live: "statusLive", scheduled: "statusScheduled", ended: "statusEnded" } as const;

/**
 * A shop's shows, live now first, then upcoming, then past: title, date,
 * status and the viewer link. An owner or manager (`manage`) also creates a
 * show from the catalogue, changes or cancels one before it starts, and
 * duplicates a past one (ShowsForm, ShowsActions).
 */
export function ShopShows({ shopId, currency = "USD", manage = false }: { shopId: string; currency?: string; manage?: boolean }) {
  const [shows, setShows] = useState<Show[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<ShowFormMode | null>(null);
  const [loads, setLoads] = useState(0);
  const reload = () => setLoads(loads + 1);

  useEffect(() => {
    listShows(shopId).then(setShows, (caught) => setError(problemText(caught)));
  }, [shopId, loads]);

  const toolbar =
    manage &&
    (form ? (
      <ShowsForm shopId={shopId} mode={form} onClose={() => setForm(null)} onDone={() => (setForm(null), reload())} />
    ) : (
      <button type="button" class="button" data-testid="show-new" onClick={() => setForm({ kind: "create" })}>
        {t("showNew")}
      </button>
    ));
  if (error) return <p class="console-error">{error}</p>;
  if (!shows) return <p class="muted small">{t("loading")}</p>;
  if (shows.length === 0) {
    return (
      <div class="shows">
        {toolbar}
        <p class="muted small" data-testid="no-shows">
          {t("noShows")}
        </p>
      </div>
    );
  }
  return (
    <div class="shows">
      {toolbar}
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
                    {manage && show.status === "ended" && <ShowFigures show={show} currency={currency} />}
                  </div>
                  {manage && <ShowActions shopId={shopId} show={show} onForm={setForm} onChanged={reload} />}
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
