import type { ProductPhoto } from "../../../durable-objects/protocol.ts";
import { tOrders as t } from "../i18n-orders.ts";
import "./photo-gallery.css";

/**
 * A product's photos in a strip the thumb swipes through (CSS scroll
 * snapping, no script). Each photo keeps its shape (the width and height
 * it was uploaded with reserve the space) and loads only as it comes near.
 */
export function PhotoGallery({ title, photos }: { title: string; photos: ProductPhoto[] }) {
  if (photos.length === 0) return null;
  return (
    <ul class="photo-gallery" data-testid="photo-gallery" aria-label={t("photosOf", { title })} tabIndex={0}>
      {photos.map((photo, n) => (
        <li key={photo.url} class="photo-gallery-item">
          <img
            src={photo.url}
            width={photo.width ?? undefined}
            height={photo.height ?? undefined}
            alt={t("photoNumber", { n: n + 1, total: photos.length, title })}
            loading="lazy"
            decoding="async"
            referrerpolicy="no-referrer"
            data-testid="gallery-photo"
          />
        </li>
      ))}
    </ul>
  );
}
