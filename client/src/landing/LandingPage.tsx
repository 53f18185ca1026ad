import { useState } from "preact/hooks";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { TopBar } from "../components/TopBar.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { tLanding as t } from "../i18n.ts";
import type { CreatedShow } from "./create-show.ts";
import { CreateShowForm } from "./CreateShowForm.tsx";
import { forgetShow, openShowId, savedShows, saveShow, setOpenShow } from "./saved-shows.ts";
import { SavedShows } from "./SavedShows.tsx";
import { ShareResult } from "./ShareResult.tsx";

export function LandingPage() {
  // Kept in this browser (saved-shows.ts): a reload or another tab shows the same links again.
  const [shows, setShows] = useState<CreatedShow[]>(savedShows);
  const [openId, setOpenId] = useState<string | null>(openShowId);
  const open = shows.find((show) => show.room.id === openId) ?? null;

  function showLinks(roomId: string | null) {
    setOpenShow(roomId);
    setOpenId(roomId);
    window.scrollTo({ top: 0 });
  }

  function created(show: CreatedShow) {
    setShows(saveShow(show));
    showLinks(show.room.id);
  }

  return (
    <>
      <TopBar />
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
        <div class="landing-main">
          {open ? <ShareResult show={open} onAnother={() => showLinks(null)} /> : <CreateShowForm onCreated={created} />}
          {!open && shows.length > 0 && (
            <SavedShows shows={shows} onShowLinks={showLinks} onForget={(roomId) => setShows(forgetShow(roomId))} />
          )}
        </div>
      </main>
      <footer class="footer">{t("footer")}</footer>
      <Toasts />
    </>
  );
}
