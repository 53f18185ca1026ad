/** The landing page (/): a brand creates its shop, products and show in one go. */
import { effect } from "@preact/signals";
import { render } from "preact";
import { tLanding as t } from "../i18n.ts";
import { LandingPage } from "./LandingPage.tsx";
import "../styles/landing.css";

effect(() => {
  document.title = `${t("brand")} · ${t("landingTitle")}`;
});

render(<LandingPage />, document.getElementById("app")!);
