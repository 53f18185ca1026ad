/**
 * "Remind me" ("Tell me when this is on", for a product): a button on the
 * viewer page whose sheet (calendar, email) is fetched on the first tap, or
 * as the finger lands, so that it costs the page a few hundred bytes. Two
 * taps to a reminder: this one, then "Google Calendar", the .ics file or
 * "Remind me by email".
 */
import { useState } from "preact/hooks";
import { BellIcon } from "../components/icons.tsx";
import { tViewer as t } from "../i18n.ts";
import { lazySheet } from "../viewer/lazy-sheet.tsx";

export type RemindProps = { roomId: string; title: string; startsAt: string; productId?: string; productTitle?: string };

// Pure: a page that never shows the button (the embed's first chunk) drops its sheet too.
const sheet = /* @__PURE__ */ lazySheet(
  () => import("./RemindSheet.tsx").then((module) => module.RemindSheet),
  (props: RemindProps & { onClose: () => void }) => ({ title: props.productId ? t("remindProduct") : t("remindMe"), text: t("remindLoading") }),
);

export function RemindButton(props: RemindProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        class={props.productId ? "button button-remind-product" : "button button-remind"}
        data-testid={props.productId ? "remind-product" : "remind-me"}
        onPointerDown={() => void sheet.prefetch().catch(() => undefined)}
        onClick={() => setOpen(true)}
      >
        <BellIcon size={props.productId ? 16 : 18} />
        {props.productId ? t("remindProduct") : t("remindMe")}
      </button>
      {open && <sheet.LazySheet {...props} onClose={() => setOpen(false)} />}
    </>
  );
}
