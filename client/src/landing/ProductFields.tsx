import { CloseIcon } from "../components/icons.tsx";
import { tLanding as t } from "../i18n.ts";
import { examplePrice, MAX_PRODUCT_TITLE, MAX_STOCK, type Currency, type ProductDraft } from "./show-draft.ts";

type ProductFieldsProps = {
  index: number;
  product: ProductDraft;
  currency: Currency;
  /** data-testids of the fields that have a problem. */
  invalid: Set<string>;
  onChange: (change: Partial<ProductDraft>) => void;
  /** Absent for the only product: a show sells at least one. */
  onRemove?: () => void;
};

/** One product's inputs: name, price, units for this show, optional image link. */
export function ProductFields({ index: i, product, currency, invalid, onChange, onRemove }: ProductFieldsProps) {
  const id = (field: string) => `product-${field}-${i}`;
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
      <label class="field">
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
      <label class="field">
        <span class="field-label">{t("productStock")}</span>
        <input
          data-testid={id("stock")}
          id={id("stock")}
          value={product.stock}
          inputMode="numeric"
          type="number"
          min={1}
          max={MAX_STOCK}
          step={1}
          aria-invalid={invalid.has(id("stock"))}
          onInput={(event) => onChange({ stock: event.currentTarget.value })}
        />
      </label>
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
    </div>
  );
}
