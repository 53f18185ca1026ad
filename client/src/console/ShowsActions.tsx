/**
 * What the shop's owner or manager does with a show in the list: change or
 * cancel it until it goes live, duplicate a past one; and, for a past show,
 * what it sold.
 */
import { useState } from "preact/hooks";
import { ApiError } from "../api.ts";
import { formatPrice } from "../format.ts";
import { errorText, lang } from "../i18n.ts";
import type { Show } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { cancelShow, getShow, type ShowFormMode } from "./ShowsForm.tsx";

export function ShowActions({ shopId, show, onForm, onChanged }: { shopId: string; show: Show; onForm: (mode: ShowFormMode) => void; onChanged: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const attempt = async (work: () => Promise<void>) => {
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(error instanceof ApiError ? errorText(error.code, error.message) : String(error));
    }
  };
  const edit = () => attempt(async () => onForm({ kind: "edit", show: await getShow(shopId, show.id) }));
  const duplicate = () => attempt(async () => onForm({ kind: "create", from: await getShow(shopId, show.id) }));
  const cancel = () =>
    attempt(async () => {
      if (!confirm(t("showCancelConfirm", { title: show.title }))) return;
      await cancelShow(shopId, show.id);
      onChanged();
    });
  return (
    <div class="row-actions">
      {show.status === "scheduled" && (
        <>
          <button type="button" class="button button-quiet" data-testid="show-edit" onClick={() => void edit()}>
            {t("edit")}
          </button>
          <button type="button" class="button button-quiet" data-testid="show-cancel" onClick={() => void cancel()}>
            {t("showCancel")}
          </button>
        </>
      )}
      {show.status === "ended" && (
        <button type="button" class="button button-quiet" data-testid="show-duplicate" onClick={() => void duplicate()}>
          {t("showDuplicate")}
        </button>
      )}
      {problem && (
        <p class="console-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** A past show's orders and revenue (a cancelled one says so instead). */
/** "1 h 05 min", "12 min" (a show shorter than a minute counts as one). */
function showDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? t("showDurationHours", { h, m: String(m).padStart(2, "0") }) : t("showDurationMinutes", { m });
}

export function ShowFigures({ show, currency }: { show: Show; currency: string }) {
  if (show.cancelled) return <span class="tag" data-testid="show-cancelled">{t("showCancelled")}</span>;
  return (
    <span class="muted small" data-testid="show-figures">
      {show.liveAt !== null && show.endedAt !== null && `${showDuration(show.endedAt - show.liveAt)} · `}
      {t(show.orders === 1 ? "showFiguresOne" : "showFigures", { orders: show.orders, revenue: formatPrice(show.revenueCents, currency, lang.value) })}
    </span>
  );
}
