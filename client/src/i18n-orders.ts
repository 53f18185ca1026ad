/**
 * The words of buying, in English and Simplified Chinese: the checkout sheet,
 * the order confirmation, the order page and order statuses (which the studio
 * shows too). A section of the catalogue in i18n.ts, kept in its own module
 * so that the viewer page fetches these words with the checkout, on the first
 * "Buy now", instead of on every visit.
 */
import type { Order, OrderStatus } from "../../durable-objects/protocol.ts";
import { commonText, errorText, section, translator } from "./i18n.ts";

export const ordersText = /* @__PURE__ */ section(
  {
    checkoutTitle: "Checkout",
    quantity: "Quantity",
    fewer: "One fewer",
    more: "One more",
    yourDetails: "Your details",
    buyerName: "Full name",
    buyerEmail: "Email",
    buyerPhone: "Phone (optional)",
    delivery: "Delivery",
    shipping: "Ship to me",
    pickup: "Pick up in store",
    pickupNote: "We'll keep it for you at the store.",
    addressLine1: "Street address",
    addressLine2: "Apartment, suite (optional)",
    city: "City",
    postalCode: "Postal code",
    region: "State / province (optional)",
    country: "Country or region",
    price: "Price",
    dealPriceNote: "Flash deal price",
    dealLimitNote: "Limit {limit} per buyer at the deal price",
    total: "Total",
    placeOrder: "Place order",
    placingOrder: "Placing your order…",
    retrying: "Connection lost. Retrying…",
    tryAgain: "Try again",
    errSoldOut: "Sold out: the last units just went.",
    errChooseVariant: "Choose your {options} first.",
    chipSoldOut: "Sold out",
    errVariant: "That choice is no longer on sale here: choose another and try again.",
    photosOf: "Photos of {title}",
    photoNumber: "{title}, photo {n} of {total}",
    errNotEnough: "Only {count} left. Lower the quantity and try again.",
    errDealLimit: "You've reached this flash deal's limit per buyer.",
    errDealLimitOf: "This flash deal is limited to {limit} per buyer, and this email has reached it.",
    errShowEnded: "The show has ended, so orders are closed.",
    errProductGone: "This product is no longer part of the show.",
    errPayment: "Payment is unavailable right now. Please try again in a moment.",
    errInvalid: "Some details aren't valid. Please check them and try again.",
    errKeyReused: "Your order changed while it was being sent. Please place it again.",
    errName: "Enter your name.",
    errEmail: "Enter a valid email address.",
    errAddress: "Enter the street address, city and postal code.",
    orderPlaced: "Order placed!",
    orderNumber: "Order #{number}",
    statusConfirmed: "Confirmed",
    statusAwaiting: "Awaiting payment",
    statusExpired: "Expired",
    statusCancelled: "Cancelled",
    paymentAtPickup: "Pay at pickup",
    paymentOnInvoice: "Pay on invoice: the shop will send you one",
    paymentStripe: "Paid by card",
    paymentPending: "Complete the payment in the tab that opened.",
    payNow: "Pay now",
    orderLink: "Your order link",
    orderLinkNote: "Keep this link to check your order later.",
    openOrder: "Open",
    backToShow: "Back to the show",
    itemLine: "{title} × {quantity}",
    orderPageTitle: "Your order",
    loadingOrder: "Loading your order…",
    orderNotFound: "Order not found",
    orderNotFoundBody: "Check that you opened the whole link you were given.",
    orderNoToken: "This link is missing its key. Open the full order link (it ends with #token=…) you got when you ordered.",
    orderTokenRejected: "This order link's key isn't valid. Open the full link you got when you ordered.",
    item: "Item",
    unitPrice: "Unit price",
    buyer: "Buyer",
    payment: "Payment",
    placedAt: "Placed {time}",
    payBy: "Pay by {time}, or the units go back on sale.",
    shareOrder: "Order link",
  },
  {
    checkoutTitle: "结算",
    quantity: "数量",
    fewer: "减少一件",
    more: "增加一件",
    yourDetails: "你的信息",
    buyerName: "姓名",
    buyerEmail: "邮箱",
    buyerPhone: "手机号（选填）",
    delivery: "收货方式",
    shipping: "快递到家",
    pickup: "到店自提",
    pickupNote: "商品将在门店为你保留。",
    addressLine1: "详细地址",
    addressLine2: "楼栋、门牌号（选填）",
    city: "城市",
    postalCode: "邮政编码",
    region: "省 / 州（选填）",
    country: "国家或地区",
    price: "价格",
    dealPriceNote: "秒杀价",
    dealLimitNote: "秒杀价每人限购 {limit} 件",
    total: "合计",
    placeOrder: "提交订单",
    placingOrder: "正在提交订单…",
    retrying: "网络中断，正在重试…",
    tryAgain: "重试",
    errSoldOut: "已售罄：最后几件刚刚被抢光。",
    errChooseVariant: "请先选择{options}。",
    chipSoldOut: "已售罄",
    errVariant: "该规格已不再销售，请重新选择后再试。",
    photosOf: "{title} 的照片",
    photoNumber: "{title}，第 {n} 张，共 {total} 张",
    errNotEnough: "仅剩 {count} 件，请减少数量后重试。",
    errDealLimit: "你已达到本次秒杀的每人限购数量。",
    errDealLimitOf: "本次秒杀每人限购 {limit} 件，该邮箱已达上限。",
    errShowEnded: "直播已结束，无法再下单。",
    errProductGone: "该商品已不在本场直播中。",
    errPayment: "支付暂时不可用，请稍后再试。",
    errInvalid: "部分信息无效，请检查后重试。",
    errKeyReused: "订单在提交过程中被修改，请重新提交。",
    errName: "请填写姓名。",
    errEmail: "请填写有效的邮箱地址。",
    errAddress: "请填写详细地址、城市和邮政编码。",
    orderPlaced: "下单成功！",
    orderNumber: "订单 #{number}",
    statusConfirmed: "已确认",
    statusAwaiting: "待付款",
    statusExpired: "已过期",
    statusCancelled: "已取消",
    paymentAtPickup: "到店取货时付款",
    paymentOnInvoice: "凭账单付款：商家会把账单发给你",
    paymentStripe: "已银行卡支付",
    paymentPending: "请在新打开的页面中完成付款。",
    payNow: "去付款",
    orderLink: "订单链接",
    orderLinkNote: "保存此链接，之后可随时查看订单。",
    openOrder: "打开",
    backToShow: "返回直播",
    itemLine: "{title} × {quantity}",
    orderPageTitle: "你的订单",
    loadingOrder: "正在加载订单…",
    orderNotFound: "找不到该订单",
    orderNotFoundBody: "请确认打开的是完整的订单链接。",
    orderNoToken: "此链接缺少订单密钥。请打开下单时获得的完整订单链接（以 #token=… 结尾）。",
    orderTokenRejected: "订单链接的密钥无效。请打开下单时获得的完整链接。",
    item: "商品",
    unitPrice: "单价",
    buyer: "买家",
    payment: "付款",
    placedAt: "下单时间：{time}",
    payBy: "请在 {time} 前完成付款，否则商品将重新开售。",
    shareOrder: "订单链接",
  },
);

export const tOrders = /* @__PURE__ */ translator(commonText, ordersText);
export type OrdersKey = Parameters<typeof tOrders>[0];

const statusKeys: Record<OrderStatus, OrdersKey> = {
  confirmed: "statusConfirmed",
  awaiting_payment: "statusAwaiting",
  expired: "statusExpired",
  cancelled: "statusCancelled",
};

export const statusText = (status: OrderStatus): string => tOrders(statusKeys[status]);

/**
 * How an order is paid, in words. Offline (no payment provider set), a
 * picked-up order is paid at the store and a shipped one on invoice; with
 * Stripe, by card.
 */
export function paymentText(order: Order): string {
  if (order.payment === "offline") return tOrders(order.fulfilment.type === "pickup" ? "paymentAtPickup" : "paymentOnInvoice");
  return order.status === "awaiting_payment" ? tOrders("paymentPending") : tOrders("paymentStripe");
}

/** An order refused by the API, in words; codes we do not know keep the server's message. */
export function orderErrorText(code: string, fallback: string): string {
  const keys: Record<string, OrdersKey> = {
    sold_out: "errSoldOut",
    deal_limit_reached: "errDealLimit",
    show_ended: "errShowEnded",
    not_found: "errProductGone",
    payment_unavailable: "errPayment",
    invalid_request: "errInvalid",
    idempotency_key_reused: "errKeyReused",
    variant_required: "errVariant",
    unknown_variant: "errVariant",
  };
  const key = keys[code];
  // Network, rate limits and the rest: the words every page shares.
  return key ? tOrders(key) : errorText(code, fallback);
}
