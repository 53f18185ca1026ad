/**
 * The console's page of a past show's numbers: the summary, charts of
 * viewers, orders and revenue over time, the tables (per product, per
 * referral code, by phase) and every table as CSV.
 */
import { NUMBER_TABLES, type NumberTable } from "../../../worker/numbers/figure-types.ts";
import { numbersPath, useNumbers } from "./numbers-api.ts";
import { NumberTiles, NumbersChart, PhaseTable, ProductTable, ReferralTable } from "./Figures.tsx";
import { tNumbers as t } from "./i18n-numbers.ts";

const TABLE_WORDS: Record<NumberTable, Parameters<typeof t>[0]> = { minutes: "csvMinutes", products: "csvProducts", referrals: "csvReferrals", phases: "csvPhases" };

export function ShowNumbers({ roomId }: { roomId: string }) {
  const { numbers, error } = useNumbers(roomId, null, null);
  if (error) return <p class="console-error">{t("numbersFailed", { message: error })}</p>;
  if (!numbers) return <p class="muted small">{t("numbersLoading")}</p>;
  return (
    <section class="numbers-page" data-testid="show-numbers" aria-label={t("numbersTitle")}>
      <NumberTiles total={numbers.total} currency={numbers.currency} />
      {numbers.minutes.length === 0 ? (
        <p class="muted small">{t("noneYet")}</p>
      ) : (
        <div class="numbers-charts">
          <NumbersChart numbers={numbers} pick="viewers" label={t("viewersChart")} />
          <NumbersChart numbers={numbers} pick="orders" label={t("ordersChart")} />
          <NumbersChart numbers={numbers} pick="revenue" label={t("revenueChart")} />
        </div>
      )}
      <PhaseTable numbers={numbers} />
      <ProductTable numbers={numbers} />
      <ReferralTable numbers={numbers} />
      <p class="numbers-csv">
        {NUMBER_TABLES.map((table) => (
          <a key={table} class="button button-quiet copy-button" href={`${numbersPath(roomId)}.csv?table=${table}`} download data-testid={`numbers-csv-${table}`}>
            {t("csv", { table: t(TABLE_WORDS[table]) })}
          </a>
        ))}
      </p>
    </section>
  );
}
