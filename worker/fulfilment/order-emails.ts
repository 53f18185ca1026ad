/**
 * The emails a buyer gets about an order, as pure functions returning
 * `{to, subject, text, html}`: the confirmation (when the order is
 * confirmed) and a status email when it is shipped or ready for pickup.
 * In English or Simplified Chinese, from the order's language when known,
 * else English. The order page link carries the order's token in its
 * fragment (`#token=`), never in the query: fragments never reach a server.
 *
 * Sending is the email module's job (worker/email/, queue-backed). The
 * confirmation is sent by the show's room through its outbox once the order
 * is confirmed (durable-objects/buyer-emails.ts: at once for offline orders,
 * when Stripe's webhook confirms the others); the status emails by
 * fulfilment/routes.ts when a step moved the order (shipped, ready for pickup).
 */
import type { Address, Order } from "../../durable-objects/protocol.ts";
import { formatPrice } from "../../client/src/format.ts";

export type Email = { to: string; subject: string; text: string; html: string };
type Lang = "en" | "zh-CN";

/** What every message needs to know about the order. */
export type OrderEmailContext = {
  order: Pick<Order, "id" | "number" | "title" | "quantity" | "totalCents" | "currency" | "payment" | "buyer" | "fulfilment">;
  shop: { name: string; contactEmail: string | null; contactPhone: string | null };
  show: { title: string };
  /** The site's origin, e.g. https://shop.example.com. */
  origin: string;
  /** The order's token, when the sender has it (at confirmation): the link then opens the order on any device. */
  token?: string | null;
  /** The order's language (e.g. "zh-CN", or an Accept-Language), if known. */
  language?: string | null;
};

const WORDS = {
  en: {
    hello: "Hello {name},",
    confirmedSubject: "Order #{number} confirmed · {shop}",
    confirmedLead: "Thank you for your order from {shop}'s show “{show}”.",
    shippedSubject: "Order #{number} is on its way · {shop}",
    shippedLead: "Your order from {shop} has been shipped.",
    readySubject: "Order #{number} is ready for pickup · {shop}",
    readyLead: "Your order from {shop} is ready for pickup.",
    item: "Item",
    total: "Total",
    payAtPickup: "Pay at pickup.",
    payOnInvoice: "Pay on invoice: the shop will send you one.",
    paidByCard: "Paid by card.",
    shipTo: "Ships to",
    pickupNote: "Pick up in store: we will email you when it is ready.",
    carrier: "Carrier",
    track: "Track your parcel",
    store: "Store",
    hours: "Opening hours",
    storeLater: "The shop will tell you where and when to pick it up.",
    viewOrder: "View your order",
    linkNote: "Open this link from the email you got when you ordered (or on the device you ordered with).",
    contact: "Questions? Contact {shop}",
  },
  "zh-CN": {
    hello: "{name}，你好：",
    confirmedSubject: "订单 #{number} 已确认 · {shop}",
    confirmedLead: "感谢你在 {shop} 的直播“{show}”中下单。",
    shippedSubject: "订单 #{number} 已发货 · {shop}",
    shippedLead: "你在 {shop} 的订单已发货。",
    readySubject: "订单 #{number} 可以取货了 · {shop}",
    readyLead: "你在 {shop} 的订单已备好，可以到店取货。",
    item: "商品",
    total: "合计",
    payAtPickup: "到店取货时付款。",
    payOnInvoice: "凭账单付款：商家会把账单发给你。",
    paidByCard: "已银行卡支付。",
    shipTo: "收货地址",
    pickupNote: "到店自提：备好后我们会发邮件通知你。",
    carrier: "快递公司",
    track: "查看物流",
    store: "门店",
    hours: "营业时间",
    storeLater: "商家会告诉你取货的地点和时间。",
    viewOrder: "查看订单",
    linkNote: "请在下单时收到的邮件中（或用下单的设备）打开此链接。",
    contact: "有疑问？联系 {shop}",
  },
} as const satisfies Record<Lang, Record<string, string>>;
type Key = keyof (typeof WORDS)["en"];

export const emailLang = (language: string | null | undefined): Lang => (language?.trim().toLowerCase().startsWith("zh") ? "zh-CN" : "en");

/** A message being written: lines of text and the same as HTML paragraphs, user text escaped. */
class Message {
  readonly text: string[] = [];
  readonly html: string[] = [];
  constructor(readonly lang: Lang) {}

  t(key: Key, values: Record<string, string | number> = {}): string {
    return WORDS[this.lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
  }
  para(...lines: string[]): this {
    this.text.push(lines.join("\n"), "");
    this.html.push(`<p>${lines.map(escapeHtml).join("<br>")}</p>`);
    return this;
  }
  link(label: string, href: string): this {
    this.text.push(`${label}: ${href}`, "");
    this.html.push(`<p><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></p>`);
    return this;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function addressLines(a: Address): string[] {
  return [a.line1, a.line2, `${a.postalCode} ${a.city}`, a.region, a.country].filter((line): line is string => Boolean(line?.trim()));
}

function orderLink(ctx: OrderEmailContext): string {
  const page = `${ctx.origin}/o/${encodeURIComponent(ctx.order.id)}`;
  return ctx.token ? `${page}#token=${encodeURIComponent(ctx.token)}` : page;
}

function summary(m: Message, ctx: OrderEmailContext): void {
  const { order } = ctx;
  m.para(
    `${m.t("item")}: ${order.title} × ${order.quantity}`,
    `${m.t("total")}: ${formatPrice(order.totalCents, order.currency, m.lang)}`,
  );
}

function closing(m: Message, ctx: OrderEmailContext): Email {
  m.link(m.t("viewOrder"), orderLink(ctx));
  if (!ctx.token) m.para(m.t("linkNote"));
  const reach = [ctx.shop.contactEmail, ctx.shop.contactPhone].filter((v): v is string => Boolean(v));
  if (reach.length) m.para(m.t("contact", { shop: ctx.shop.name }), ...reach);
  return {
    to: ctx.order.buyer.email,
    subject: "",
    text: m.text.join("\n").trimEnd() + "\n",
    html: `<!doctype html><html lang="${m.lang}"><body>${m.html.join("")}</body></html>`,
  };
}

/** Sent when the order is confirmed (at once with the offline provider; by Stripe's webhook otherwise). */
export function confirmationEmail(ctx: OrderEmailContext): Email {
  const m = new Message(emailLang(ctx.language));
  const { order } = ctx;
  m.para(m.t("hello", { name: order.buyer.name }));
  m.para(m.t("confirmedLead", { shop: ctx.shop.name, show: ctx.show.title }));
  summary(m, ctx);
  // How it is paid, only where it applies (offline: pickup pays in store, shipping on invoice).
  m.para(order.payment === "stripe" ? m.t("paidByCard") : order.fulfilment.type === "pickup" ? m.t("payAtPickup") : m.t("payOnInvoice"));
  if (order.fulfilment.type === "shipping") m.para(`${m.t("shipTo")}:`, ...addressLines(order.fulfilment.address));
  else m.para(m.t("pickupNote"));
  return { ...closing(m, ctx), subject: m.t("confirmedSubject", { number: order.number, shop: ctx.shop.name }) };
}

/** Sent when the shop marks a shipping order shipped. */
export function shippedEmail(ctx: OrderEmailContext & { carrier: string | null; trackingUrl: string | null }): Email {
  const m = new Message(emailLang(ctx.language));
  const { order } = ctx;
  m.para(m.t("hello", { name: order.buyer.name }));
  m.para(m.t("shippedLead", { shop: ctx.shop.name }));
  summary(m, ctx);
  if (ctx.carrier) m.para(`${m.t("carrier")}: ${ctx.carrier}`);
  if (ctx.trackingUrl?.startsWith("https://")) m.link(m.t("track"), ctx.trackingUrl);
  return { ...closing(m, ctx), subject: m.t("shippedSubject", { number: order.number, shop: ctx.shop.name }) };
}

/** Sent when the shop marks a pickup order packed: ready for pickup, with the store's address and hours. */
export function readyForPickupEmail(ctx: OrderEmailContext & { store: { address: Address; hours: string } | null }): Email {
  const m = new Message(emailLang(ctx.language));
  const { order } = ctx;
  m.para(m.t("hello", { name: order.buyer.name }));
  m.para(m.t("readyLead", { shop: ctx.shop.name }));
  summary(m, ctx);
  if (ctx.store) {
    m.para(`${m.t("store")}:`, ...addressLines(ctx.store.address));
    m.para(`${m.t("hours")}:`, ...ctx.store.hours.split("\n"));
  } else {
    m.para(m.t("storeLater"));
  }
  if (order.payment === "offline") m.para(m.t("payAtPickup"));
  return { ...closing(m, ctx), subject: m.t("readySubject", { number: order.number, shop: ctx.shop.name }) };
}
