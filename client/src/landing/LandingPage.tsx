import { useState } from "preact/hooks";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { tLanding as t } from "../i18n.ts";
import type { CreatedShow } from "./create-show.ts";
import { CreateShowForm } from "./CreateShowForm.tsx";
import { ShareResult } from "./ShareResult.tsx";

/**
 * The last show created in this tab, kept so a reload does not lose the host
 * link (it is shown once). sessionStorage: it ends with the tab.
 */
const CREATED_KEY = "shop-along:created";

function savedShow(): CreatedShow | null {
  try {
    const saved = sessionStorage.getItem(CREATED_KEY);
    return saved ? (JSON.parse(saved) as CreatedShow) : null;
  } catch {
    return null;
  }
}

function saveShow(show: CreatedShow | null) {
  try {
    if (show) sessionStorage.setItem(CREATED_KEY, JSON.stringify(show));
    else sessionStorage.removeItem(CREATED_KEY);
  } catch {
    // Without storage the links are still on screen.
  }
}

export function LandingPage() {
  const [created, setCreated] = useState<CreatedShow | null>(savedShow);

  function show(next: CreatedShow | null) {
    saveShow(next);
    setCreated(next);
    window.scrollTo({ top: 0 });
  }

  return (
    <>
      <header class="topbar">
        <a class="logo" href="/">
          <span class="logo-mark" aria-hidden="true" />
          {t("brand")}
        </a>
        <LangSwitch class="chip chip-light" />
      </header>
      <main class="landing">
        <section class="hero">
          <p class="eyebrow">
            <span class="live-dot" aria-hidden="true" />
            {t("landingEyebrow")}
          </p>
          <h1>{t("landingTitle")}</h1>
          <p class="lead">{t("landingLead")}</p>
          <ul class="points">
            <li>{t("landingPoint1")}</li>
            <li>{t("landingPoint2")}</li>
            <li>{t("landingPoint3")}</li>
          </ul>
        </section>
        {created ? <ShareResult show={created} onAnother={() => show(null)} /> : <CreateShowForm onCreated={show} />}
      </main>
      <footer class="footer">{t("footer")}</footer>
      <Toasts />
    </>
  );
}
