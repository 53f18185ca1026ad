import { useEffect } from "preact/hooks";
import type { FlashDeal, RoomProduct } from "../../../durable-objects/protocol.ts";
import { track } from "../analytics/track.ts";
import { useActiveDeal } from "../components/DealCountdown.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { Sheet } from "../components/Sheet.tsx";
import { formatPrice } from "../format.ts";
import { commonText, lang, section, translator, tViewer as t } from "../i18n.ts";
import { myOrders } from "../my-orders.ts";
import { PhotoGallery } from "../catalogue/PhotoGallery.tsx";
import { RemindButton, type RemindProps } from "../prelive/RemindButton.tsx";
import { DealBanner, ProductFigures } from "./ProductFigures.tsx";
import "../styles/product-sheet.css";

/**
 * The words only this sheet shows, both languages, in its chunk (fetched on the tap that opens it): the page's
 * catalogue, which every viewer downloads, does without them.
 */
const sheetText = /* @__PURE__ */ section(
  {
    productsEmpty: "No products in this show yet.",
    myOrders: "My orders",
    myOrderNumber: "Order #{number}",
  },
  {
    productsEmpty: "本场还没有商品。",
    myOrders: "我的订单",
    myOrderNumber: "订单 #{number}",
  },
);
const tSheet = /* @__PURE__ */ translator(commonText, sheetText);

type ProductSheetProps = {
  roomId: string;
  products: RoomProduct[];
  pinnedProductId: string | null;
  deal: FlashDeal | null;
  onBuy: (product: RoomProduct) => void;
  onClose: () => void;
  /** Before the show is live: "Tell me when this is on" per product. */
  remind?: RemindProps | null;
};

/** Everything on sale in this show, opened from the bag button, and the orders this device placed in it. */
export function ProductSheet({ roomId, products, pinnedProductId, deal, onBuy, onClose, remind }: ProductSheetProps) {
  return (
    <Sheet title={t("productsTitle")} onClose={onClose}>
      {products.length === 0 ? (
        <p class="empty">{tSheet("productsEmpty")}</p>
      ) : (
        <ul class="product-list" data-testid="product-list">
          {products.map((product) => (
            <ProductRow key={product.id} roomId={roomId} product={product} pinned={product.id === pinnedProductId} deal={deal} onBuy={onBuy} remind={remind} />
          ))}
        </ul>
      )}
      <MyOrders roomId={roomId} />
    </Sheet>
  );
}

function ProductRow({ roomId, product, pinned, deal, onBuy, remind }: { roomId: string; product: RoomProduct; pinned: boolean; deal: FlashDeal | null; onBuy: (product: RoomProduct) => void; remind?: RemindProps | null }) {
  const running = useActiveDeal(deal, product.id);
  const photos = product.photos ?? [];
  // The product's card was seen (the show's numbers: card views).
  useEffect(() => track(roomId, "card", product.id), [roomId, product.id]);
  return (
    <li class={photos.length > 1 ? "product-row has-gallery" : "product-row"} data-product-id={product.id}>
      <ProductImage url={product.imageUrl} title={product.title} size={72} />
      <div class="product-info">
        {running && <DealBanner deal={running} />}
        {pinned && <span class="pinned-tag">{t("showingNow")}</span>}
        <p class="product-title">{product.title}</p>
        <ProductFigures product={product} deal={running} />
        {remind && <RemindButton {...remind} productId={product.id} productTitle={product.title} />}
      </div>
      <button
        type="button"
        class="button button-buy"
        data-testid="product-buy"
        data-product-id={product.id}
        disabled={product.left <= 0}
        onClick={() => onBuy(product)}
      >
        {t("buyNow")}
      </button>
      {photos.length > 1 && <PhotoGallery title={product.title} photos={photos} />}
    </li>
  );
}

/** Links to this device's orders in this show; each opens its order page in a new tab, so the show keeps playing. */
function MyOrders({ roomId }: { roomId: string }) {
  const orders = myOrders(roomId);
  if (orders.length === 0) return null;
  return (
    <section class="my-orders" data-testid="my-orders">
      <h3 class="my-orders-title">{tSheet("myOrders")}</h3>
      <ul>
        {orders.map((order) => (
          <li key={order.id}>
            <a class="my-order" data-testid="my-order" data-order-id={order.id} href={`/o/${encodeURIComponent(order.id)}`} target="_blank" rel="noopener">
              <span class="my-order-number">{tSheet("myOrderNumber", { number: order.number ?? "…" })}</span>
              <span class="my-order-item">
                {order.title}
                {order.quantity ? ` × ${order.quantity}` : ""}
              </span>
              {order.totalCents !== undefined && order.currency && (
                <span class="price">{formatPrice(order.totalCents, order.currency, lang.value)}</span>
              )}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
