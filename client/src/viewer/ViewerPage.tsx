import { useState } from "preact/hooks";
import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { BagIcon } from "../components/icons.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { tViewer as t } from "../i18n.ts";
import type { RoomModel } from "../room-model.ts";
import { ChatComposer, ChatMessages } from "./ChatPanel.tsx";
import { CheckoutSheet } from "./CheckoutSheet.tsx";
import { FloatingHearts, ReactButton } from "./Hearts.tsx";
import { GuestKeyRejected, NotFound } from "./NotFound.tsx";
import { PinnedProduct } from "./PinnedProduct.tsx";
import { ProductSheet } from "./ProductSheet.tsx";
import { ShowHeader } from "./ShowHeader.tsx";
import { Stage } from "./Stage.tsx";

/**
 * The viewer (and guest) page: a full-height stage with everything else laid
 * over it, thumb-reachable at the bottom, the way live-shopping apps do it.
 */
export function ViewerPage({ model, asGuest }: { model: RoomModel; asGuest: boolean }) {
  const [productsOpen, setProductsOpen] = useState(false);
  const [buying, setBuying] = useState<RoomProduct | null>(null);

  if (model.notFound.value) return <NotFound />;
  if (model.refused.value) return <GuestKeyRejected />;

  const room = model.room.value;
  const pinned = room?.products.find((product) => product.id === room.pinnedProductId) ?? null;

  function buy(product: RoomProduct) {
    setProductsOpen(false);
    setBuying(product);
  }

  return (
    <main class="viewer">
      <Stage room={room} />
      <div class="stage-shade" aria-hidden="true" />
      <ShowHeader room={room} connection={model.connection.value} />
      {asGuest && <p class="guest-banner">{t("guestBanner")}</p>}

      <div class="viewer-bottom">
        <ChatMessages messages={model.messages.value} />
        {pinned && <PinnedProduct key={pinned.id} product={pinned} onBuy={buy} />}
        <div class="viewer-bar">
          <ChatComposer onSend={model.sendChat} />
          <button
            type="button"
            class="round-button"
            data-testid="products-button"
            aria-label={t("productsButton")}
            onClick={() => setProductsOpen(true)}
          >
            <BagIcon size={22} />
            {room && room.products.length > 0 && <span class="round-button-count">{room.products.length}</span>}
          </button>
          <ReactButton total={room?.reactions ?? 0} onReact={model.react} />
        </div>
      </div>

      <FloatingHearts hearts={model.hearts.value} />

      {productsOpen && room && (
        <ProductSheet
          products={room.products}
          pinnedProductId={room.pinnedProductId}
          onBuy={buy}
          onClose={() => setProductsOpen(false)}
        />
      )}
      {buying && (
        <CheckoutSheet
          // The live figures, so "units left" stays current while the sheet is open.
          product={room?.products.find((product) => product.id === buying.id) ?? buying}
          onClose={() => setBuying(null)}
        />
      )}
      <Toasts />
    </main>
  );
}
