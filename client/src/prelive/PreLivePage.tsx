/**
 * The show's page before it starts (the viewer link of a scheduled show):
 * its cover or trailer, title, start in the viewer's own zone and language,
 * a countdown on the room's clock, what the show is about, who hosts it,
 * and its products to browse. Loaded on demand (viewer/prelive-loader.tsx):
 * a live show's viewers never download it. When the host goes live the
 * room says so and the viewer page renders the stage in its place.
 */
import type { ComponentChild } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { RoomProduct, RoomState } from "../../../durable-objects/protocol.ts";
import { EyeIcon } from "../components/icons.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { formatCount, formatPrice } from "../format.ts";
import { lang } from "../i18n.ts";
import { useServerNow } from "../server-clock.ts";
import { countdownParts, startPhase } from "../show-start.ts";
import { tPreLive as t } from "./i18n-prelive.ts";
import { ProductDetails } from "./ProductDetails.tsx";
import type { RemindProps } from "./RemindButton.tsx";
import { fetchShowPage, type ShowPage } from "./show-page.ts";
import "./prelive.css";

/** What a "Remind me" button is given (RemindButton.tsx, mounted by the viewer page: it is already in the page's script). */
export type RemindTarget = RemindProps;

export type PreLivePageProps = {
  roomId: string;
  /** The room's live state: its title, start and status are the truth. */
  room: RoomState;
  /** The page's language switch, from the viewer page (imported here, it would split the viewer page's own script in two). */
  langSwitch: ComponentChild;
  /** Slot: renders a "Remind me" button for the show, and for each product. */
  remind?: (target: RemindTarget) => ComponentChild;
};

export function PreLivePage({ roomId, room, langSwitch, remind }: PreLivePageProps) {
  const [page, setPage] = useState<ShowPage | null>(null);
  const [open, setOpen] = useState<RoomProduct | null>(null);

  // The page's words about the show, once: a change of title or start arrives from the room itself.
  useEffect(() => {
    fetchShowPage(roomId).then(setPage, (error: unknown) => console.warn("The show's details could not be fetched.", error));
  }, [roomId]);

  const target = room.startsAt ? { roomId, title: room.title, startsAt: room.startsAt } : null;
  return (
    <main class="prelive" data-testid="prelive">
      <section class="prelive-hero" data-testid="stage" data-state="scheduled">
        <HeroMedia page={page} title={room.title} />
        <div class="prelive-hero-shade" aria-hidden="true" />
        <header class="prelive-top">
          <span class="shop-avatar" aria-hidden="true">{initialOf(room.shopName)}</span>
          <p class="prelive-shop">{room.shopName}</p>
          <span class="prelive-badge">{t("scheduledBadge")}</span>
          <span class="chip prelive-waiting" data-testid="viewer-count" role="img" aria-label={t("waiting", { count: room.viewers })}>
            <EyeIcon size={14} />
            {formatCount(room.viewers, lang.value)}
          </span>
          {langSwitch}
        </header>
        <div class="prelive-hero-text">
          <h1 class="prelive-title" data-testid="show-title">{room.title}</h1>
          {room.startsAt && (
            <p class="prelive-when" data-testid="prelive-starts-at">
              <time dateTime={room.startsAt}>{formatStart(room.startsAt, lang.value)}</time>
            </p>
          )}
        </div>
      </section>

      <div class="prelive-body">
        <section class="prelive-card prelive-start">
          {room.startsAt ? <StartCountdown startsAt={room.startsAt} /> : null}
          {/* Slot: the show's "Remind me" (RemindButton), mounted by the page that renders this one. */}
          {remind && target && <div class="prelive-remind" data-slot="remind">{remind(target)}</div>}
          <p class="prelive-note">{t("turnsLive")}</p>
        </section>

        {page && page.hosts.length > 0 && (
          <section class="prelive-card prelive-hosts" data-testid="prelive-hosts">
            <h2 class="prelive-heading">{t("hostedBy")}</h2>
            <ul class="prelive-host-list">
              {page.hosts.map((host, n) => (
                <li key={n} class="prelive-host" data-testid="prelive-host">
                  {host.photoUrl ? (
                    <img class="prelive-host-photo" src={host.photoUrl} alt="" width={48} height={48} />
                  ) : (
                    <span class="prelive-host-photo prelive-host-initial" aria-hidden="true">{initialOf(host.name)}</span>
                  )}
                  <span class="prelive-host-name">{host.name}</span>
                </li>
              ))}
            </ul>
          </section>
        )}

        {page?.description && (
          <section class="prelive-card">
            <h2 class="prelive-heading">{t("aboutShow")}</h2>
            {/* Text, never markup: line breaks are kept by CSS. */}
            <p class="prelive-description" data-testid="prelive-description">{page.description}</p>
          </section>
        )}

        <section class="prelive-card prelive-products">
          <h2 class="prelive-heading">
            {t("productsTitle")}
            {room.products.length > 0 && <span class="prelive-count">{t("productsCount", { count: room.products.length })}</span>}
          </h2>
          {room.products.length === 0 ? (
            <p class="prelive-note">{t("productsEmpty")}</p>
          ) : (
            <ul class="prelive-product-grid" data-testid="prelive-products">
              {room.products.map((product) => (
                <li key={product.id}>
                  <button
                    type="button"
                    class="prelive-product"
                    data-testid="prelive-product"
                    data-product-id={product.id}
                    aria-label={t("viewProduct", { title: product.title })}
                    onClick={() => setOpen(product)}
                  >
                    <ProductImage url={product.photos?.[0]?.url ?? product.imageUrl} title={product.title} />
                    <span class="prelive-product-title">{product.title}</span>
                    <span class="prelive-product-meta">
                      <span class="price">{formatPrice(lowestPrice(product), product.currency, lang.value)}</span>
                      {product.variants && product.variants.length > 1 && <span class="muted">{t("optionsCount", { count: product.variants.length })}</span>}
                    </span>
                  </button>
                  {/* Slot: this product's "Remind me" ("tell me when this is on"). */}
                  {remind && target && (
                    <div class="prelive-remind" data-slot="remind-product">
                      {remind({ ...target, productId: product.id, productTitle: product.title })}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {open && (
        <ProductDetails
          // The live figures: units left change while the sheet is open.
          product={room.products.find((product) => product.id === open.id) ?? open}
          remind={remind && target ? () => remind({ ...target, productId: open.id, productTitle: open.title }) : undefined}
          onClose={() => setOpen(null)}
        />
      )}
    </main>
  );
}

/** The trailer (muted, looping, inline, the cover as its poster), else the cover, else the shop's colours. */
function HeroMedia({ page, title }: { page: ShowPage | null; title: string }) {
  if (page?.trailerUrl) {
    return (
      <video
        class="prelive-media"
        data-testid="prelive-trailer"
        src={page.trailerUrl}
        poster={page.coverImageUrl ?? undefined}
        aria-label={t("trailerLabel", { title })}
        // Muted first, so that every browser lets it play without a tap.
        muted
        autoplay
        loop
        playsInline
        preload="auto"
        ref={(video) => {
          if (video && !video.muted) video.muted = true;
        }}
      />
    );
  }
  if (page?.coverImageUrl) {
    return <img class="prelive-media" data-testid="prelive-cover" src={page.coverImageUrl} alt={t("coverLabel", { title })} referrerpolicy="no-referrer" />;
  }
  return <div class="prelive-media prelive-media-empty" aria-hidden="true" />;
}

function StartCountdown({ startsAt }: { startsAt: string }) {
  const start = Date.parse(startsAt);
  // The room's clock, not this device's: a phone set ten minutes wrong still counts to the real start.
  const now = useServerNow();
  if (Number.isNaN(start)) return null;
  const phase = startPhase(start, now);
  if (phase === "late") {
    return (
      <div class="prelive-on-the-way" data-testid="host-on-the-way" role="status">
        <span class="spinner" aria-hidden="true" />
        <p class="prelive-on-the-way-title">{t("hostOnTheWay")}</p>
        <p class="prelive-note">{t("hostOnTheWayNote")}</p>
      </div>
    );
  }
  if (phase === "starting") {
    return (
      <p class="prelive-starting" data-testid="prelive-starting" role="status">
        {t("startingNow")}
      </p>
    );
  }
  const { days, hours, minutes, seconds } = countdownParts(start - now);
  const units = [
    ...(days > 0 ? [[days, "countdownDays"] as const] : []),
    [hours, "countdownHours"] as const,
    [minutes, "countdownMinutes"] as const,
    [seconds, "countdownSeconds"] as const,
  ];
  return (
    <div class="prelive-countdown-wrap">
      <p class="prelive-label">{t("startsIn")}</p>
      <p class="prelive-countdown" data-testid="prelive-countdown" data-remaining-ms={start - now} role="timer">
        {units.map(([value, unit]) => (
          <span key={unit} class="prelive-countdown-unit">
            <span class="prelive-countdown-value">{String(value).padStart(2, "0")}</span>
            <span class="prelive-countdown-name">{t(unit)}</span>
          </span>
        ))}
      </p>
    </div>
  );
}

const initialOf = (name: string) => Array.from(name.trim())[0]?.toUpperCase() ?? "";

/** "From" the cheapest variant: a card shows one price. */
const lowestPrice = (product: RoomProduct) => Math.min(product.priceCents, ...(product.variants ?? []).map((variant) => variant.priceCents));

/** "Tuesday, December 1 at 8:00 PM" / "12月1日星期二 20:00", in the viewer's own time zone. */
const formatStart = (iso: string, lang: string) =>
  new Intl.DateTimeFormat(lang, { weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" }).format(new Date(iso));
