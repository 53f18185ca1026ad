import { useState } from "preact/hooks";

/**
 * A product photo, or the title's first letter on a tinted square when there
 * is no image or it fails to load (shop-supplied links do break).
 */
export function ProductImage({ url, title, size }: { url: string | null; title: string; size: number }) {
  const [broken, setBroken] = useState(false);
  const style = { width: `${size}px`, height: `${size}px` };
  if (!url || broken) {
    return (
      <span class="product-image product-image-empty" style={style} aria-hidden="true">
        {Array.from(title.trim())[0]?.toUpperCase() ?? "?"}
      </span>
    );
  }
  return (
    <img
      class="product-image"
      style={style}
      src={url}
      alt=""
      loading="lazy"
      referrerpolicy="no-referrer"
      onError={() => setBroken(true)}
    />
  );
}
