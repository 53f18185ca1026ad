/**
 * A show made from the catalogue, or changed before it starts: title,
 * description, cover image and start time; for a new show (or a duplicate
 * of a past one), the products it sells and the units of each, or of each
 * size / colour. A new show is the room (POST …/rooms) and then, if given,
 * its description and cover (PATCH): both through the session.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { variantLabel } from "../catalogue/product-draft.ts";
import { ProductImage } from "../components/ProductImage.tsx";
import { formatPrice } from "../format.ts";
import { errorText, lang } from "../i18n.ts";
import { earliestStart } from "../landing/show-draft.ts";
import { tConsole as t } from "./i18n-console.ts";
import { listProducts, type CatalogueProduct } from "./ProductsSection.tsx";

export type ShowDetails = {
  id: string;
  title: string;
  description: string | null;
  coverImageUrl: string | null;
  startsAt: string | null;
  products: { productId: string; stock: number }[];
  variants: { variantId: string; productId: string; stock: number }[];
};

const showsPath = (shopId: string) => `/api/shops/${encodeURIComponent(shopId)}/rooms`;

export const getShow = (shopId: string, roomId: string) => api<{ show: ShowDetails }>(`${showsPath(shopId)}/${roomId}`).then((r) => r.show);
export const cancelShow = (shopId: string, roomId: string) => api(`${showsPath(shopId)}/${roomId}/cancel`, { method: "POST" });

/** An ISO instant as <input type=datetime-local> shows it, in this browser's time zone. */
function localInput(iso: string | null): string {
  return iso ? earliestStart(new Date(iso)) : "";
}

/** What the form is for: a new show (optionally copied from a past one: `from`), or a change to a show that has not started. */
export type ShowFormMode = { kind: "create"; from?: ShowDetails } | { kind: "edit"; show: ShowDetails };

/** Units typed, by product id (products sold as one thing) or variant id; absent: not in the show. */
type Units = Record<string, string>;

export function ShowsForm({ shopId, mode, onDone, onClose }: { shopId: string; mode: ShowFormMode; onDone: () => void; onClose: () => void }) {
  const base = mode.kind === "edit" ? mode.show : mode.from;
  const [title, setTitle] = useState(base?.title ?? "");
  const [description, setDescription] = useState(base?.description ?? "");
  const [cover, setCover] = useState(base?.coverImageUrl ?? "");
  // A duplicate gets a new date: the old one is past.
  const startedAs = mode.kind === "edit" ? localInput(mode.show.startsAt) : "";
  const [startsAt, setStartsAt] = useState(startedAs);
  const [units, setUnits] = useState<Units>(() =>
    Object.fromEntries([...(base?.products.map((p) => [p.productId, String(p.stock)]) ?? []), ...(base?.variants.map((v) => [v.variantId, String(v.stock)]) ?? [])]),
  );
  const [catalogue, setCatalogue] = useState<CatalogueProduct[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (mode.kind === "create") listProducts(shopId).then(setCatalogue, (error) => setProblem(String(error)));
  }, [shopId]);

  const isPicked = (product: CatalogueProduct) => (product.variants.length ? product.variants.some((v) => v.id in units) : product.id in units);
  function pick(product: CatalogueProduct, on: boolean) {
    const ids = product.variants.length ? product.variants.map((v) => v.id) : [product.id];
    const next = { ...units };
    for (const id of ids) {
      if (on) next[id] ??= "10";
      else delete next[id];
    }
    setUnits(next);
  }

  function check(): string | null {
    if (!title.trim()) return t("errShowTitle");
    if (startsAt && startsAt !== startedAs && new Date(startsAt).getTime() < Date.now() - 60_000) return t("errShowStartPast");
    if (cover.trim() && !/^https:\/\//i.test(cover.trim())) return t("errShowCover");
    if (mode.kind === "create") {
      const typed = Object.values(units);
      if (typed.length === 0) return t("errShowNoProducts");
      if (typed.some((u) => !/^\d+$/.test(u.trim()) || Number(u) > 1_000_000)) return t("errShowUnits");
    }
    return null;
  }

  async function submit(event: Event) {
    event.preventDefault();
    const wrong = check();
    setProblem(wrong);
    if (wrong) return;
    setBusy(true);
    const details = {
      title: title.trim(),
      startsAt: startsAt ? new Date(startsAt).toISOString() : null,
      description: description.trim() || null,
      coverImageUrl: cover.trim() || null,
    };
    try {
      if (mode.kind === "edit") {
        // An unchanged start is not sent: one a little past (a show running late) would be refused.
        const { startsAt: _, ...rest } = details;
        await api(`${showsPath(shopId)}/${mode.show.id}`, { method: "PATCH", body: startsAt === startedAs ? rest : details });
      } else {
        const picked = catalogue ?? [];
        const products = picked.filter((p) => !p.variants.length && p.id in units).map((p) => ({ productId: p.id, stock: Number(units[p.id]) }));
        const variants = picked.flatMap((p) => p.variants.filter((v) => v.id in units).map((v) => ({ variantId: v.id, stock: Number(units[v.id]) })));
        const made = await api<{ room: { id: string } }>(showsPath(shopId), {
          method: "POST",
          body: { title: details.title, ...(details.startsAt ? { startsAt: details.startsAt } : {}), products, variants },
        });
        if (details.description || details.coverImageUrl) {
          await api(`${showsPath(shopId)}/${made.room.id}`, { method: "PATCH", body: { description: details.description, coverImageUrl: details.coverImageUrl } });
        }
      }
      onDone();
    } catch (error) {
      setProblem(error instanceof ApiError ? errorText(error.code, error.message) : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card console-card show-form" data-testid="show-form" noValidate onSubmit={(event) => void submit(event)}>
      <h3 class="card-title">{t(mode.kind === "edit" ? "showEditTitle" : mode.from ? "showDuplicateTitle" : "showCreateTitle")}</h3>
      <fieldset disabled={busy}>
        <label class="field">
          <span class="field-label">{t("showTitleLabel")}</span>
          <input data-testid="show-form-title" value={title} maxLength={120} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t("showDescriptionLabel")}</span>
          <textarea data-testid="show-form-description" value={description} maxLength={2000} rows={3} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t("showCoverLabel")}</span>
          <input data-testid="show-form-cover" type="url" inputMode="url" placeholder="https://" value={cover} onInput={(e) => setCover(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t("showStartLabel")}</span>
          <input data-testid="show-form-start" type="datetime-local" min={earliestStart()} value={startsAt} onInput={(e) => setStartsAt(e.currentTarget.value)} />
        </label>
        {mode.kind === "create" && (
          <div class="show-form-products" role="group" aria-label={t("showProductsLabel")}>
            <p class="field-label">{t("showProductsLabel")}</p>
            {catalogue?.length === 0 && <p class="muted small">{t("showNoCatalogue")}</p>}
            {catalogue?.map((product) => (
              <div key={product.id} class="show-form-product" data-testid="show-form-product">
                <label class="show-form-pick">
                  <input type="checkbox" data-testid="show-form-pick" checked={isPicked(product)} onChange={(e) => pick(product, e.currentTarget.checked)} />
                  <ProductImage url={product.photos[0]?.url ?? product.imageUrl} title={product.title} size={40} />
                  <span>
                    <span class="plain-row-title">{product.title}</span>
                    <span class="muted small"> · {formatPrice(product.priceCents, product.currency, lang.value)}</span>
                  </span>
                </label>
                {isPicked(product) &&
                  (product.variants.length ? product.variants : [{ id: product.id, options: [] as string[] }]).map((item) => (
                    <label key={item.id} class="show-form-units">
                      <span>{item.options.length ? variantLabel(item.options) : t("showUnitsLabel")}</span>
                      <input
                        data-testid="show-form-units"
                        type="number"
                        inputMode="numeric"
                        min={0}
                        max={1_000_000}
                        value={units[item.id] ?? ""}
                        aria-label={t("showUnitsFor", { item: item.options.length ? `${product.title} ${variantLabel(item.options)}` : product.title })}
                        onInput={(e) => setUnits({ ...units, [item.id]: e.currentTarget.value })}
                      />
                    </label>
                  ))}
              </div>
            ))}
          </div>
        )}
      </fieldset>
      {problem && (
        <p class="console-error" role="alert" data-testid="show-form-problem">
          {problem}
        </p>
      )}
      <div class="button-row">
        <button type="submit" class="button" data-testid="show-form-save" disabled={busy}>
          {busy ? t("saving") : t(mode.kind === "edit" ? "showSave" : "showCreate")}
        </button>
        <button type="button" class="button button-quiet" onClick={onClose}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
