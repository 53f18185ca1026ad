import { useState } from "preact/hooks";
import { ApiError } from "../api.ts";
import { errorText, tLanding as t } from "../i18n.ts";
import { createShow, type CreatedShow, type Progress } from "./create-show.ts";
import { ProductEditor } from "../catalogue/ProductEditor.tsx";
import {
  CURRENCIES,
  defaultCurrency,
  earliestStart,
  emptyProduct,
  findProblems,
  MAX_SHOP_NAME,
  MAX_SHOW_TITLE,
  toRequest,
  type Currency,
  type ProductDraft,
  type ShowDraft,
} from "./show-draft.ts";

function progressText(progress: Progress): string {
  if (progress.step === "shop") return t("creatingShop");
  if (progress.step === "products") return t("creatingProducts", { done: progress.done + 1, total: progress.total });
  return t("creatingRoom");
}

/** Shop, show and products in one form; one button creates all of it. */
export function CreateShowForm({ onCreated }: { onCreated: (show: CreatedShow) => void }) {
  const [draft, setDraft] = useState<ShowDraft>(() => ({
    shopName: "",
    currency: defaultCurrency(),
    showTitle: "",
    startsAt: "",
    products: [emptyProduct()],
  }));
  // Problems show only after the first attempt, then follow every keystroke.
  const [attempted, setAttempted] = useState(false);
  const [apiError, setApiError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);

  const problems = attempted ? findProblems(draft) : [];
  const invalid = new Set(problems.map((problem) => problem.field));

  const update = (change: Partial<ShowDraft>) => setDraft((current) => ({ ...current, ...change }));
  const updateProduct = (key: number, change: Partial<ProductDraft>) =>
    setDraft((current) => ({
      ...current,
      products: current.products.map((product) => (product.key === key ? { ...product, ...change } : product)),
    }));

  async function submit(event: Event) {
    event.preventDefault();
    if (progress) return;
    setAttempted(true);
    setApiError(null);
    const found = findProblems(draft);
    if (found.length > 0) {
      document.getElementById(found[0]!.field)?.focus();
      return;
    }
    try {
      onCreated(await createShow(toRequest(draft), setProgress));
    } catch (error) {
      const message = error instanceof ApiError ? errorText(error.code, error.message) : String(error);
      setApiError(t("errCreate", { message }));
    } finally {
      setProgress(null);
    }
  }

  return (
    <form class="card create-form" onSubmit={submit} noValidate aria-busy={progress !== null}>
      <fieldset class="form-section" disabled={progress !== null}>
        <legend class="section-title">{t("sectionShop")}</legend>
        <div class="field-grid field-grid-pair">
          <label class="field">
            <span class="field-label">{t("shopName")}</span>
            <input
              id="shop-name"
              data-testid="shop-name"
              value={draft.shopName}
              maxLength={MAX_SHOP_NAME}
              placeholder={t("shopNamePlaceholder")}
              autocomplete="organization"
              aria-invalid={invalid.has("shop-name")}
              onInput={(event) => update({ shopName: event.currentTarget.value })}
            />
          </label>
          <label class="field">
            <span class="field-label">{t("currency")}</span>
            <select
              data-testid="currency"
              value={draft.currency}
              onChange={(event) => update({ currency: event.currentTarget.value as Currency })}
            >
              {CURRENCIES.map((currency) => (
                <option key={currency} value={currency}>
                  {currency}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>

      <fieldset class="form-section" disabled={progress !== null}>
        <legend class="section-title">{t("sectionShow")}</legend>
        <div class="field-grid">
          <label class="field">
            <span class="field-label">{t("showTitle")}</span>
            <input
              id="show-title"
              data-testid="show-title"
              value={draft.showTitle}
              maxLength={MAX_SHOW_TITLE}
              placeholder={t("showTitlePlaceholder")}
              aria-invalid={invalid.has("show-title")}
              onInput={(event) => update({ showTitle: event.currentTarget.value })}
            />
          </label>
          <label class="field">
            <span class="field-label">{t("startsAt")}</span>
            <input
              id="starts-at"
              data-testid="starts-at"
              type="datetime-local"
              value={draft.startsAt}
              min={earliestStart()}
              aria-invalid={invalid.has("starts-at")}
              onInput={(event) => update({ startsAt: event.currentTarget.value })}
            />
          </label>
        </div>
      </fieldset>

      <fieldset class="form-section" disabled={progress !== null}>
        <legend class="section-title">{t("sectionProducts")}</legend>
        {draft.products.map((product, i) => (
          <ProductEditor
            key={product.key}
            index={i}
            product={product}
            currency={draft.currency}
            invalid={invalid}
            onChange={(change) => updateProduct(product.key, change)}
            onRemove={
              draft.products.length > 1
                ? () => update({ products: draft.products.filter((other) => other.key !== product.key) })
                : undefined
            }
          />
        ))}
        <button
          type="button"
          class="add-product"
          data-testid="add-product"
          onClick={() => update({ products: [...draft.products, emptyProduct()] })}
        >
          {t("addProduct")}
        </button>
      </fieldset>

      {(problems.length > 0 || apiError) && (
        <div class="form-error" data-testid="form-error" role="alert">
          {apiError ? (
            <p>{apiError}</p>
          ) : (
            <ul>
              {problems.map((problem) => (
                <li key={problem.field}>{t(problem.message, problem.params)}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <button type="submit" class="button button-primary button-wide" data-testid="create-show" disabled={progress !== null}>
        {progress ? (
          <>
            <span class="spinner spinner-small" aria-hidden="true" />
            {progressText(progress)}
          </>
        ) : (
          t("createShow")
        )}
      </button>
    </form>
  );
}
