/**
 * The shop's catalogue in the console: every product (photo, title, price,
 * variants), added or changed with the same editor as the landing form, and
 * deleted (archived: past shows and orders still name it). Units are a
 * show's, not the catalogue's: the editor's units are kept only as the
 * variants it lists, and each show sets its own.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { ProductEditor } from "../catalogue/ProductEditor.tsx";
import { uploadPhoto } from "../catalogue/photo-upload.ts";
import { combinations, emptyProduct, productProblems, toProductRequest, variantLabel, type ProductDraft } from "../catalogue/product-draft.ts";
import { ProductImage } from "../components/ProductImage.tsx";
import { formatPrice, minorDigits } from "../format.ts";
import { errorText, lang, tLanding } from "../i18n.ts";
import { tConsole as t } from "./i18n-console.ts";
// The product editor's card and variant rows are styled with the landing form that it came from.
import "../styles/landing.css";

export type CatalogueProduct = {
  id: string;
  title: string;
  priceCents: number;
  currency: string;
  imageUrl: string | null;
  optionNames: string[];
  variants: { id: string; options: string[] }[];
  photos: { id: string; url: string }[];
};

const productsPath = (shopId: string) => `/api/shops/${encodeURIComponent(shopId)}/products`;

export const listProducts = (shopId: string) => api<{ products: CatalogueProduct[] }>(productsPath(shopId)).then((r) => r.products);

/** A catalogue product as the editor holds it. */
function toDraft(product: CatalogueProduct): ProductDraft {
  const digits = minorDigits(product.currency);
  const values = (k: number) => [...new Set(product.variants.map((v) => v.options[k]!))].join(", ");
  return {
    ...emptyProduct(),
    title: product.title,
    price: (product.priceCents / 10 ** digits).toFixed(digits),
    imageUrl: product.imageUrl ?? "",
    options: product.optionNames.map((name, k) => ({ name, values: values(k) })),
    // Combinations the product does not have start at 0 units, so saving does not add them unasked.
    variantStock: Object.fromEntries(
      combinations(product.optionNames.map((name, k) => ({ name, values: values(k) }))).map((combo) => [
        variantLabel(combo),
        product.variants.some((v) => variantLabel(v.options) === variantLabel(combo)) ? "10" : "0",
      ]),
    ),
  };
}

/** Writes the draft: the product (new or changed), its new photo, and its variants (those with units; the others deleted). */
async function saveProduct(shopId: string, draft: ProductDraft, currency: string, existing: CatalogueProduct | null): Promise<void> {
  const { stock: _units, photo, variants, ...fields } = toProductRequest(draft, currency);
  const body = { ...fields, imageUrl: fields.imageUrl ?? null, optionNames: fields.optionNames ?? [] };
  const path = productsPath(shopId);
  const id = existing
    ? (await api<{ product: CatalogueProduct }>(`${path}/${existing.id}`, { method: "PATCH", body })).product.id
    : (await api<{ product: CatalogueProduct }>(path, { method: "POST", body: { ...fields } })).product.id;
  if (photo) await uploadPhoto(shopId, id, "", photo.blob);
  const wanted = (variants ?? []).filter((v) => v.stock > 0).map((v) => v.options);
  const have = existing?.variants ?? [];
  for (const variant of have) {
    if (!wanted.some((options) => variantLabel(options) === variantLabel(variant.options))) {
      await api(`${path}/${id}/variants/${variant.id}`, { method: "DELETE" });
    }
  }
  for (const options of wanted) {
    if (!have.some((v) => variantLabel(v.options) === variantLabel(options))) {
      await api(`${path}/${id}/variants`, { method: "POST", body: { options } });
    }
  }
}

const problemOf = (error: unknown) => (error instanceof ApiError ? errorText(error.code, error.message) : String(error));

export function ProductsSection({ shopId, currency }: { shopId: string; currency: string }) {
  const [products, setProducts] = useState<CatalogueProduct[] | null>(null);
  const [editing, setEditing] = useState<{ draft: ProductDraft; existing: CatalogueProduct | null } | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const load = () => listProducts(shopId).then(setProducts, (error) => setProblem(problemOf(error)));
  useEffect(() => void load(), [shopId]);

  const open = (existing: CatalogueProduct | null) => {
    setEditing({ draft: existing ? toDraft(existing) : { ...emptyProduct(), stock: "1" }, existing });
    setAttempted(false);
    setProblem(null);
  };
  const problems = editing && attempted ? productProblems(editing.draft, 0, currency) : [];

  async function save(event: Event) {
    event.preventDefault();
    if (!editing) return;
    setAttempted(true);
    if (productProblems(editing.draft, 0, currency).length) return;
    setBusy(true);
    try {
      await saveProduct(shopId, editing.draft, currency, editing.existing);
      setEditing(null);
      await load();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  async function archive(product: CatalogueProduct) {
    if (!confirm(t("productDeleteConfirm", { title: product.title }))) return;
    try {
      await api(`${productsPath(shopId)}/${product.id}`, { method: "DELETE" });
      await load();
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <section class="card console-card" aria-labelledby="products-title">
      <h2 class="card-title" id="products-title">
        {t("productsTitle")}
      </h2>
      {problem && (
        <p class="console-error" role="alert">
          {problem}
        </p>
      )}
      {editing ? (
        <form class="console-product-form" data-testid="product-form" onSubmit={(event) => void save(event)}>
          <fieldset disabled={busy}>
            <ProductEditor
              index={0}
              product={editing.draft}
              currency={currency}
              invalid={new Set(problems.map((p) => p.field))}
              onChange={(change) => setEditing({ ...editing, draft: { ...editing.draft, ...change } })}
              forShow={false}
            />
          </fieldset>
          {problems.length > 0 && (
            <ul class="console-error" role="alert">
              {problems.map((p) => (
                <li key={p.field}>{tLanding(p.message === "errVariantsNoUnits" ? "errVariantsNone" : p.message, p.params)}</li>
              ))}
            </ul>
          )}
          <p class="muted small">{t("productUnitsNote")}</p>
          <div class="button-row">
            <button type="submit" class="button" data-testid="product-save" disabled={busy}>
              {busy ? t("saving") : t("productSave")}
            </button>
            <button type="button" class="button button-quiet" onClick={() => setEditing(null)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="button" data-testid="product-add" onClick={() => open(null)}>
          {t("productAdd")}
        </button>
      )}
      {products && products.length === 0 && <p class="muted small">{t("productsNone")}</p>}
      <ul class="plain-list">
        {products?.map((product) => (
          <li key={product.id} class="plain-row catalogue-row" data-testid="catalogue-product">
            <ProductImage url={product.photos[0]?.url ?? product.imageUrl} title={product.title} size={56} />
            <div>
              <p class="plain-row-title" data-testid="catalogue-product-title">
                {product.title}
              </p>
              <p class="muted small">
                {formatPrice(product.priceCents, product.currency, lang.value)}
                {product.variants.length > 0 && ` · ${product.variants.map((v) => variantLabel(v.options)).join(", ")}`}
              </p>
            </div>
            <div class="row-actions">
              <button type="button" class="button button-quiet" data-testid="product-edit" onClick={() => open(product)}>
                {t("edit")}
              </button>
              <button type="button" class="button button-quiet" data-testid="product-delete" onClick={() => void archive(product)}>
                {t("delete")}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
