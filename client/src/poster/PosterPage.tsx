/**
 * A show's poster for the shop window, printed from the console (A4 or A5):
 * the cover, the title, the date and time in this browser's zone and
 * language, the shop's name, and a large QR code of the show's viewer link
 * carrying one of the shop's referral codes (per store, per staff member),
 * so what the window brings in is counted. "Print" is the browser's own.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { QrCode } from "../components/QrCode.tsx";
import { TopBar } from "../components/TopBar.tsx";
import { errorText, lang } from "../i18n.ts";
import { tPoster as t } from "./i18n-poster.ts";

type Show = { id: string; title: string; status: string; startsAt: string | null; coverImageUrl: string | null; viewerLink: string };
type Code = { code: string; name: string | null };
type Poster = { show: Show; shopName: string; codes: Code[] };

export const PAPERS = { A4: { width: "210mm", height: "297mm" }, A5: { width: "148mm", height: "210mm" } } as const;
export type Paper = keyof typeof PAPERS;

/** The viewer link that credits `code` with what its viewers buy (as the referral codes' share links: worker/referrals/store.ts). */
export const posterLink = (viewerLink: string, code: string | null) => (code ? `${viewerLink}?ref=${encodeURIComponent(code)}` : viewerLink);

async function loadPoster(shopId: string, roomId: string): Promise<Poster> {
  const shop = `/api/shops/${encodeURIComponent(shopId)}`;
  const [{ show }, { shops }, { referralCodes }] = await Promise.all([
    api<{ show: Show }>(`${shop}/rooms/${encodeURIComponent(roomId)}`),
    api<{ shops: Array<{ id: string; name: string }> }>("/api/auth/me"),
    api<{ referralCodes: Code[] }>(`${shop}/referral-codes`),
  ]);
  return { show, shopName: shops.find((entry) => entry.id === shopId)?.name ?? "", codes: referralCodes.filter((code) => code.name !== null) };
}

export function PosterPage({ shopId, roomId }: { shopId: string; roomId: string }) {
  const [poster, setPoster] = useState<Poster | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [paper, setPaper] = useState<Paper>("A4");
  const [code, setCode] = useState<string | null>(null);

  useEffect(() => {
    loadPoster(shopId, roomId).then(
      (loaded) => {
        setPoster(loaded);
        setCode(loaded.codes[0]?.code ?? null);
      },
      (error) => setProblem(error instanceof ApiError ? error : new ApiError(0, "network", String(error))),
    );
  }, [shopId, roomId]);

  useEffect(() => {
    if (poster) document.title = `${t("posterTitle")} · ${poster.show.title}`;
  }, [poster]);

  return (
    <>
      {/* The printed page is this size, with no margin: the sheet fills it. */}
      <style>{`@page { size: ${paper} portrait; margin: 0; } @media print { .poster-sheet[data-paper] { width: ${PAPERS[paper].width}; height: ${PAPERS[paper].height}; } }`}</style>
      <div class="poster-screen">
        <TopBar sub={t("posterTitle")} />
        <main class="poster-controls">
          <a class="muted small" href="/console">
            ← {t("back")}
          </a>
          {!poster && !problem && <p class="muted">{t("loading")}</p>}
          {problem && <PosterProblem problem={problem} />}
          {poster && (
            <form class="poster-form card" onSubmit={(event) => (event.preventDefault(), window.print())}>
              <fieldset class="poster-papers">
                <legend class="field-label">{t("paper")}</legend>
                {(Object.keys(PAPERS) as Paper[]).map((size) => (
                  <label key={size} class="chip chip-light poster-paper">
                    <input type="radio" name="paper" value={size} checked={paper === size} data-testid={`poster-paper-${size}`} onChange={() => setPaper(size)} />
                    {size}
                  </label>
                ))}
              </fieldset>
              <label class="field">
                <span class="field-label">{t("referral")}</span>
                <select data-testid="poster-referral" value={code ?? ""} onChange={(event) => setCode(event.currentTarget.value || null)}>
                  {poster.codes.map((entry) => (
                    <option key={entry.code} value={entry.code}>
                      {entry.name} ({entry.code})
                    </option>
                  ))}
                  <option value="">{t("noReferral")}</option>
                </select>
              </label>
              <p class="muted small">{t("referralHint")}</p>
              <button type="submit" class="button button-primary" data-testid="poster-print">
                {t("print")}
              </button>
            </form>
          )}
        </main>
      </div>
      {poster && <PosterSheet poster={poster} paper={paper} link={posterLink(poster.show.viewerLink, code)} />}
    </>
  );
}

function PosterProblem({ problem }: { problem: ApiError }) {
  if (problem.status === 401) {
    return (
      <p class="card" role="alert">
        {t("signedOut")}{" "}
        <a class="button button-primary" href="/console">
          {t("signIn")}
        </a>
      </p>
    );
  }
  return (
    <p class="card console-error" role="alert">
      {problem.status === 403 ? t("forbidden") : t("failed", { message: errorText(problem.code, problem.message) })}
    </p>
  );
}

function PosterSheet({ poster, paper, link }: { poster: Poster; paper: Paper; link: string }) {
  const { show } = poster;
  const start = show.startsAt ? new Date(show.startsAt) : null;
  return (
    <article class="poster-sheet" data-paper={paper} data-testid="poster-sheet" data-link={link}>
      <div class="poster-cover">{show.coverImageUrl ? <img src={show.coverImageUrl} alt="" referrerpolicy="no-referrer" /> : <span class="poster-cover-empty" aria-hidden="true" />}</div>
      <div class="poster-body">
        <p class="poster-kicker">
          <span class="poster-live">{t("liveShopping")}</span> <span data-testid="poster-shop">{poster.shopName}</span>
        </p>
        <h1 class="poster-title" data-testid="poster-title">
          {show.title}
        </h1>
        <p class="poster-when" data-testid="poster-when">
          {start ? (
            <>
              <span class="poster-date">{start.toLocaleDateString(lang.value, { weekday: "long", month: "long", day: "numeric" })}</span>
              <span class="poster-time">{start.toLocaleTimeString(lang.value, { hour: "numeric", minute: "2-digit", timeZoneName: "short" })}</span>
            </>
          ) : (
            t("noStart")
          )}
        </p>
        <div class="poster-scan">
          <div class="poster-qr">
            <QrCode text={link} label={t("qrLabel", { show: show.title })} />
          </div>
          <p class="poster-scan-text">{t("scanToWatch")}</p>
          <p class="poster-link">{link.replace(/^https?:\/\//, "")}</p>
        </div>
      </div>
    </article>
  );
}
