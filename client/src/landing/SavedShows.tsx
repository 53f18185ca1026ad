import { CloseIcon } from "../components/icons.tsx";
import { formatStartTime } from "../format.ts";
import { lang, tLanding as t } from "../i18n.ts";
import type { CreatedShow } from "./create-show.ts";

type SavedShowsProps = {
  shows: CreatedShow[];
  onShowLinks: (roomId: string) => void;
  onForget: (roomId: string) => void;
};

/** The shows made in this browser, so that starting another never loses a studio link. */
export function SavedShows({ shows, onShowLinks, onForget }: SavedShowsProps) {
  return (
    <section class="card saved-shows" aria-labelledby="saved-shows-title">
      <h2 class="card-title" id="saved-shows-title">
        {t("savedShows")}
      </h2>
      <ul class="saved-list">
        {shows.map(({ room, links }) => (
          <li key={room.id} class="saved-show" data-testid="saved-show">
            <div class="saved-show-text">
              <p class="saved-show-title">{room.title}</p>
              <p class="muted small">
                {room.startsAt ? `${room.shopName} · ${t("startsAtShown", { time: formatStartTime(room.startsAt, lang.value) })}` : room.shopName}
              </p>
            </div>
            <div class="saved-show-actions">
              <button type="button" class="button button-quiet copy-button" data-testid="saved-show-links" onClick={() => onShowLinks(room.id)}>
                {t("savedShowLinks")}
              </button>
              <a class="button button-primary copy-button" data-testid="saved-show-studio" href={links.host} target="_blank" rel="noopener noreferrer">
                {t("openStudio")}
              </a>
              <button
                type="button"
                class="icon-button"
                data-testid="saved-show-forget"
                aria-label={t("savedShowForget", { title: room.title })}
                title={t("savedShowForget", { title: room.title })}
                onClick={() => window.confirm(t("savedShowForgetConfirm", { title: room.title })) && onForget(room.id)}
              >
                <CloseIcon size={18} />
              </button>
            </div>
          </li>
        ))}
      </ul>
      <p class="card-note">{t("savedShowsNote")}</p>
    </section>
  );
}
