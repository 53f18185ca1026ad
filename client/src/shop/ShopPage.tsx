/**
 * The shop's page (/s/{slug}), phone first: the show live now on top (a link
 * to it), the upcoming shows with their start in the visitor's zone and
 * language and a countdown on the server's clock, then the library of past
 * shows: each replay's thumbnail, title, date, length and the products it
 * showed, linking to the replay. It asks again every 30 s, so a show that goes live
 * moves to the top by itself.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { siteUrl } from "../origin.ts";
import { TopBar } from "../components/TopBar.tsx";
import { countdown, formatDuration, formatStartTime } from "../format.ts";
import { errorText, lang } from "../i18n.ts";
import { tShop as t } from "./i18n-shop.ts";

export type PublicShow = {
  id: string;
  title: string;
  status: "scheduled" | "live" | "ended";
  startsAt: string | null;
  description: string | null;
  imageUrl: string | null;
  viewerLink: string;
  /** Past shows: the replay as the library lists it. */
  replay?: { liveAt: number | null; durationMs: number; thumbnailUrl: string | null; products: Array<{ id: string; title: string }> };
};

export type ShopPageData = {
  shop: { id: string; name: string; slug: string; url: string };
  now: number;
  live: PublicShow[];
  upcoming: PublicShow[];
  past: PublicShow[];
};

const REFRESH_MS = 30_000;

/** `remind`: what each upcoming show offers besides its link (the "Remind me" button, when it lands). */
export function ShopPage({ slug, remind }: { slug: string; remind?: (show: PublicShow) => ComponentChildren }) {
  const [data, setData] = useState<ShopPageData | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The server's clock minus this device's, from the last answer.
  const [skew, setSkew] = useState(0);
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const sent = Date.now();
        const next = await api<ShopPageData>(`/api/shops/by-slug/${encodeURIComponent(slug)}`);
        if (stopped) return;
        setSkew(next.now - (sent + Date.now()) / 2);
        setData(next);
        setProblem(null);
      } catch (error) {
        if (!stopped) setProblem(error instanceof ApiError ? errorText(error.code, error.message) : String(error));
      }
    };
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [slug, loads]);

  useEffect(() => {
    if (data) document.title = `${data.shop.name} · shop-along`;
  }, [data]);

  return (
    <>
      <TopBar />
      <main class="shop-page" data-testid="shop-page">
        {!data && !problem && <p class="muted">{t("loading")}</p>}
        {problem && !data && (
          <div class="card shop-problem" role="alert">
            <p>{t("loadFailed", { message: problem })}</p>
            <button type="button" class="button" onClick={() => setLoads(loads + 1)}>
              {t("retry")}
            </button>
          </div>
        )}
        {data && <ShopShows data={data} skew={skew} remind={remind} />}
      </main>
    </>
  );
}

function ShopShows({ data, skew, remind }: { data: ShopPageData; skew: number; remind?: (show: PublicShow) => ComponentChildren }) {
  const nothing = data.live.length + data.upcoming.length + data.past.length === 0;
  return (
    <>
      <header class="shop-head">
        <h1 class="shop-name" data-testid="shop-name">
          {data.shop.name}
        </h1>
        <p class="muted">{t("shopShows", { shop: data.shop.name })}</p>
      </header>
      {nothing && (
        <p class="card muted" data-testid="shop-no-shows">
          {t("noShows")}
        </p>
      )}
      {data.live.map((show) => (
        <a key={show.id} class="shop-live" href={show.viewerLink} data-testid="shop-live-show">
          <ShowImage show={show} />
          <div class="shop-live-text">
            <span class="shop-live-badge">{t("liveNow")}</span>
            <h2 class="shop-live-title">{show.title}</h2>
            <span class="button button-primary">{t("watchNow")}</span>
          </div>
        </a>
      ))}
      {data.upcoming.length > 0 && (
        <section class="shop-section" aria-labelledby="shop-upcoming">
          <h2 class="shop-section-title" id="shop-upcoming">
            {t("upcoming")}
          </h2>
          <ul class="shop-grid">
            {data.upcoming.map((show) => (
              <li key={show.id} class="shop-show" data-testid="shop-upcoming-show">
                <a class="shop-show-link" href={show.viewerLink}>
                  <ShowImage show={show} />
                  <h3 class="shop-show-title" data-testid="shop-show-title">
                    {show.title}
                  </h3>
                </a>
                <p class="shop-show-time" data-testid="shop-show-time">
                  {show.startsAt ? formatStartTime(show.startsAt, lang.value) : t("noStart")}
                </p>
                {show.startsAt && <Countdown startsAt={show.startsAt} skew={skew} />}
                {/* Remind me (issue 10, item 2): the lead mounts RemindButton({ roomId, title, startsAt }) here through `remind`. */}
                {remind && <div class="shop-show-remind">{remind(show)}</div>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {data.past.length > 0 && (
        <section class="shop-section" aria-labelledby="shop-past">
          <h2 class="shop-section-title" id="shop-past">
            {t("past")}
          </h2>
          <ul class="shop-grid shop-grid-past">
            {data.past.map((show) => (
              <li key={show.id} class="shop-show shop-show-past" data-testid="shop-past-show">
                <a class="shop-show-link" href={show.viewerLink} aria-label={t("watchReplay", { title: show.title })}>
                  <span class="shop-replay-frame">
                    <ShowImage show={{ ...show, imageUrl: show.replay?.thumbnailUrl ?? show.imageUrl }} />
                    {!!show.replay?.durationMs && (
                      <span class="shop-replay-length" data-testid="shop-replay-length">
                        {formatDuration(show.replay.durationMs)}
                      </span>
                    )}
                  </span>
                  <h3 class="shop-show-title">{show.title}</h3>
                </a>
                <p class="muted small">
                  {show.replay?.liveAt
                    ? formatStartTime(new Date(show.replay.liveAt).toISOString(), lang.value)
                    : show.startsAt
                      ? `${t("ended")} · ${formatStartTime(show.startsAt, lang.value)}`
                      : t("ended")}
                </p>
                {!!show.replay?.products.length && (
                  <p class="small shop-replay-products" data-testid="shop-replay-products">
                    {show.replay.products.map((p) => p.title).join(" · ")}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function ShowImage({ show }: { show: PublicShow }) {
  const [broken, setBroken] = useState(false);
  if (!show.imageUrl || broken) {
    return (
      <span class="shop-show-image shop-show-image-empty" aria-hidden="true">
        {Array.from(show.title.trim())[0]?.toUpperCase() ?? "?"}
      </span>
    );
  }
  return <img class="shop-show-image" src={siteUrl(show.imageUrl)} alt="" loading="lazy" referrerpolicy="no-referrer" onError={() => setBroken(true)} />;
}

function Countdown({ startsAt, skew }: { startsAt: string; skew: number }) {
  const [now, setNow] = useState(() => Date.now() + skew);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + skew), 1000);
    return () => clearInterval(timer);
  }, [skew]);
  const left = Date.parse(startsAt) - now;
  const { days, clock } = countdown(left);
  return (
    <p class="shop-countdown" data-testid="shop-countdown" role="timer">
      {left <= 0 ? t("startingNow") : days > 0 ? t("startsInDays", { days, clock }) : t("startsIn", { clock })}
    </p>
  );
}
