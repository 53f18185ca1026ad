import { CopyButton } from "../components/CopyButton.tsx";
import { formatStartTime } from "../format.ts";
import { lang, tLanding as t } from "../i18n.ts";
import type { CreatedShow } from "./create-show.ts";
import { QrCode } from "../components/QrCode.tsx";
import { SecureShop } from "./SecureShop.tsx";

/** The links a new show comes with: viewer (to share), host (secret), guest (for a co-host), moderator (for the chat). */
export function ShareResult({ show, onAnother }: { show: CreatedShow; onAnother: () => void }) {
  const { viewer, host, guest, moderator } = show.links;
  return (
    <>
    <section class="card result" aria-labelledby="result-title">
      <div class="result-head">
        <span class="result-mark" aria-hidden="true">✓</span>
        <div>
          <h2 id="result-title">{t("resultTitle")}</h2>
          <p class="muted">{t("resultLead")}</p>
          {show.room.startsAt && (
            <p class="result-when" data-testid="result-starts-at">
              {t("startsAtShown", { time: formatStartTime(show.room.startsAt, lang.value) })}
            </p>
          )}
        </div>
      </div>

      <div class="share">
        <QrCode text={viewer} label={t("qrLabel")} />
        <div class="share-text">
          <h3 class="link-label">{t("viewerLink")}</h3>
          <a class="link" data-testid="viewer-link" href={viewer} target="_blank" rel="noopener">
            {viewer}
          </a>
          <p class="muted small">{t("viewerLinkNote")}</p>
          <CopyButton text={viewer} testId="copy-viewer-link" />
        </div>
      </div>

      <div class="link-block link-secret">
        <h3 class="link-label">{t("hostLink")}</h3>
        <div class="link-row">
          <a class="link" data-testid="host-link" href={host} target="_blank" rel="noopener noreferrer">
            {host}
          </a>
          <CopyButton text={host} testId="copy-host-link" />
        </div>
        <p class="small">
          <strong>{t("hostLinkSave")}</strong> {t("hostLinkNote")}
        </p>
        <p class="small">{t("hostLinkKept")}</p>
      </div>

      <div class="link-block">
        <h3 class="link-label">{t("guestLink")}</h3>
        <div class="link-row">
          <a class="link" data-testid="guest-link" href={guest} target="_blank" rel="noopener noreferrer">
            {guest}
          </a>
          <CopyButton text={guest} testId="copy-guest-link" />
        </div>
        <p class="muted small">{t("guestLinkNote")}</p>
      </div>

      <div class="link-block">
        <h3 class="link-label">{t("moderatorLink")}</h3>
        <div class="link-row">
          <a class="link" data-testid="moderator-link" href={moderator} target="_blank" rel="noopener noreferrer">
            {moderator}
          </a>
          <CopyButton text={moderator} testId="copy-moderator-link" />
        </div>
        <p class="muted small">{t("moderatorLinkNote")}</p>
      </div>

      <div class="result-actions">
        <a class="button button-primary" href={host} target="_blank" rel="noopener noreferrer">
          {t("openStudio")}
        </a>
        <button type="button" class="button button-quiet" data-testid="create-another" onClick={onAnother}>
          {t("createAnother")}
        </button>
      </div>
    </section>
    <SecureShop shopId={show.room.shopId} />
    </>
  );
}
