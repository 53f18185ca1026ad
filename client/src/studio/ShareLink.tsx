import { CopyButton } from "../components/CopyButton.tsx";
import { tStudio as t } from "../i18n.ts";

/** The public viewer link, to paste wherever the audience is. */
export function ShareLink({ url }: { url: string }) {
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
    </section>
  );
}
