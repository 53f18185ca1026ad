/** The app's own 404 page, for every path that is not a page, show or order (served with status 404). */
import { effect } from "@preact/signals";
import { render } from "preact";
import { lang, tNotFound as t } from "../i18n.ts";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { DeadEnd } from "../viewer/NotFound.tsx";
import "../styles/viewer.css";

effect(() => {
  document.title = `${t("pageNotFoundTitle")} · shop-along`;
});

render(
  <DeadEnd testId="page-not-found" mark="404" title={t("pageNotFoundTitle")} body={t("pageNotFoundBody")} langSwitch={<LangSwitch class="chip not-found-lang" />} />,
  document.getElementById("app")!,
);
