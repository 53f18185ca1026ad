import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n.ts";
import { CloseIcon } from "./icons.tsx";

/** A panel sliding up from the bottom of the page, closed by the ✕, the backdrop or Escape. */
export function Sheet({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const panel = useRef<HTMLDivElement>(null);
  // The parent re-renders on every presence tick; read the latest onClose
  // without re-running the effect, which would steal focus each time.
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // In the embed the sheet opens inside the brand's page, which must not jump to it (the site's own sheets are fixed).
    if (import.meta.env.EMBED) panel.current?.focus({ preventScroll: true });
    else panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close.current();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      previous?.focus?.();
    };
  }, []);

  return (
    <div class="sheet-layer">
      <div class="sheet-backdrop" onClick={onClose} />
      <div class="sheet" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} ref={panel}>
        <div class="sheet-head">
          <h2 class="sheet-title">{title}</h2>
          <button type="button" class="icon-button" aria-label={t("close")} onClick={onClose}>
            <CloseIcon size={20} />
          </button>
        </div>
        <div class="sheet-body">{children}</div>
      </div>
    </div>
  );
}
