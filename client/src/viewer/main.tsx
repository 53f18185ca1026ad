/** The viewer page (/r/{id}) and the guest page (/guest/{id}, with #key=gk_…). */
import { effect } from "@preact/signals";
import { render } from "preact";
import { errorText, lang, tViewer as t, waitForWords } from "../i18n.ts";
import { takeReferral } from "../referral.ts";
import { pageKind, roomIdFromPath, takeRoomKey } from "../room-address.ts";
import { createRoomModel } from "../room-model.ts";
import { dispatchShopEvent } from "../shop-event.ts";
import { showToast } from "../toasts.ts";
import { createStagePlayer } from "../video/stage-player.ts";
import { guestSession, loadGuestPanel } from "./guest-loader.tsx";
import { LazyDeadEnd } from "./dead-end-loader.tsx";
import { ViewerPage } from "./ViewerPage.tsx";
import "../styles/viewer.css";

const root = document.getElementById("app")!;
const roomId = roomIdFromPath();
const asGuest = pageKind() === "guest";

/**
 * The visitor's words: in the page (the Worker writes them in), or fetched
 * alongside the room's socket. Nothing renders before them, so nobody sees
 * a language not theirs.
 */
const words = () => waitForWords(lang.peek());

if (!roomId) {
  void words().then(() => render(<LazyDeadEnd which="NotFound" />, root));
} else {
  // A share code (?ref=) is read before anything else can change the address.
  takeReferral(roomId);
  const guestKey = asGuest ? takeRoomKey(roomId) : null;
  // A guest's camera panel loads alongside the socket, not after it.
  if (guestKey) void loadGuestPanel().catch(() => {});
  const model = createRoomModel({
    roomId,
    roomKey: guestKey,
    onError: ({ code, message }) => showToast({ text: errorText(code, message), code, tone: "error" }),
    // A developer's own event (a quiz, an overlay), for the page's scripts: `shop-along:event` on window.
    onFrame: (event) => event.type == "custom" && dispatchShopEvent(event),
  });
  // The stage's video, pulled as soon as the room says who is on it (a guest's own tracks excepted).
  const player = createStagePlayer(roomId, model, guestSession);

  // Tests and support read the last applied event number off the page.
  effect(() => {
    document.documentElement.dataset.seq = String(model.seq.value);
  });
  void words().then(() => {
    effect(() => {
      const room = model.room.value;
      // A tab in the background says when the show has gone live.
      document.title = !room ? t("loading") : room.status === "live" ? `● ${t("live")} · ${room.title}` : `${room.title} · ${room.shopName}`;
    });
    render(<ViewerPage model={model} player={player} roomId={roomId} guestKey={guestKey} />, root);
  });
}
