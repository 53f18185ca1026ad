import { CopyButton } from "../components/CopyButton.tsx";
import { tStudio as t } from "../i18n.ts";

/**
 * The public viewer link, to paste wherever the audience is, and (for the
 * host, who can rebuild them) the guest link that invites someone on stage
 * and the moderator link that lets someone help run the chat.
 */
export function ShareLink({ url, guestUrl, moderatorUrl }: { url: string; guestUrl: string | null; moderatorUrl: string | null }) {
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
