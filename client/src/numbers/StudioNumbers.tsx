/**
 * The studio's numbers: a compact live panel while the show runs (asked for
 * again every 2 s), and the one-screen summary the host sees when it ends,
 * with the way to the console's page of the show.
 */
import { consoleNumbersUrl } from "./numbers-link.ts";
import { useNumbers } from "./numbers-api.ts";
import { NumberTiles, NumbersChart, ProductTable } from "./Figures.tsx";
import { tNumbers as t } from "./i18n-numbers.ts";

const LIVE_EVERY_MS = 2_000;
/** Right after the end the last rows are still on their way; then the summary settles. */
const SUMMARY_EVERY_MS = 5_000;

/** `inSheet`: in the phone's live mode, in a sheet that has the title already. */
export function StudioNumbers({ roomId, hostKey, viewersNow, inSheet }: { roomId: string; hostKey: string | null; viewersNow: number; inSheet?: boolean }) {
  const { numbers } = useNumbers(roomId, hostKey, LIVE_EVERY_MS);
  if (!numbers) return null; // A nicety: the studio runs the show without it.
  return (
    <section class={inSheet ? "numbers-panel" : "card numbers-panel"} data-testid="studio-numbers" aria-label={t("numbersLive")}>
      {!inSheet && <h2 class="card-title">{t("numbersLive")}</h2>}
      <NumberTiles total={numbers.total} currency={numbers.currency} viewersNow={viewersNow} />
      <NumbersChart numbers={numbers} pick="viewers" label={t("viewersChart")} />
      <ProductTable numbers={numbers} />
      <p class="muted small">{t("numbersLag")}</p>
    </section>
  );
}

export function ShowSummary({ roomId, hostKey }: { roomId: string; hostKey: string | null }) {
  const { numbers } = useNumbers(roomId, hostKey, SUMMARY_EVERY_MS);
  if (!numbers) return null;
  const prelive = numbers.phases.find((p) => p.phase === "prelive");
  const top = [...numbers.products].sort((a, b) => b.revenueCents - a.revenueCents || b.cardViews - a.cardViews).slice(0, 3);
  return (
    <section class="card numbers-summary" data-testid="show-summary" aria-labelledby="show-summary-title">
      <h2 class="card-title" id="show-summary-title">
        {t("summaryTitle")}
      </h2>
      <p class="muted small">{numbers.title}</p>
      <NumberTiles total={numbers.total} currency={numbers.currency} />
      <p class="small" data-testid="summary-prelive">
        {t("phasePrelive")}: {t("visits")} {prelive?.visits ?? 0} · {t("rsvps")} {numbers.rsvps.active}
      </p>
      {top.length > 0 && (
        <ol class="summary-products" data-testid="summary-products">
          {top.map((p) => (
            <li key={p.productId}>
              {p.title} — {t("orders")} {p.orders} · {t("cardViews")} {p.cardViews}
            </li>
          ))}
        </ol>
      )}
      <a class="button button-primary" href={consoleNumbersUrl(roomId)} data-testid="summary-console-link">
        {t("summaryOpen")}
      </a>
    </section>
  );
}
