/**
 * The shop's referral codes: one per person who shares its shows (a KOL, a
 * KOC, the store's staff), each with what it sold in total and per show, and
 * per show its share link (copy, or a QR code to show at the counter).
 * Works with any fetch (a session's, or one adding the shop's API key), as
 * the orders board does.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Fetcher } from "../api.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { QrCode } from "../components/QrCode.tsx";
import { formatPrice } from "../format.ts";
import { errorText, lang } from "../i18n.ts";
import { tReferrals as t } from "../i18n-referrals.ts";
import "./referrals.css";

type Figures = { orders: number; units: number; revenueCents: number };
type Code = { code: string; name: string | null; createdAt: number | null; totals: Figures; shows: Array<Figures & { roomId: string; title: string; link: string }> };
type Report = { referralCodes: Code[]; currency: string };

export function ReferralCodes({ shopId, fetch }: { shopId: string; fetch: Fetcher }) {
  const path = `/api/shops/${encodeURIComponent(shopId)}/referral-codes`;
  const [report, setReport] = useState<Report | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [qr, setQr] = useState<string | null>(null);

  const explain = (error: unknown) =>
    error instanceof ApiError ? (error.code === "code_taken" ? t("referralTaken") : errorText(error.code, error.message)) : String(error);

  async function load() {
    try {
      setReport(await api<Report>(path, { fetcher: fetch }));
    } catch (error) {
      setProblem(t("referralsFailed", { message: explain(error) }));
    }
  }
  useEffect(() => void load(), [shopId]);

  async function add(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await api(path, { method: "POST", body: { code: code.trim(), name: name.trim() }, fetcher: fetch });
      setCode("");
      setName("");
      await load();
    } catch (error) {
      setProblem(explain(error));
    }
    setBusy(false);
  }

  async function remove(entry: Code) {
    if (!confirm(t("confirmDeleteReferral", { code: entry.code }))) return;
    try {
      await api(`${path}/${encodeURIComponent(entry.code)}`, { method: "DELETE", fetcher: fetch });
      await load();
    } catch (error) {
      setProblem(explain(error));
    }
  }

  const money = (cents: number) => formatPrice(cents, report?.currency ?? "USD", lang.value);
  const figures = (f: Figures) => t("referralTotals", { orders: f.orders, units: f.units, revenue: money(f.revenueCents) });

  return (
    <section class="card referrals" aria-labelledby="referrals-title" data-testid="referral-codes">
      <h2 class="card-title" id="referrals-title">
        {t("referralsTitle")}
      </h2>
      <p class="muted small">{t("referralsIntro")}</p>
      <form class="referral-form" onSubmit={add}>
        <label class="field">
          <span class="field-label">{t("referralCode")}</span>
          <input data-testid="referral-code-input" required maxLength={40} pattern="[A-Za-z0-9_\-]{1,40}" placeholder={t("referralCodePlaceholder")} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t("referralName")}</span>
          <input data-testid="referral-name-input" required maxLength={80} placeholder={t("referralNamePlaceholder")} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button button-primary" data-testid="add-referral" disabled={busy}>
          {t("addReferral")}
        </button>
      </form>
      {problem && (
        <p class="inline-error" role="alert" data-testid="referral-problem">
          {problem}
        </p>
      )}
      {report && report.referralCodes.length === 0 && <p class="empty">{t("referralsEmpty")}</p>}
      <ul class="referral-list">
        {report?.referralCodes.map((entry) => (
          <li key={entry.code} class="referral" data-testid="referral" data-code={entry.code}>
            <div class="referral-head">
              <div>
                <p class="referral-name">{entry.name ?? t("referralUnnamed")}</p>
                <p class="muted small">
                  <code class="referral-code">{entry.code}</code> · <span data-testid="referral-totals">{figures(entry.totals)}</span>
                </p>
              </div>
              {entry.name && (
                <button type="button" class="chip-button chip-danger" data-testid="delete-referral" onClick={() => void remove(entry)}>
                  {t("deleteReferral")}
                </button>
              )}
            </div>
            <ul class="referral-shows">
              {entry.shows.map((show) => {
                const key = `${entry.code}/${show.roomId}`;
                return (
                  <li key={show.roomId} class="referral-show" data-testid="referral-show" data-room-id={show.roomId}>
                    <div class="referral-show-text">
                      <p class="referral-show-title">{show.title}</p>
                      <p class="muted small">{figures(show)}</p>
                      <p class="referral-link" data-testid="referral-link">{show.link}</p>
                    </div>
                    <div class="referral-actions">
                      <CopyButton text={show.link} label={t("copyLink")} testId="copy-referral-link" />
                      <button type="button" class="chip-button" data-testid="referral-qr-button" onClick={() => setQr(qr === key ? null : key)}>
                        {t(qr === key ? "hideQr" : "showQr")}
                      </button>
                    </div>
                    {qr === key && <QrCode text={show.link} label={t("qrLabel", { name: entry.name ?? entry.code, show: show.title })} />}
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
