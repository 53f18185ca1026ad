/**
 * A show made from the catalogue, or changed before it starts: title,
 * description, cover image and start time; for a new show (or a duplicate
 * of a past one), the products it sells and the units of each, or of each
 * size / colour. A new show is the room (POST …/rooms) and then, if given,
 * its description and cover (PATCH): both through the session.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { preparePhoto, type PhotoDraft } from "../catalogue/photo-upload.ts";
import { variantLabel } from "../catalogue/product-draft.ts";
import { ProductImage } from "../components/ProductImage.tsx";
import { formatPrice } from "../format.ts";
import { errorText, lang } from "../i18n.ts";
import { earliestStart } from "../landing/show-draft.ts";
import { tConsole as t } from "./i18n-console.ts";
import { tReplay } from "./i18n-replay.ts";
import { listProducts, type CatalogueProduct } from "./ProductsSection.tsx";

export type ShowDetails = {
  id: string;
  title: string;
  description: string | null;
  coverImageUrl: string | null;
  trailerUrl: string | null;
  startsAt: string | null;
  recording: boolean;
  products: { productId: string; stock: number }[];
  variants: { variantId: string; productId: string; stock: number }[];
};

/** As the server allows (worker/media/video-file.ts): checked here first, so a long upload is not sent for nothing. */
const MAX_TRAILER_BYTES = 20 * 1024 * 1024;

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
  // A photo taken or picked for the cover, and a trailer video: uploaded once the show is saved.
  const [coverPhoto, setCoverPhoto] = useState<PhotoDraft | null>(null);
  const [trailer, setTrailer] = useState<{ file: File | null; url: string | null }>({ file: null, url: mode.kind === "edit" ? mode.show.trailerUrl : null });
  const [uploading, setUploading] = useState(false);
  // A duplicate gets a new date: the old one is past.
  const startedAs = mode.kind === "edit" ? localInput(mode.show.startsAt) : "";
  const [startsAt, setStartsAt] = useState(startedAs);
  const [recording, setRecording] = useState(base?.recording ?? true);
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
    if (!coverPhoto && cover.trim() && !/^https:\/\//i.test(cover.trim()) && !cover.trim().startsWith("/photos/")) return t("errShowCover");
    if (trailer.file && (!/^video\/(mp4|webm)$/.test(trailer.file.type) || trailer.file.size > MAX_TRAILER_BYTES)) return t("errShowTrailer");
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
      recording,
      // An uploaded cover is set by its own route, after the show is saved.
      ...(coverPhoto ? {} : { coverImageUrl: cover.trim() || null }),
    };
    let roomId = mode.kind === "edit" ? mode.show.id : null;
    try {
      if (mode.kind === "edit") {
        // An unchanged start is not sent: one a little past (a show running late) would be refused.
        const { startsAt: _, ...rest } = details;
        await api<unknown>(`${showsPath(shopId)}/${mode.show.id}`, { method: "PATCH", body: startsAt === startedAs ? rest : details });
      } else {
        const picked = catalogue ?? [];
        const products = picked.filter((p) => !p.variants.length && p.id in units).map((p) => ({ productId: p.id, stock: Number(units[p.id]) }));
        const variants = picked.flatMap((p) => p.variants.filter((v) => v.id in units).map((v) => ({ variantId: v.id, stock: Number(units[v.id]) })));
        const made = await api<{ room: { id: string } }>(showsPath(shopId), {
          method: "POST",
          body: { title: details.title, ...(details.startsAt ? { startsAt: details.startsAt } : {}), products, variants, recording },
        });
        roomId = made.room.id;
        if (details.description || details.coverImageUrl) {
          await api(`${showsPath(shopId)}/${made.room.id}`, { method: "PATCH", body: { description: details.description, coverImageUrl: details.coverImageUrl } });
        }
      }
      setUploading(true);
      const media = `${showsPath(shopId)}/${roomId}`;
      if (coverPhoto) await api(`${media}/cover`, { method: "POST", body: coverPhoto.blob });
      if (trailer.file) await api(`${media}/trailer`, { method: "POST", body: trailer.file });
      else if (mode.kind === "edit" && mode.show.trailerUrl && !trailer.url) await api(`${media}/trailer`, { method: "DELETE" });
      onDone();
    } catch (error) {
      setProblem(error instanceof ApiError ? errorText(error.code, error.message) : String(error));
    } finally {
      setBusy(false);
      setUploading(false);
    }
  }

  async function pickCover(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    try {
      const photo = await preparePhoto(file);
      if (coverPhoto) URL.revokeObjectURL(coverPhoto.previewUrl);
      setCoverPhoto(photo);
      setProblem(null);
    } catch {
      setProblem(t("errShowCoverPhoto"));
    }
  }

  function pickTrailer(input: HTMLInputElement) {
    const file = input.files?.[0] ?? null;
    input.value = "";
    if (file) setTrailer({ file, url: null });
  }

  const coverShown = coverPhoto?.previewUrl ?? (cover.trim() || null);

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
        <div class="field">
          <span class="field-label">{t("showCoverLabel")}</span>
          <div class="photo-row">
            {coverShown ? (
              <img class="photo-preview show-form-cover-preview" data-testid="show-form-cover-preview" src={coverShown} alt={t("showCoverPreview")} />
            ) : (
              <span class="photo-preview photo-preview-empty" aria-hidden="true" />
            )}
            <div class="photo-actions">
              {/* No `capture`: a phone then offers both its camera and its gallery. */}
              <label class="button button-quiet photo-pick">
                <input type="file" accept="image/*" class="visually-hidden" data-testid="show-form-cover-photo" onChange={(e) => void pickCover(e.currentTarget)} />
                {t(coverShown ? "showCoverChange" : "showCoverPick")}
              </label>
            </div>
          </div>
          {!coverPhoto && (
            <input
              data-testid="show-form-cover"
              type="url"
              inputMode="url"
              placeholder="https://"
              aria-label={t("showCoverOr")}
              value={cover}
              onInput={(e) => setCover(e.currentTarget.value)}
            />
          )}
        </div>
        <div class="field">
          <span class="field-label">{t("showTrailerLabel")}</span>
          <div class="photo-actions">
            <label class="button button-quiet photo-pick">
              <input type="file" accept="video/mp4,video/webm" class="visually-hidden" data-testid="show-form-trailer" onChange={(e) => pickTrailer(e.currentTarget)} />
              {t(trailer.file || trailer.url ? "showTrailerChange" : "showTrailerPick")}
            </label>
            {(trailer.file || trailer.url) && (
              <button type="button" class="button button-quiet" data-testid="show-form-trailer-remove" onClick={() => setTrailer({ file: null, url: null })}>
                {t("showTrailerRemove")}
              </button>
            )}
          </div>
          {trailer.file && <p class="muted small" data-testid="show-form-trailer-name">{t("showTrailerNew", { name: trailer.file.name })}</p>}
          {!trailer.file && trailer.url && <video class="show-form-trailer-preview" src={trailer.url} muted loop playsInline controls preload="metadata" />}
        </div>
        <label class="field">
          <span class="field-label">{t("showStartLabel")}</span>
          <input data-testid="show-form-start" type="datetime-local" min={earliestStart()} value={startsAt} onInput={(e) => setStartsAt(e.currentTarget.value)} />
        </label>
        <label class="replay-check">
          <input type="checkbox" data-testid="show-form-recording" checked={recording} onChange={(e) => setRecording(e.currentTarget.checked)} />
          <span>
            {tReplay("recordingLabel")}
            <span class="muted small block">{tReplay("recordingNote")}</span>
          </span>
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
          {uploading ? t("showMediaUploading") : busy ? t("saving") : t(mode.kind === "edit" ? "showSave" : "showCreate")}
        </button>
        <button type="button" class="button button-quiet" onClick={onClose}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
