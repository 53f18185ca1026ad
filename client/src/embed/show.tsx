/**
 * The player's chunk, fetched once a <shop-along-show> comes near the
 * viewport (embed.ts): finds the show (`room`, or for `shop` whatever is
 * live, else next, else the latest replay), joins its room as a viewer (the
 * socket and the video with the Worker's absolute addresses, origin.ts) and
 * renders the stage into the element's shadow root: the video, or the
 * poster with the countdown before the start. Everything over the stage
 * (chat, pinned product, checkout: EmbedOverlay.tsx) is a chunk of its own,
 * fetched once the video plays (or at once when there is none to wait
 * for); the replay, after the end, is the show page's own chunk, selling
 * through the same page events (cart-events.ts).
 *
 * Out of view while the video plays, the stage floats in a corner (the
 * mini-player) until it is closed or the element is scrolled back to.
 */
import { signal, type ReadonlySignal, type Signal } from "@preact/signals";
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api } from "../api.ts";
import { CloseIcon } from "../components/icons.tsx";
import { createRoomModel, type RoomModel } from "../room-model.ts";
import type { ShopPageData } from "../shop/ShopPage.tsx";
import { createStagePlayer, type StagePlayer } from "../video/stage-player.ts";
import { lazyPage } from "../viewer/lazy-page.tsx";
import { useReplayPage } from "../viewer/replay-loader.tsx";
import { Stage } from "../viewer/Stage.tsx";
import { cartItem, offerToPage, tellPageOrdered } from "./cart-events.ts";
import { tEmbed as t } from "./i18n-embed.ts";
import { followPageLang } from "./page-lang.ts";
import { isLibrarySheet, styleRoot } from "./styles.ts";
import "../styles/base.css";
import "../styles/stage.css";
import "./embed.css";

/** Without a first frame by then (a slow relay, a camera that stays off), the overlay comes anyway. */
const OVERLAY_AT_THE_LATEST_MS = 3000;

const useOverlay = lazyPage(() => import("./EmbedOverlay.tsx").then((module) => module.EmbedOverlay));

/** The shop's show to embed: the one live now, else the next, else the latest past one; null when it has none, "notFound" for no such shop. */
async function shopShow(slug: string): Promise<string | null | "notFound"> {
  try {
    const page = await api<ShopPageData>(`/api/shops/by-slug/${encodeURIComponent(slug)}`);
    return (page.live[0] ?? page.upcoming[0] ?? page.past[0])?.id ?? null;
  } catch (error) {
    // A mistyped slug is the brand's to fix: say so, rather than that the shop has no show yet.
    return error instanceof ApiError && error.status === 404 ? "notFound" : null;
  }
}

export async function mountShow(host: HTMLElement, root: ShadowRoot): Promise<void> {
  styleRoot(root, (file) => !isLibrarySheet(file));
  const words = followPageLang(host);
  const mount = document.createElement("div");
  mount.className = "sa";
  root.append(mount);

  const slug = host.getAttribute("shop");
  const roomId = host.getAttribute("room") ?? (slug ? await shopShow(slug) : null);
  if (!roomId || roomId === "notFound") return void words.then(() => render(<Note text={roomId ? "showNotFound" : "noShow"} />, mount));
  host.dataset.room = roomId;

  const model = createRoomModel({
    roomId,
    // A developer's own room events reach the brand's page from the element (protocol.ts, `custom`).
    onFrame: (frame) => {
      if (frame.type !== "custom") return;
      const { id, name, data, at } = frame;
      host.dispatchEvent(new CustomEvent("shop-along:event", { detail: { id, name, data, at }, bubbles: true, composed: true }));
    },
  });
  const player = createStagePlayer(roomId, model);

  // Out of view, all of it: the mini-player's cue (the stage decides whether there is video to float).
  // Not sooner: a viewer who scrolls until only the player's foot shows is looking at Buy now, which the mini-player hides.
  const away = signal(false);
  new IntersectionObserver(([entry]) => (away.value = !entry!.isIntersecting), { threshold: 0 }).observe(host);
  // The first frame on the stage: media events do not bubble, but they pass the mount on their way down.
  const playing = signal(false);
  // The checkout is open (EmbedOverlay): the player stays where it is, whatever the scroll.
  const checkoutOpen = signal(false);
  mount.addEventListener("playing", () => (playing.value = true), { capture: true, once: true });
  // The picture's shape: a landscape camera floats in a landscape corner (a phone's 9:16 one showed a third of it).
  const wide = signal(false);
  mount.addEventListener("resize", (event) => {
    const video = event.target as HTMLVideoElement;
    if (video.videoWidth) wide.value = video.videoWidth > video.videoHeight;
  }, { capture: true });

  await words;
  render(<EmbedShow host={host} roomId={roomId} model={model} player={player} away={away} playing={playing} wide={wide} checkoutOpen={checkoutOpen} />, mount);
}

function Note({ text }: { text: "noShow" | "showNotFound" }) {
  return <p class="sa-note" data-testid="embed-note">{t(text)}</p>;
}

type EmbedShowProps = {
  host: HTMLElement;
  roomId: string;
  model: RoomModel;
  player: StagePlayer;
  away: ReadonlySignal<boolean>;
  playing: ReadonlySignal<boolean>;
  /** The stage's picture is wider than tall. */
  wide: ReadonlySignal<boolean>;
  checkoutOpen: Signal<boolean>;
};

function EmbedShow({ host, roomId, model, player, away, playing, wide, checkoutOpen }: EmbedShowProps) {
  const [miniClosed, setMiniClosed] = useState(false);
  const [late, setLate] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setLate(true), OVERLAY_AT_THE_LATEST_MS);
    return () => clearTimeout(timer);
  }, []);
  const room = model.room.value;
  // Who arrives after the end gets the replay; who watched the end keeps the ended stage (as on the show's page).
  const arrived = useRef(room);
  arrived.current ??= room;
  const Replay = useReplayPage(arrived.current?.status === "ended");
  const tiles = player.tiles.value;
  const videoComing = room?.status === "live" && room.stage.some((track) => track.kind === "video" && !track.paused);
  const Overlay = useOverlay(!!room && (playing.value || late || !videoComing));
  const mini = away.value && !miniClosed && !checkoutOpen.value && room?.status === "live" && tiles.some((tile) => !tile.audio);

  if (model.notFound.value) return <Note text="showNotFound" />;
  if (Replay === "loading") return <main class="viewer"><Stage room={null} tiles={[]} problem={null} /></main>;
  // The replay sells as the live embed does: the page's own cart first, its order told to the page.
  if (Replay) return <Replay model={model} roomId={roomId} brandPage={{ offer: (product) => offerToPage(host, cartItem(roomId, product, null)), placed: (placed) => tellPageOrdered(host, placed), events: host }} />;
  return (
    <main class={mini ? `viewer sa-mini${wide.value ? " sa-mini-wide" : ""}` : "viewer"} data-testid="embed-player" data-mini={mini ? "" : undefined}>
      <Stage room={room} tiles={tiles} problem={player.problem.value} />
      {Overlay && Overlay !== "loading" && <Overlay host={host} roomId={roomId} model={model} checkoutOpen={checkoutOpen} />}
      {mini && (
        <>
          <button type="button" class="sa-mini-back" aria-label={t("backToPlayer")} onClick={() => host.scrollIntoView({ behavior: "smooth", block: "center" })} />
          <button type="button" class="sa-mini-close" data-testid="mini-close" aria-label={t("closeMiniPlayer")} title={t("closeMiniPlayer")} onClick={() => setMiniClosed(true)}>
            <CloseIcon size={16} />
          </button>
        </>
      )}
    </main>
  );
}
