/**
 * One product of a show that has not started, opened from its card: its
 * photos, price, description and sizes / colours (with what is left of
 * each), to look at before the show. Buying opens when the show goes live.
 */
import type { ComponentChild } from "preact";
import { useState } from "preact/hooks";
import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { PhotoGallery } from "../catalogue/PhotoGallery.tsx";
import { chosenVariant, firstChoice } from "../catalogue/variant-choice.ts";
import { VariantPicker } from "../catalogue/VariantPicker.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { Sheet } from "../components/Sheet.tsx";
import { formatPrice } from "../format.ts";
import { lang, t as tCommon, unitsLeftText } from "../i18n.ts";

type ProductDetailsProps = {
  product: RoomProduct;
  /** Slot: this product's "Remind me" ("tell me when this is on"). */
  remind?: () => ComponentChild;
  onClose: () => void;
};

export function ProductDetails({ product, remind, onClose }: ProductDetailsProps) {
  const variants = product.variants ?? [];
  const optionNames = product.optionNames ?? [];
  const [choice, setChoice] = useState(() => firstChoice(variants, optionNames.length));
  const variant = variants.length ? chosenVariant(variants, choice) : null;
  const photos = product.photos ?? [];
  const left = variant ? variant.left : product.left;
  return (
    <Sheet title={product.title} onClose={onClose}>
      <div class="prelive-details" data-testid="prelive-product-details" data-product-id={product.id}>
        {photos.length > 0 ? <PhotoGallery title={product.title} photos={photos} /> : <ProductImage url={product.imageUrl} title={product.title} />}
        <p class="prelive-details-figures">
          <span class="price" data-testid="prelive-details-price">
            {formatPrice(variant?.priceCents ?? product.priceCents, product.currency, lang.value)}
          </span>
          <span class="left" data-testid="prelive-details-left">{left > 0 ? unitsLeftText(left) : tCommon("soldOut")}</span>
        </p>
        {variants.length > 0 && <VariantPicker optionNames={optionNames} variants={variants} choice={choice} disabled={false} onChoose={setChoice} />}
        {product.description && <p class="prelive-description">{product.description}</p>}
        {/* Slot: "Remind me" for this product (RemindButton with productId and productTitle). */}
        {remind && <div class="prelive-remind" data-slot="remind-product">{remind()}</div>}
      </div>
    </Sheet>
  );
}
