/**
 * The shop's page settings (owner and manager): its address /s/{slug}, with
 * Copy and Open, and choosing another (the old one keeps leading there for
 * 90 days; the server says when one is taken or not allowed).
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { errorText } from "../i18n.ts";
import { tConsole as t } from "./i18n-console.ts";

type ShopSlug = { slug: string; url: string };

export function ShopPageSection({ shopId }: { shopId: string }) {
  const path = `/api/shops/${encodeURIComponent(shopId)}/slug`;
  const [current, setCurrent] = useState<ShopSlug | null>(null);
  const [slug, setSlug] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const explain = (error: unknown) =>
    error instanceof ApiError
      ? error.code === "slug_taken"
        ? t("shopPageTaken")
        : error.code === "invalid_slug"
          ? t("shopPageInvalid")
          : errorText(error.code, error.message)
      : String(error);

  useEffect(() => {
    api<ShopSlug>(path).then(
      (loaded) => (setCurrent(loaded), setSlug(loaded.slug)),
      (error) => setProblem(explain(error)),
    );
  }, [shopId]);

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      const saved = await api<ShopSlug & { previous: string | null }>(path, { method: "PUT", body: { slug: slug.trim().toLowerCase() } });
      setCurrent(saved);
      setSlug(saved.slug);
      setNotice([t("shopPageSaved", { url: saved.url }), saved.previous ? t("shopPageMoved", { old: `/s/${saved.previous}` }) : ""].join(" ").trim());
    } catch (error) {
      setProblem(explain(error));
    }
    setBusy(false);
  }

  return (
    <section class="card console-card" aria-labelledby="shop-page-title" data-testid="shop-page-settings">
      <h2 class="card-title" id="shop-page-title">
        {t("shopPageTitle")}
      </h2>
      <p class="small">{t("shopPageLead")}</p>
      {current && (
        <div class="shop-page-link">
          <code data-testid="shop-page-url">{current.url}</code>
          <div class="button-row">
            <CopyButton text={current.url} testId="shop-page-copy" />
            <a class="button button-quiet copy-button" href={current.url} target="_blank" rel="noopener" data-testid="shop-page-open">
              {t("shopPageOpen")}
            </a>
          </div>
        </div>
      )}
      <form class="add-passkey" onSubmit={save}>
        <label class="field">
          <span class="field-label">{t("shopPageAddress")}</span>
          <input
            data-testid="shop-slug-input"
            value={slug}
            required
            minLength={3}
            maxLength={40}
            autocapitalize="none"
            spellcheck={false}
            aria-invalid={problem ? "true" : undefined}
            aria-describedby="shop-slug-hint"
            onInput={(e) => setSlug(e.currentTarget.value)}
          />
          <span class="muted small" id="shop-slug-hint">
            {t("shopPageSlugHint")}
          </span>
        </label>
        <button type="submit" class="button" data-testid="shop-slug-save" disabled={busy || !current || slug.trim().toLowerCase() === current.slug}>
          {t("shopPageSave")}
        </button>
      </form>
      {notice && (
        <p class="small" role="status" data-testid="shop-slug-saved">
          {notice}
        </p>
      )}
      {problem && (
        <p class="console-error" role="alert" data-testid="shop-slug-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
