/**
 * The checkout sheet is loaded on demand: it is most of what buying costs in
 * bytes, and the viewer page must stay within its budget for everyone who
 * only watches. It is fetched ahead of the first tap (when a product is
 * pinned, the product list opens, or the page falls idle), so "Buy now"
 * opens it at once.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Sheet } from "../components/Sheet.tsx";
import { errorText, tViewer as t } from "../i18n.ts";
import { showToast } from "../toasts.ts";
import type { CheckoutProps } from "./CheckoutSheet.tsx";

let loading: Promise<ComponentType<CheckoutProps>> | null = null;
let loaded: ComponentType<CheckoutProps> | null = null;

export function prefetchCheckout(): Promise<ComponentType<CheckoutProps>> {
  loading ??= import("./CheckoutSheet.tsx").then(
    (module) => (loaded = module.CheckoutSheet),
    (error: unknown) => {
      loading = null; // Offline for a moment: the next tap tries again.
      throw error;
    },
  );
  return loading;
}

/** Fetches the checkout once the page has nothing better to do. */
export function prefetchCheckoutWhenIdle(): void {
  const run = () => void prefetchCheckout().catch(() => {});
  if ("requestIdleCallback" in window) requestIdleCallback(run, { timeout: 5000 });
  else setTimeout(run, 2000);
}

export function Checkout(props: CheckoutProps) {
  const [Loaded, setLoaded] = useState(() => loaded);
  useEffect(() => {
    if (Loaded) return;
    prefetchCheckout().then(
      (component) => setLoaded(() => component),
      () => {
        showToast({ text: errorText("network", ""), code: "network", tone: "error" });
        props.onClose();
      },
    );
  }, []);
  if (Loaded) return <Loaded {...props} />;
  return (
    <Sheet title={props.product.title} onClose={props.onClose}>
      <p class="checkout-loading" data-testid="checkout-loading">
        <span class="spinner spinner-dark" aria-hidden="true" />
        {t("checkoutLoading")}
      </p>
    </Sheet>
  );
}
