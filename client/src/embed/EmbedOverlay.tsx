/**
 * What the embed lays over its stage, in a chunk that follows the video
 * (show.tsx): the show's header, the chat, the pinned product and its
 * "Buy now", the checkout. "Buy now" first asks the brand's page
 * (`shop-along:add-to-cart`, cancelable): a page with its own cart takes the
 * sale; otherwise the built-in checkout opens, and `shop-along:order` tells
 * the page what was bought.
 */
import type { Signal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { Toasts } from "../components/Toasts.tsx";
import { useChatDraft } from "../chat-draft.ts";
import type { RoomModel } from "../room-model.ts";
import { ChatComposer, ChatMessages, PinnedMessage, useChatLock } from "../viewer/ChatPanel.tsx";
import { Checkout } from "../viewer/checkout-loader.tsx";
import { RemindButton } from "../prelive/RemindButton.tsx";
import { PinnedProduct } from "../viewer/PinnedProduct.tsx";
import { ShowHeader } from "../viewer/ShowHeader.tsx";
import { cartItem, offerToPage, tellPageOrdered } from "./cart-events.ts";
import "../styles/sheets.css";
import "../styles/show-overlay.css";
import "./embed-overlay.css";

type EmbedOverlayProps = {
  host: HTMLElement;
  roomId: string;
  model: RoomModel;
  /** Set while the checkout is open: the stage does not float away from it (show.tsx). */
  checkoutOpen: Signal<boolean>;
};

export function EmbedOverlay({ host, roomId, model, checkoutOpen }: EmbedOverlayProps) {
  const [buying, setBuying] = useState<RoomProduct | null>(null);
  useEffect(() => {
    checkoutOpen.value = buying !== null;
  }, [buying]);
  const room = model.room.value;
  const ended = room?.status === "ended";
  const chat = model.chat.value;
  const chatLock = useChatLock(model.you.value?.restriction);
  const draft = useChatDraft(model.sendChat);
  const pinned = room?.products.find((product) => product.id === room.pinnedProductId) ?? null;

  function buy(product: RoomProduct) {
    // The brand's page takes the sale when it cancels the event; otherwise it is ours.
    if (offerToPage(host, cartItem(roomId, product, room?.deal ?? null))) setBuying(product);
  }

  return (
    <>
      <div class="stage-shade" aria-hidden="true" />
      <ShowHeader room={room} connection={model.connection.value} />
      <div class="viewer-bottom">
        {chat.pinned && <PinnedMessage message={chat.pinned} />}
        <ChatMessages messages={model.messages.value} />
        {!ended && pinned && <PinnedProduct key={pinned.id} product={pinned} deal={room?.deal ?? null} onBuy={buy} />}
        {!ended && (chatLock ?? draft.notice) && (
          <p class="chat-bubble chat-notice" data-testid="chat-notice" role="status">
            {chatLock ?? draft.notice}
          </p>
        )}
        {room?.status === "scheduled" && room.startsAt && <RemindButton roomId={room.id} title={room.title} startsAt={room.startsAt} />}
        {!ended && (
          <div class="viewer-bar">
            <ChatComposer draft={draft} locked={chatLock !== null} slowModeSeconds={chat.slowModeSeconds} />
          </div>
        )}
      </div>
      {buying && room && !ended && (
        <Checkout
          roomId={roomId}
          // The live figures, so units left (and sold out) stay current while the sheet is open.
          product={room.products.find((product) => product.id === buying.id) ?? buying}
          deal={room.deal}
          showEnded={false}
          onClose={() => setBuying(null)}
          onPlaced={(placed) => tellPageOrdered(host, placed)}
        />
      )}
      <Toasts />
    </>
  );
}
