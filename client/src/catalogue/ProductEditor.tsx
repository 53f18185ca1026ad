import { useState } from "preact/hooks";
import { CloseIcon } from "../components/icons.tsx";
import { tLanding as t } from "../i18n.ts";
import { preparePhoto } from "./photo-upload.ts";
import {
  combinations,
  examplePrice,
  MAX_OPTIONS,
  MAX_PRODUCT_TITLE,
  MAX_STOCK,
  variantLabel,
  variantUnits,
  type OptionDraft,
  type ProductDraft,
} from "./product-draft.ts";
import "./product-editor.css";

type ProductEditorProps = {
  index: number;
  product: ProductDraft;
  currency: string;
  /** Ids of the fields that have a problem. */
  invalid: Set<string>;
  onChange: (change: Partial<ProductDraft>) => void;
  /** Absent for the only product: a show sells at least one. */
  onRemove?: () => void;
  /**
   * For a show (the default): the units it sells, of the product or of each
   * variant. False in the catalogue, where units are set per show: each
   * variant is then a checkbox (kept, or left out of the product).
   */
  forShow?: boolean;
};

/**
 * One product's inputs: name, price, a photo (the phone's camera or
 * gallery, resized here before upload) or an image link, and either the
 * units for the show or sizes / colours with units per variant.
 */
export function ProductEditor({ index: i, product, currency, invalid, onChange, onRemove, forShow = true }: ProductEditorProps) {
  const id = (field: string) => `product-${field}-${i}`;
  const [reading, setReading] = useState(false);
  const [photoError, setPhotoError] = useState(false);

  async function pickPhoto(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    setReading(true);
    setPhotoError(false);
    try {
      const photo = await preparePhoto(file);
      if (product.photo) URL.revokeObjectURL(product.photo.previewUrl);
      onChange({ photo });
    } catch {
      setPhotoError(true);
    } finally {
      setReading(false);
    }
  }

  function removePhoto() {
    if (product.photo) URL.revokeObjectURL(product.photo.previewUrl);
    onChange({ photo: null });
  }

  const setOption = (j: number, change: Partial<OptionDraft>) =>
    onChange({ options: product.options.map((option, k) => (k === j ? { ...option, ...change } : option)) });
  const combos = combinations(product.options);

  return (
    <div class="product-card" role="group" aria-labelledby={id("head")}>
      <p class="product-card-head" id={id("head")}>
        {t("productNumber", { n: i + 1 })}
      </p>
      {onRemove && (
        <button type="button" class="icon-button product-remove" aria-label={t("removeProduct", { n: i + 1 })} onClick={onRemove}>
          <CloseIcon size={18} />
        </button>
      )}
      <label class="field field-wide">
        <span class="field-label">{t("productTitle")}</span>
        <input
          data-testid={id("title")}
          id={id("title")}
          value={product.title}
          maxLength={MAX_PRODUCT_TITLE}
          placeholder={t("productTitlePlaceholder")}
          aria-invalid={invalid.has(id("title"))}
          onInput={(event) => onChange({ title: event.currentTarget.value })}
        />
      </label>
      <label class={product.options.length ? "field field-wide" : "field"}>
        <span class="field-label">{t("productPrice", { currency })}</span>
        <input
          data-testid={id("price")}
          id={id("price")}
          value={product.price}
          inputMode="decimal"
          placeholder={examplePrice(currency)}
          aria-invalid={invalid.has(id("price"))}
          onInput={(event) => onChange({ price: event.currentTarget.value })}
        />
      </label>
      {forShow && product.options.length === 0 && (
        <label class="field">
          <span class="field-label">{t("productStock")}</span>
          <UnitsInput testId={id("stock")} value={product.stock} min={1} invalid={invalid.has(id("stock"))} onInput={(stock) => onChange({ stock })} />
        </label>
      )}

      <div class="photo-field field-wide">
        <span class="field-label">{t("productPhoto")}</span>
        <div class="photo-row">
          {product.photo ? (
            <img class="photo-preview" data-testid={id("photo-preview")} src={product.photo.previewUrl} alt={t("productPhotoPreview", { n: i + 1 })} />
          ) : (
            <span class="photo-preview photo-preview-empty" aria-hidden="true" />
          )}
          <div class="photo-actions">
            {/* No `capture`: a phone then offers both its camera and its gallery. */}
            <label class="button button-quiet photo-pick">
              <input
                type="file"
                accept="image/*"
                class="visually-hidden"
                data-testid={id("photo")}
                id={id("photo")}
                onChange={(event) => void pickPhoto(event.currentTarget)}
              />
              {reading ? t("productPhotoReading") : product.photo ? t("productPhotoChange") : t("productPhotoPick")}
            </label>
            {product.photo && (
              <button type="button" class="button button-quiet" data-testid={id("photo-remove")} onClick={removePhoto}>
                {t("productPhotoRemove")}
              </button>
            )}
          </div>
        </div>
        {photoError && (
          <p class="field-problem" role="alert">
            {t("errPhoto")}
          </p>
        )}
      </div>
      <label class="field field-wide">
        <span class="field-label">{t("productImage")}</span>
        <input
          data-testid={id("image")}
          id={id("image")}
          value={product.imageUrl}
          type="url"
          inputMode="url"
          placeholder="https://"
          aria-invalid={invalid.has(id("image"))}
          onInput={(event) => onChange({ imageUrl: event.currentTarget.value })}
        />
      </label>

      {product.options.length === 0 ? (
        <button type="button" class="add-product field-wide" data-testid={id("add-variants")} onClick={() => onChange({ options: [{ name: "", values: "" }] })}>
          {t("addVariants")}
        </button>
      ) : (
        <div class="variants field-wide" role="group" aria-labelledby={id("variants-title")} data-testid={id("variants")}>
          <p class="variants-title" id={id("variants-title")}>
            {t("variantsTitle")}
          </p>
          {product.options.map((option, j) => {
            const optionId = (field: string) => `product-option-${field}-${i}-${j}`;
            return (
              <div class="option-row" key={j}>
                <label class="field">
                  <span class="field-label">{t("optionName", { k: j + 1 })}</span>
                  <input
                    id={optionId("name")}
                    data-testid={optionId("name")}
                    value={option.name}
                    maxLength={30}
                    placeholder={t(j === 0 ? "optionNamePlaceholder1" : "optionNamePlaceholder2")}
                    aria-invalid={invalid.has(optionId("name"))}
                    onInput={(event) => setOption(j, { name: event.currentTarget.value })}
                  />
                </label>
                <label class="field">
                  <span class="field-label">{t("optionValues")}</span>
                  <input
                    id={optionId("values")}
                    data-testid={optionId("values")}
                    value={option.values}
                    placeholder={t(j === 0 ? "optionValuesPlaceholder1" : "optionValuesPlaceholder2")}
                    aria-invalid={invalid.has(optionId("values"))}
                    onInput={(event) => setOption(j, { values: event.currentTarget.value })}
                  />
                </label>
              </div>
            );
          })}
          <div class="variant-buttons">
            {product.options.length < MAX_OPTIONS && (
              <button type="button" class="button button-quiet" data-testid={id("add-option")} onClick={() => onChange({ options: [...product.options, { name: "", values: "" }] })}>
                {t("addOption")}
              </button>
            )}
            {product.options.length > 1 && (
              <button type="button" class="button button-quiet" onClick={() => onChange({ options: product.options.slice(0, 1) })}>
                {t("removeOption")}
              </button>
            )}
            <button type="button" class="button button-quiet" data-testid={id("remove-variants")} onClick={() => onChange({ options: [] })}>
              {t("removeVariants")}
            </button>
          </div>
          {combos.length > 0 && combos[0]!.length > 0 && (
            <div class="variant-units">
              <p class="field-label">{t(forShow ? "variantUnits" : "variantSells")}</p>
              {combos.map((values, k) => {
                const label = variantLabel(values);
                const field = `product-variant-stock-${i}-${k}`;
                const units = variantUnits(product, values);
                const setUnits = (value: string) => onChange({ variantStock: { ...product.variantStock, [label]: value } });
                return (
                  <label class="variant-unit" key={label}>
                    <span class="variant-name">{label}</span>
                    {forShow ? (
                      <UnitsInput testId={field} value={units} min={0} label={t("variantUnitsLabel", { variant: label })} invalid={invalid.has(field)} onInput={setUnits} />
                    ) : (
                      <input
                        type="checkbox"
                        data-testid={field}
                        id={field}
                        checked={Number(units) > 0}
                        aria-label={t("variantSellsLabel", { variant: label })}
                        aria-invalid={invalid.has(field)}
                        onChange={(event) => setUnits(event.currentTarget.checked ? "10" : "0")}
                      />
                    )}
                  </label>
                );
              })}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function UnitsInput({ testId, value, min, label, invalid, onInput }: { testId: string; value: string; min: number; label?: string; invalid: boolean; onInput: (value: string) => void }) {
  return (
    <input
      data-testid={testId}
      id={testId}
      value={value}
      inputMode="numeric"
      type="number"
      min={min}
      max={MAX_STOCK}
      step={1}
      aria-label={label}
      aria-invalid={invalid}
      onInput={(event) => onInput(event.currentTarget.value)}
    />
  );
}
