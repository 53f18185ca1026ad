/**
 * The host studio (/studio/{id}#key=hk_…), and the moderator's page
 * (/mod/{id}#key=mk_…): the same page showing only the chat and its
 * moderation, with no camera, orders or show controls. Opened from the
 * console, without a key, the page runs on the signed-in team member's
 * session cookie instead (asking for its role with X-Room-Role); the server
 * decides whether that account may.
 */
import { computed, effect } from "@preact/signals";
import { render } from "preact";
import { api } from "../api.ts";
import { errorText, tStudio as t } from "../i18n.ts";
import { pageKind, roomIdFromPath, takeRoomKey } from "../room-address.ts";
import { createRoomModel } from "../room-model.ts";
import { createPublisher } from "../video/publisher.ts";
import { recordWhileLive } from "../video/record-while-live.ts";
import { createStagePlayer } from "../video/stage-player.ts";
import { showToast } from "../toasts.ts";
import { createModerationFeed } from "./moderation-feed.ts";
import { createOrdersFeed } from "./orders-feed.ts";
import { StudioPage } from "./StudioPage.tsx";
import "../styles/status-badge.css";
import "../styles/studio.css";

const mode = pageKind() === "moderator" ? "moderator" : "host";
const roomId = roomIdFromPath() ?? "";
const hostKey = roomId ? takeRoomKey(roomId) : null;
const feed = roomId && mode === "host" ? createOrdersFeed(roomId, hostKey) : null;
const moderation = createModerationFeed();
const model = roomId
  ? createRoomModel({
    roomId,
    roomKey: hostKey,
    teamRole: hostKey ? null : mode,
    onError: ({ code, message }) => showToast({ text: errorText(code, message), code, tone: "error" }),
    onOrder: (order) => feed?.upsert(order),
    onFrame: moderation.receive,
  })
  : null;

const publisher = model && mode === "host" ? createPublisher(roomId, hostKey) : null;
// Everyone else on the stage (guests), pulled as viewers get them; the host's own camera is shown from its preview.
const player = model && publisher ? createStagePlayer(roomId, model, publisher.sessionId) : null;

if (model) {
  // Tests and support read the last applied event number off the page.
  effect(() => {
    document.documentElement.dataset.seq = String(model.seq.value);
  });
}
if (model && feed) {
  // Order frames are not replayed: each time the socket is (back) online, the
  // list is fetched again, so an order placed while we were away still shows.
  const isHost = computed(() => model.you.value?.role === "host");
  effect(() => {
    if (model.connection.value === "online" && isHost.value) void feed.load();
  });
  // While live and on the stage, the studio records the host (loaded then).
  if (publisher) recordWhileLive(roomId, hostKey, publisher, computed(() => model.room.value?.status === "live"));
  // However the show ends (here, another tab, the API), the camera leaves the stage.
  effect(() => {
    if (model.room.value?.status === "ended") void publisher?.stop().then(publisher.release);
  });
  // A studio reloaded mid-show goes back on stage by itself, or viewers are left with "Live now" over
  // nothing until someone taps: when this tab's last page was on stage, or (a new tab) nobody hosts the stage.
  // A host who had left the stage on purpose stays off it.
  let resumed = false;
  effect(() => {
    const room = model.room.value;
    if (resumed || !room || !publisher || !isHost.value) return;
    resumed = true;
    const last = publisher.lastPage;
    if (room.status !== "live" || last === "off" || (!last && room.stage.some((track) => track.role === "host"))) return;
    void (async () => {
      // The old page's tracks leave the stage first, in case its goodbye (pagehide) never arrived:
      // viewers must not pull a camera that is gone. It is our own session, so the host may remove it.
      if (last && room.stage.some((track) => track.sessionId === last)) {
        await api(`/api/rooms/${encodeURIComponent(roomId)}/stage/remove`, { method: "POST", key: hostKey, body: { sessionId: last } }).catch(() => {});
      }
      await publisher.join();
    })();
  });
}
effect(() => {
  const title = model?.room.value?.title;
  const page = t(mode === "host" ? "studioTitle" : "moderatorPage");
  document.title = title ? `${title} · ${page}` : `${t("brand")} · ${page}`;
});

render(
  <StudioPage roomId={roomId} mode={mode} hostKey={hostKey} model={model} moderation={moderation} feed={feed} publisher={publisher} player={player} />,
  document.getElementById("app")!,
);
