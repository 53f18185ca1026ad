import { useState } from "preact/hooks";
import { CopyButton } from "../components/CopyButton.tsx";
import { tStudio as t } from "../i18n.ts";

type ShareLinkProps = {
  url: string;
  guestUrl: string | null;
  /** The moderator link (mk_…), for someone who helps run the chat. */
  moderatorUrl: string | null;
  /** The studio's own link (with the host key), to copy to another device. */
  studioUrl: string | null;
  /** Replaces the guest link (the old one stops working); resolves with whether it worked. */
  onReplaceGuest?: () => Promise<boolean>;
};

/**
 * The public viewer link, to paste wherever the audience is, and (for the
 * host, who can rebuild them) the guest link that invites someone on stage,
 * which the host can replace when it went to the wrong person, the moderator
 * link that lets someone help run the chat, and the studio's own link, for
 * another device. The studio link is never shown, only copied: hosts share
 * their screen.
 */
export function ShareLink({ url, guestUrl, moderatorUrl, studioUrl, onReplaceGuest }: ShareLinkProps) {
  const [step, setStep] = useState<"idle" | "confirm" | "busy" | "done">("idle");
  async function replace() {
    setStep("busy");
    setStep((await onReplaceGuest?.()) ? "done" : "idle");
  }
  return (
    <section class="card" aria-labelledby="share-title">
      <h2 class="card-title" id="share-title">
        {t("shareLink")}
      </h2>
      <div class="link-row">
        <a class="link" data-testid="share-link" href={url} target="_blank" rel="noopener">
          {url}
        </a>
        <CopyButton text={url} testId="copy-share-link" />
      </div>
      {guestUrl && (
        <>
          <h3 class="card-subtitle">{t("guestLink")}</h3>
          <div class="link-row">
            <span class="link" data-testid="guest-invite-link">
              {guestUrl}
            </span>
            <CopyButton text={guestUrl} testId="copy-guest-invite" />
          </div>
          <p class="card-note">{t("guestLinkNote")}</p>
          {step === "done" && (
            <p class="card-note" role="status" data-testid="guest-link-replaced">
              {t("guestLinkReplaced")}
            </p>
          )}
          {onReplaceGuest && (
            <button
              type="button"
              class={step === "confirm" ? "button button-danger" : "button button-quiet"}
              data-testid={step === "confirm" ? "guest-link-confirm" : "guest-link-replace"}
              disabled={step === "busy"}
              onClick={() => (step === "confirm" ? void replace() : setStep("confirm"))}
            >
              {step === "confirm" ? t("guestLinkReplaceConfirm") : t("guestLinkReplace")}
            </button>
          )}
        </>
      )}
      {studioUrl && (
        <>
          <h3 class="card-subtitle">{t("studioLink")}</h3>
          <CopyButton text={studioUrl} testId="copy-studio-link" label={t("copyStudioLink")} />
          <p class="card-note">{t("studioLinkNote")}</p>
        </>
      )}
      {moderatorUrl && (
        <>
          <h3 class="card-subtitle">{t("moderatorLink")}</h3>
          <div class="link-row">
            <span class="link" data-testid="moderator-invite-link">
              {moderatorUrl}
            </span>
            <CopyButton text={moderatorUrl} testId="copy-moderator-invite" />
          </div>
          <p class="card-note">{t("moderatorLinkNote")}</p>
        </>
      )}
    </section>
  );
}
