import { useEffect, useState } from "preact/hooks";
import { formatStartTime } from "../format.ts";
import { lang } from "../i18n.ts";
import { listShows, type Role, type Show } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { ShowActions, ShowFigures } from "./ShowsActions.tsx";
import { ShowsForm, type ShowFormMode } from "./ShowsForm.tsx";
import { ReplayLibrary } from "./ReplayLibrary.tsx";
import { ShowNumbersSection } from "./ShowNumbersSection.tsx";
import { ShowRsvps } from "./ShowRsvps.tsx";
import { problemText } from "./SignIn.tsx";
import { TeamShowHosts } from "./TeamShowHosts.tsx";
import "./team.css";

const GROUPS = [
  { status: "live", title: "showsLive" },
  { status: "scheduled", title: "showsUpcoming" },
  { status: "ended", title: "showsPast" },
] as const;

const STATUS_WORDS = { live: "statusLive", scheduled: "statusScheduled", ended: "statusEnded" } as const;

/**
 * A shop's shows, live now first, then upcoming, then past: title, date,
 * status and the viewer link; the studio (or, for a moderator, the chat's
 * moderation) opened with the account's session. An owner or manager also
 * creates a show from the catalogue, changes or cancels one before it
 * starts, duplicates a past one (ShowsForm, ShowsActions) and assigns each
 * show's hosts, and prints an upcoming show's poster for the shop window.
 */
export function ShopShows({ shopId, role, currency = "USD" }: { shopId: string; role: Role; currency?: string }) {
  const runs = role !== "moderator";
  const manage = role === "owner" || role === "manager";
  const assigns = manage;
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
                    {runs && <ShowRsvps shopId={shopId} show={show} manage={manage} />}
                    {manage && show.status === "ended" && !show.cancelled && <ReplayLibrary shopId={shopId} show={show} />}
                    {runs && show.status === "ended" && !show.cancelled && <ShowNumbersSection roomId={show.id} />}
                  </div>
                  {manage && <ShowActions shopId={shopId} show={show} onForm={setForm} onChanged={reload} />}
                  <div class="show-actions">
                    {show.status !== "ended" && (
                      <a
                        class="button button-primary copy-button"
                        href={`/${runs ? "studio" : "mod"}/${encodeURIComponent(show.id)}`}
                        data-testid={runs ? "console-show-studio" : "console-show-moderate"}
                      >
                        {t(runs ? "openStudio" : "openModeration")}
                      </a>
                    )}
                    <a class="button button-quiet copy-button" href={show.viewerLink} target="_blank" rel="noopener" data-testid="console-show-viewer">
                      {t("openViewer")}
                    </a>
                    {manage && show.status === "scheduled" && (
                      <a
                        class="button button-quiet copy-button"
                        href={`/console/poster/${encodeURIComponent(shopId)}/${encodeURIComponent(show.id)}`}
                        data-testid="console-show-poster"
                      >
                        {t("showPoster")}
                      </a>
                    )}
                  </div>
                  {assigns && <TeamShowHosts shopId={shopId} roomId={show.id} />}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <p class="card-note">{t("studioNoteTeam")}</p>
    </div>
  );
}
