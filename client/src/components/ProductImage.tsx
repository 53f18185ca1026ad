import { useState } from "preact/hooks";
import { siteUrl } from "../origin.ts";

/**
 * A product photo, or the title's first letter on a tinted square when there
 * is no image or it fails to load (shop-supplied links do break).
 */
export function ProductImage({ url, title, size }: { url: string | null; title: string; /** Pixels; none: the page's CSS sizes it. */ size?: number }) {
  const [broken, setBroken] = useState(false);
  const style = size ? { width: `${size}px`, height: `${size}px` } : undefined;
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
      // Folded away in the site's own pages (the viewer page's budget): only the embed rewrites site paths.
      src={import.meta.env.EMBED ? siteUrl(url) : url}
      alt=""
      loading="lazy"
      referrerpolicy="no-referrer"
      onError={() => setBroken(true)}
    />
  );
}
