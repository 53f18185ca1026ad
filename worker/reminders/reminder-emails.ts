/**
 * The emails of "Remind me", as pure functions returning `{to, subject,
 * text, html, headers?}`, in the RSVP's language (English or Simplified
 * Chinese): the confirmation (double opt-in), the reminder 15 minutes before
 * the start, "we're live", "the product you asked about is on", and the
 * host's own reminder 10 minutes before. Every email to a viewer after the
 * confirmation carries a one-click unsubscribe (RFC 8058: `List-Unsubscribe`
 * with `List-Unsubscribe-Post`, and a link in the body). Tokens ride in the
 * fragment of the links a person opens; the one-click URL, which mail
 * clients POST to without a page, has to carry its token in the query.
 */
import { emailLang, escapeHtml } from "../fulfilment/order-emails.ts";
import type { Email } from "../email/send-email.ts";

type Lang = "en" | "zh-CN";

const WORDS = {
  en: {
    confirmSubject: "Confirm your reminder · {show}",
    confirmLead: "You asked {shop} to remind you of the live show “{show}” ({when}).",
    confirmProductLead: "You asked {shop} to tell you when “{product}” is on in the live show “{show}” ({when}).",
    confirmAction: "Yes, remind me",
    confirmNote: "If you did not ask for this, ignore this email: nothing will be sent.",
    soonSubject: "Starting in 15 minutes: {show}",
    soonLead: "“{show}” by {shop} starts at {when}.",
    liveSubject: "We're live: {show}",
    liveLead: "“{show}” by {shop} has started. Come and shop along!",
    productSubject: "On now: {product} · {show}",
    productLead: "“{product}”, which you asked about, is on now in “{show}” by {shop}.",
    watch: "Watch the show",
    seeProduct: "See it in the show",
    unsubscribe: "Stop these reminders",
    why: "You get this because you asked for a reminder of this show.",
    hostSubject: "Your show starts in 10 minutes: {show}",
    hostLead: "“{show}” starts at {when}. Open the studio to go live on time.",
    openStudio: "Open the studio",
  },
  "zh-CN": {
    confirmSubject: "确认你的提醒 · {show}",
    confirmLead: "你请 {shop} 在直播“{show}”（{when}）开始前提醒你。",
    confirmProductLead: "你请 {shop} 在直播“{show}”（{when}）讲到“{product}”时通知你。",
    confirmAction: "是的，提醒我",
    confirmNote: "如果不是你本人申请的，请忽略这封邮件：我们不会再发送任何邮件。",
    soonSubject: "15 分钟后开播：{show}",
    soonLead: "{shop} 的“{show}”将于 {when} 开播。",
    liveSubject: "正在直播：{show}",
    liveLead: "{shop} 的“{show}”已经开播，快来边看边买！",
    productSubject: "正在讲解：{product} · {show}",
    productLead: "你关注的“{product}”正在 {shop} 的“{show}”中讲解。",
    watch: "观看直播",
    seeProduct: "在直播中查看",
    unsubscribe: "不再接收这些提醒",
    why: "你收到这封邮件，是因为你申请了这场直播的提醒。",
    hostSubject: "你的直播 10 分钟后开始：{show}",
    hostLead: "“{show}”将于 {when} 开始。请打开直播间，准时开播。",
    openStudio: "打开直播间",
  },
} as const satisfies Record<Lang, Record<string, string>>;
type Key = keyof (typeof WORDS)["en"];

/** What the emails of one RSVP say and where they point. */
export type RsvpEmailContext = {
  to: string;
  locale: string | null;
  timeZone: string | null;
  origin: string;
  show: { roomId: string; title: string; startsAt: string | null; shopName: string };
  product?: { id: string; title: string } | null;
};

/** A start time in the reader's zone and language, with the zone named ("Tue, Dec 1, 8:00 PM GMT+8"). */
export function formatWhen(iso: string | null, lang: Lang, timeZone: string | null): string {
  if (!iso) return "";
  const options: Intl.DateTimeFormatOptions = { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" };
  try {
    return new Date(iso).toLocaleString(lang, { ...options, timeZone: timeZone ?? "UTC" });
  } catch {
    return new Date(iso).toLocaleString(lang, { ...options, timeZone: "UTC" });
  }
}

/** A message being written: text lines and the same as HTML paragraphs, user text escaped. */
function compose(lang: Lang, blocks: Array<string | { label: string; href: string }>) {
  const text = blocks.map((b) => (typeof b === "string" ? b : `${b.label}: ${b.href}`)).join("\n\n") + "\n";
  const body = blocks.map((b) => (typeof b === "string" ? `<p>${escapeHtml(b)}</p>` : `<p><a href="${escapeHtml(b.href)}">${escapeHtml(b.label)}</a></p>`)).join("");
  return { text, html: `<!doctype html><html lang="${lang}"><body>${body}</body></html>` };
}

function words(ctx: { locale: string | null }) {
  const lang = emailLang(ctx.locale);
  const t = (key: Key, values: Record<string, string> = {}) => WORDS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");
  return { lang, t };
}

const values = (ctx: RsvpEmailContext, lang: Lang) => ({
  show: ctx.show.title,
  shop: ctx.show.shopName,
  when: formatWhen(ctx.show.startsAt, lang, ctx.timeZone),
  product: ctx.product?.title ?? "",
});

export const viewerLink = (origin: string, roomId: string, productId?: string | null) =>
  `${origin}/r/${roomId}${productId ? `#product=${encodeURIComponent(productId)}` : ""}`;

/** The double opt-in: the link opens /remind with the token in its fragment; that page confirms with a POST. */
export function rsvpConfirmationEmail(ctx: RsvpEmailContext, token: string): Email {
  const { lang, t } = words(ctx);
  const v = values(ctx, lang);
  const content = compose(lang, [
    ctx.product ? t("confirmProductLead", v) : t("confirmLead", v),
    { label: t("confirmAction"), href: `${ctx.origin}/remind#confirm=${encodeURIComponent(token)}` },
    t("confirmNote"),
  ]);
  return { to: ctx.to, subject: t("confirmSubject", v), ...content };
}

export type ReminderKind = "soon" | "live" | "product";

/** A reminder to a confirmed RSVP, with its one-click unsubscribe. */
export function reminderEmail(ctx: RsvpEmailContext, kind: ReminderKind, unsubscribeToken: string): Email {
  const { lang, t } = words(ctx);
  const v = values(ctx, lang);
  const oneClick = `${ctx.origin}/api/rsvps/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`;
  const subject = kind === "soon" ? t("soonSubject", v) : kind === "live" ? t("liveSubject", v) : t("productSubject", v);
  const lead = kind === "soon" ? t("soonLead", v) : kind === "live" ? t("liveLead", v) : t("productLead", v);
  const content = compose(lang, [
    lead,
    { label: kind === "product" ? t("seeProduct") : t("watch"), href: viewerLink(ctx.origin, ctx.show.roomId, kind === "product" ? ctx.product?.id : null) },
    t("why"),
    { label: t("unsubscribe"), href: `${ctx.origin}/remind#unsubscribe=${encodeURIComponent(unsubscribeToken)}` },
  ]);
  return {
    to: ctx.to,
    subject,
    ...content,
    headers: { "List-Unsubscribe": `<${oneClick}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

/** The assigned host's reminder, 10 minutes before the start. */
export function hostReminderEmail(ctx: Omit<RsvpEmailContext, "product">): Email {
  const { lang, t } = words(ctx);
  const v = values(ctx, lang);
  const content = compose(lang, [t("hostLead", v), { label: t("openStudio"), href: `${ctx.origin}/studio/${ctx.show.roomId}` }]);
  return { to: ctx.to, subject: t("hostSubject", v), ...content };
}
