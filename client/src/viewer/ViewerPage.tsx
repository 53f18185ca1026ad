import { useEffect, useRef, useState } from "preact/hooks";
import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { BagIcon } from "../components/icons.tsx";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { RemindButton } from "../prelive/RemindButton.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { useChatDraft } from "../chat-draft.ts";
import { tViewer as t } from "../i18n.ts";
import type { RoomModel } from "../room-model.ts";
import type { StagePlayer } from "../video/stage-player.ts";
import { ChatComposer, ChatMessages, PinnedMessage, useChatLock } from "./ChatPanel.tsx";
import { Checkout, prefetchCheckout } from "./checkout-loader.tsx";
import { GuestPanelLoader } from "./guest-loader.tsx";
import { FloatingHearts, ReactButton } from "./Hearts.tsx";
import { LazyDeadEnd } from "./dead-end-loader.tsx";
import { PinnedProduct } from "./PinnedProduct.tsx";
import { useCancelled, usePreLivePage } from "./prelive-loader.tsx";
import { isRehearsalAddress, useRehearsal } from "./rehearsal-loader.tsx";
import { useReplayPage } from "./replay-loader.tsx";
import { Products } from "./products-loader.tsx";
import { ShowHeader } from "./ShowHeader.tsx";
import { Stage } from "./Stage.tsx";

/**
 * The viewer (and guest) page: a full-height stage with everything else laid
 * over it, thumb-reachable at the bottom, the way live-shopping apps do it.
 */
type ViewerPageProps = {
  model: RoomModel;
  player: StagePlayer;
  roomId: string;
  /** On the guest page: the guest key, for the camera panel. */
  guestKey: string | null;
};

export function ViewerPage({ model, player, roomId, guestKey }: ViewerPageProps) {
  const [productsOpen, setProductsOpen] = useState(false);
  const [buying, setBuying] = useState<RoomProduct | null>(null);

  const room = model.room.value;
  const pinned = room?.products.find((product) => product.id === room.pinnedProductId) ?? null;
  const chat = model.chat.value;
  const chatLock = useChatLock(model.you.value?.restriction);
  const draft = useChatDraft(model.sendChat);
  // One notice at a time: why the chat is closed to you, else what became of your line.
  const chatNotice = chatLock ?? draft.notice;
  const onDeal = room?.deal && room.deal.productId !== pinned?.id ? room.products.find((product) => product.id === room.deal!.productId) : null;
  // After the end: nothing to buy, say or tap; the chat stays readable.
  const ended = room?.status === "ended";
  // Before a planned show (one with a start time): its own page. A show made to start any moment keeps the
  // stage's page, with its chat and pins; so does a guest, who gets ready there.
  const planned = room?.status === "scheduled" && room.startsAt !== null && !guestKey;
  const PreLive = usePreLivePage(planned);
  // Who arrives after the end gets the replay; who watched the end keeps its note. The page served after the end
  // says so itself (worker/pages.ts), so the player's chunk starts before the socket's first sync.
  const arrived = useRef(room);
  arrived.current ??= room;
  const Replay = useReplayPage(arrived.current?.status == "ended" || !!document.querySelector("meta[name=show-ended]"));
  // The ended note's words (ended, or cancelled); the replay, when it plays, asks for itself.
  const cancelled = useCancelled(roomId, ended && !Replay);

  useProductLink(room, setBuying);
  const rehearsal = useRehearsal(roomId);

  if (model.notFound.value) return <LazyDeadEnd which="NotFound" />;
  // Outside a rehearsal's team the room refuses us: its page says the show is not public yet.
  if (model.refused.value) return isRehearsalAddress(roomId) ? rehearsal && <rehearsal.NotPublicYet langSwitch={<LangSwitch class="chip not-found-lang" />} /> : <LazyDeadEnd which="GuestKeyRejected" />;
  const badge = rehearsal && <rehearsal.RehearsalBadge />;
  if (PreLive === "loading" || Replay === "loading") {
    return (
      <main class="viewer">
        <Stage room={null} tiles={[]} problem={null} />
      </main>
    );
  }
  if (Replay) return <Replay model={model} roomId={roomId} />;
  if (PreLive && planned) {
    return (
      <>
        <PreLive roomId={roomId} room={room} langSwitch={<LangSwitch class="chip" />} remind={(target) => <RemindButton {...target} />} />
        {badge}
        <Toasts />
      </>
    );
  }

  function buy(product: RoomProduct) {
    setProductsOpen(false);
    setBuying(product);
  }

  return (
    <main class="viewer">
      <Stage room={room} tiles={player.tiles.value} problem={player.problem.value} />
      <div class="stage-shade" aria-hidden="true" />
      <ShowHeader room={room} connection={model.connection.value} />
      {badge}
      {guestKey && <p class="guest-banner">{t("guestBanner")}</p>}
      {guestKey && room && !ended && <GuestPanelLoader roomId={roomId} guestKey={guestKey} model={model} />}

      <div class="viewer-bottom">
        {chat.pinned && <PinnedMessage message={chat.pinned} />}
        <ChatMessages messages={model.messages.value} />
        {!ended && onDeal && <PinnedProduct key={`deal-${onDeal.id}`} product={onDeal} deal={room!.deal} onBuy={buy} dealCard />}
        {!ended && pinned && <PinnedProduct key={pinned.id} product={pinned} deal={room?.deal ?? null} onBuy={buy} />}
        {!ended && chatNotice && (
          <p class="chat-bubble chat-notice" data-testid="chat-notice" role="status">
            {chatNotice}
          </p>
        )}
        {ended ? (
          <p class="ended-note" data-testid="show-ended" role="status">
            {t(cancelled ? "showCancelled" : "showEnded", { shop: room!.shopName })}
          </p>
        ) : (
        <div class="viewer-bar">
          <ChatComposer draft={draft} locked={chatLock !== null} slowModeSeconds={chat.slowModeSeconds} />
          <button
            type="button"
            class="round-button"
            data-testid="products-button"
            aria-label={t("productsButton")}
            onClick={() => {
              void prefetchCheckout().catch(() => {});
              setProductsOpen(true);
            }}
          >
            <BagIcon size={22} />
            {room && room.products.length > 0 && <span class="round-button-count">{room.products.length}</span>}
          </button>
          <ReactButton total={room?.reactions ?? 0} onReact={model.react} />
        </div>
        )}
      </div>

      <FloatingHearts hearts={model.hearts.value} />

      {productsOpen && room && !ended && (
        <Products
          roomId={roomId}
          products={room.products}
          pinnedProductId={room.pinnedProductId}
          deal={room.deal}
          onBuy={buy}
          onClose={() => setProductsOpen(false)}
          remind={room.status === "scheduled" && room.startsAt ? { roomId, title: room.title, startsAt: room.startsAt } : null}
        />
      )}
      {buying && room && !ended && (
        <Checkout
          roomId={roomId}
          // The live figures, so units left (and sold out) stay current while the sheet is open.
          product={room.products.find((product) => product.id === buying.id) ?? buying}
          deal={room.deal}
          showEnded={room.status === "ended"}
          onClose={() => setBuying(null)}
        />
      )}
      <Toasts />
    </main>
  );
}

/**
 * A link into the show at one product (`/r/{roomId}#product={productId}`,
 * as the "this is on" email sends): once the room is known, that product's
 * sheet opens, and the fragment goes, so a reload does not open it again.
 */
function useProductLink(room: RoomModel["room"]["value"], open: (product: RoomProduct) => void) {
  useEffect(() => {
    const linked = /^#product=(p_[0-9A-Za-z]{16})$/.exec(location.hash)?.[1];
    if (!linked || !room) return;
    const product = room.products.find((p) => p.id === linked);
    if (product && room.status !== "ended") open(product);
    history.replaceState(history.state, "", location.pathname + location.search);
  }, [room?.id]);
}
