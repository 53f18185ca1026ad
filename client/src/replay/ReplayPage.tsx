/**
 * The replay: an ended show's viewer link re-runs it. The recordings (when
 * the manifest has takes) play laid out as live, on one replay clock; the
 * chat, the pinned product, its deal's countdown and its units left are as
 * they were at that moment (the timeline folded by the live page's own
 * reducer); the seek bar carries a chapter for every pin and the hearts as
 * a sparkline. Buying works at today's price and stock: the room's socket
 * (the page's model) says what is for sale now.
 *
 * Loaded on demand (viewer/replay-loader.tsx) for a visitor who arrives
 * after the end; the live page's budget never pays for it.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { track, WATCHING_EVERY_MS } from "../analytics/track.ts";
import { api } from "../api.ts";
import { copyText } from "../clipboard.ts";
import { Toasts } from "../components/Toasts.tsx";
import { tViewer } from "../i18n.ts";
import { tReplay as t } from "../i18n-replay.ts";
import { siteUrl } from "../origin.ts";
import type { PlacedOrder } from "../orders.ts";
import type { RoomModel } from "../room-model.ts";
import { dispatchShopEvent } from "../shop-event.ts";
import { showToast } from "../toasts.ts";
import { ChatMessages, PinnedMessage } from "../viewer/ChatPanel.tsx";
import { Checkout } from "../viewer/checkout-loader.tsx";
import { ShowHeader } from "../viewer/ShowHeader.tsx";
import { ReplayProduct } from "./ReplayProduct.tsx";
import { ReplayStage } from "./ReplayStage.tsx";
import { SeekBar } from "./SeekBar.tsx";
import { createTimeline, fetchManifest, fetchTimelinePage, linkedTime, momentLink, type Chapter, type Manifest, type Timeline } from "./timeline.ts";
import "../styles/replay.css";

export type ReplayPageProps = {
  model: RoomModel;
  roomId: string;
  /** Embedded on a brand's page (embed/show.tsx): it sells and hears what the live embed does. */
  brandPage?: BrandPage;
};

/** What an embedded replay tells the brand's page: the same events as live (embed/cart-events.ts). */
export type BrandPage = {
  /** Asked before the checkout opens: false when the page's own cart took the product. */
  offer: (product: RoomProduct) => boolean;
  /** An order the built-in checkout placed. */
  placed: (placed: PlacedOrder) => void;
  /** Where a developer's custom events are dispatched (the element, so that they reach the page's document). */
  events: EventTarget;
};

type Loaded = { timeline: Timeline; manifest: Manifest | null; cover: string | null };

/** How often the clock moves the page while playing: chat and counts within a quarter second of their moment. */
const TICK_MS = 250;
const STEP_MS = 10_000;
/** A recording more than this far from the clock is moved to it (seeking a video costs a moment). */
const DRIFT_S = 0.35;

export function ReplayPage({ model, roomId, brandPage }: ReplayPageProps) {
  // The shop cancelled it before it went live: there is nothing to replay, and the ended page says so.
  const [cancelled, setCancelled] = useState(false);
  const [loaded, setLoaded] = useState<Loaded | "loading" | "failed" | "none">("loading");
  const [attempt, setAttempt] = useState(0);
  const [, setPages] = useState(0);

  useEffect(() => {
    let current = true;
    setLoaded("loading");
    // The show's details (its cover; whether it was cancelled) are one request, preloaded with the page (worker/replay-preloads.ts).
    const details = api<{ room: { coverImageUrl: string | null; cancelled: boolean } }>(`/api/rooms/${encodeURIComponent(roomId)}`).then((answer) => answer.room);
    details.then((page) => current && setCancelled(page.cancelled), () => {});
    Promise.all([fetchTimelinePage(roomId, null), fetchManifest(roomId), details.catch(() => null)])
      .then(async ([first, manifest, page]) => {
        if (!current) return;
        // Hidden by the brand, or it never went live: the ended page stands.
        if (manifest?.status === "none" || first.start?.room.status !== "live") return setLoaded("none");
        const timeline = createTimeline(first);
        setLoaded({ timeline, manifest: manifest?.status === "ready" ? manifest : null, cover: manifest?.thumbnailUrl ?? page?.coverImageUrl ?? null });
        // The rest of a long show's log, in the background: the player starts on the first page.
        for (let after = first.next; after !== null && current; ) {
          const next = await fetchTimelinePage(roomId, after);
          timeline.append(next);
          setPages((n) => n + 1);
          after = next.next;
        }
      })
      .catch((error: unknown) => {
        console.warn("The replay could not be loaded.", error);
        if (current) setLoaded((state) => (state === "loading" ? "failed" : state));
      });
    return () => {
      current = false;
    };
  }, [roomId, attempt]);

  if (loaded === "loading" || loaded === "failed" || loaded === "none") {
    const room = model.room.value;
    return (
      <main class="viewer replay" data-testid="replay" data-state={loaded}>
        <div class="stage">
          <div class="poster">
            {loaded === "loading" && (
              <>
                <span class="spinner" aria-hidden="true" />
                {t("replayLoading")}
              </>
            )}
            {loaded === "failed" && (
              <>
                <p class="poster-note">{t("replayFailed")}</p>
                <button type="button" class="button" onClick={() => setAttempt((n) => n + 1)}>
                  {t("replayRetry")}
                </button>
              </>
            )}
            {loaded === "none" && room && (
              <p class="ended-note" data-testid="show-ended" role="status">
                {tViewer(cancelled ? "showCancelled" : "showEnded", { shop: room.shopName })}
              </p>
            )}
          </div>
        </div>
        <ShowHeader room={room} connection={model.connection.value} />
      </main>
    );
  }
  return <Replay model={model} roomId={roomId} brandPage={brandPage} {...loaded} />;
}

function Replay({ model, roomId, brandPage, timeline, manifest, cover }: Loaded & ReplayPageProps) {
  const trim = manifest?.trim ?? { startMs: 0, endMs: timeline.durationMs };
  const clamp = (ms: number) => Math.min(trim.endMs, Math.max(trim.startMs, ms));
  const chapters = useMemo(
    () => (manifest?.chapters.length ? manifest.chapters : timeline.pins()).filter((c: Chapter) => c.atMs >= trim.startMs && c.atMs <= trim.endMs),
    [manifest, timeline, timeline.pins().length],
  );
  // Opened without a time or a product in its link: where the video starts, if the recording began after the trimmed start (no poster first).
  const firstTake = manifest?.takes.length ? Math.min(...manifest.takes.map((take) => take.startMs)) : trim.startMs;
  const [at, setAt] = useState(() => clamp(linkedTime(location.search, chapters) ?? Math.max(trim.startMs, firstTake)));
  const [playing, setPlaying] = useState(true);
  const [chatShown, setChatShown] = useState(true);
  const [buying, setBuying] = useState<RoomProduct | null>(null);
  // The replay clock: at = base + (now - since) while playing.
  const clock = useRef({ base: at, since: performance.now() });
  /** How far the replay has played: a developer's custom events go to the page as it plays past them, never for a jump. */
  const playedTo = useRef(at);

  function seek(to: number) {
    const moment = clamp(to);
    clock.current = { base: moment, since: performance.now() };
    playedTo.current = moment;
    setAt(moment);
  }
  function playPause() {
    clock.current = { base: at >= trim.endMs ? trim.startMs : at, since: performance.now() };
    if (at >= trim.endMs) setAt(trim.startMs);
    setPlaying(!playing);
  }

  // `shop-along:event` on window at each custom event's moment, as the live page dispatched it.
  useEffect(() => {
    if (playing && at > playedTo.current) for (const event of timeline.customBetween(playedTo.current, at)) dispatchShopEvent(event, brandPage?.events);
    playedTo.current = at;
  }, [at]);

  useEffect(() => {
    if (!playing) return;
    clock.current = { base: at, since: performance.now() };
    const timer = setInterval(() => {
      const now = clock.current.base + performance.now() - clock.current.since;
      if (now >= trim.endMs) {
        setAt(trim.endMs);
        setPlaying(false);
      } else setAt(now);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing]);

  // The show's numbers count a replay's viewers and their watch time (its replay phase): a ping as it plays, then every 15 s.
  useEffect(() => {
    if (!playing) return;
    track(roomId, "watch");
    const timer = setInterval(() => track(roomId, "watch"), WATCHING_EVERY_MS);
    return () => clearInterval(timer);
  }, [playing, roomId]);

  // Desktop: space plays and pauses, the arrows step ten seconds (not while typing, nor under the checkout).
  // The handler is this render's, set as it renders: a key pressed right after a change (before the effects of
  // that render run) must see it, or a quick second press of space would repeat the first.
  const onKey = useRef<(event: KeyboardEvent) => void>(() => {});
  onKey.current = (event) => {
    // The element the key was pressed in, also inside the embed's shadow root (where event.target is its host).
    const target = (event.composedPath()[0] ?? event.target) as HTMLElement | null;
    // Embedded on a brand's page: only while the focus is in the player, so the page's own keys keep working.
    if (import.meta.env.EMBED && !event.composedPath().some((node) => node instanceof Element && node.localName === "shop-along-show")) return;
    if (buying || event.altKey || event.ctrlKey || event.metaKey || target?.closest("input, textarea, select, [contenteditable], .sheet-layer")) return;
    if (event.key === " " && !target?.closest("button")) {
      event.preventDefault();
      playPause();
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      seek(at + (event.key === "ArrowLeft" ? -STEP_MS : STEP_MS));
    }
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const view = timeline.viewAt(at);
  const then = view.room;
  const today = model.room.value;
  const todayOf = (product: RoomProduct) => today?.products.find((p) => p.id === product.id) ?? product;
  const pinned = then.products.find((product) => product.id === then.pinnedProductId) ?? null;
  const dealRunning = then.deal && timeline.liveAt + at < then.deal.endsAt ? then.deal : null;
  const dealProduct = dealRunning && dealRunning.productId !== pinned?.id ? then.products.find((p) => p.id === dealRunning.productId) : null;
  const dealLeft = dealRunning ? dealRunning.endsAt - (timeline.liveAt + at) : 0;

  function buy(product: RoomProduct) {
    if (!brandPage || brandPage.offer(product)) setBuying(product);
  }

  /** Where a shared moment opens: this page, or the show's own page when embedded (the brand's page cannot seek to ?t=). */
  const sharedPage = brandPage ? new URL(siteUrl(`/r/${roomId}`), location.href).href : location.href;

  async function share() {
    const url = momentLink(sharedPage, at);
    if (navigator.share && matchMedia("(pointer: coarse)").matches) {
      await navigator.share({ title: then.title, url }).catch(() => {});
      return;
    }
    if (await copyText(url)) showToast({ text: t("linkCopied"), tone: "info" });
  }

  return (
    <main class="viewer replay" data-testid="replay" data-state="ready" data-t={Math.round(at)} data-playing={String(playing)}>
      <ReplayStage room={then} takes={manifest?.takes ?? []} t={at} playing={playing} cover={cover} driftS={DRIFT_S} />
      <div class="stage-shade" aria-hidden="true" />
      <ShowHeader room={{ ...then, status: "ended" }} connection={model.connection.value} />
      <span class="chip replay-badge" data-testid="replay-badge">{t("replayBadge")}</span>

      <div class="viewer-bottom">
        {chatShown && view.chat.pinned && <PinnedMessage message={view.chat.pinned} />}
        {chatShown && <ChatMessages messages={view.messages} />}
        {dealProduct && dealRunning && (
          <ReplayProduct key={`deal-${dealProduct.id}`} then={dealProduct} today={todayOf(dealProduct)} deal={dealRunning} dealLeftMs={dealLeft} onBuy={buy} dealCard />
        )}
        {pinned && (
          <ReplayProduct
            key={pinned.id}
            then={pinned}
            today={todayOf(pinned)}
            deal={dealRunning?.productId === pinned.id ? dealRunning : null}
            dealLeftMs={dealLeft}
            onBuy={buy}
          />
        )}
        <SeekBar
          t={at}
          trim={trim}
          chapters={chapters}
          products={today?.products ?? then.products}
          hearts={timeline.hearts}
          playing={playing}
          onSeek={seek}
          onPlayPause={playPause}
          stepMs={STEP_MS}
          end={
            <>
              <button
                type="button"
                class="chip replay-chat-toggle"
                data-testid="chat-toggle"
                aria-pressed={!chatShown}
                onClick={() => setChatShown(!chatShown)}
              >
                {t(chatShown ? "hideChat" : "showChat")}
              </button>
              <button
                type="button"
                class="chip"
                data-testid="replay-share"
                data-share-url={momentLink(sharedPage, at)}
                aria-label={t("share")}
                onClick={() => void share()}
              >
                {t("shareShort")}
              </button>
            </>
          }
        />
      </div>

      {buying && today && (
        <Checkout
          roomId={roomId}
          // Today's figures: a replay sells at the regular price, with the units left now.
          product={todayOf(buying)}
          deal={null}
          showEnded={false}
          onClose={() => setBuying(null)}
          onPlaced={brandPage?.placed}
        />
      )}
      <Toasts />
    </main>
  );
}
