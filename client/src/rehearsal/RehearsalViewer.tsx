/**
 * A rehearsal's viewer page: its badge for the team, and for everyone else
 * a page that says the show is not public yet. It imports nothing of the
 * viewer page's own components: sharing one splits the page's script in two,
 * which costs the page's budget more than this chunk saves.
 */
import type { ComponentChild } from "preact";
import { tRehearsal as t } from "../i18n-rehearsal.ts";
import "../styles/not-found.css";
import "../styles/rehearsal.css";

/** `langSwitch`: the page's own (a chunk importing it would split the viewer page's script in two). */
export const NotPublicYet = ({ langSwitch }: { langSwitch: ComponentChild }) => (
  <main class="not-found" data-testid="not-public-yet">
    {langSwitch}
    <h1>{t("notPublicTitle")}</h1>
    <p>{t("notPublicBody")}</p>
    <a class="button button-primary" href="/">
      {t("startOwnShow")}
    </a>
  </main>
);

export const RehearsalBadge = () => (
  <p class="rehearsal-badge viewer-rehearsal-badge" data-testid="rehearsal-badge">
    {t("rehearsalBadge")}
  </p>
);
