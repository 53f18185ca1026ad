/** The email to a shop's owner when one of its webhook endpoints was disabled after failing for a day, in English or Simplified Chinese. */
import type { Email } from "../email/send-email.ts";
import { emailLang, escapeHtml } from "../fulfilment/order-emails.ts";

const WORDS = {
  en: {
    subject: "Webhook endpoint disabled · {shop}",
    lead: "Every delivery to your webhook endpoint {url} has failed since {since}, so we disabled it. Events that happen while it is disabled are not sent to it.",
    action: "Fix the receiver, then enable the endpoint again in the console (Webhooks); its log shows each attempt and answer.",
  },
  "zh-CN": {
    subject: "Webhook 端点已停用 · {shop}",
    lead: "自 {since} 起，发往你的 Webhook 端点 {url} 的每次投递都失败了，因此我们已将其停用。停用期间发生的事件不会发送给它。",
    action: "请修复接收端，然后在控制台（Webhooks）中重新启用该端点；其日志显示每次尝试及响应。",
  },
} as const;

export function disabledEmail(ctx: { to: string; locale: string | null; shopName: string; url: string; since: number; origin: string }): Email {
  const lang = emailLang(ctx.locale);
  const w = WORDS[lang];
  const fill = (text: string, escape = (s: string) => s) =>
    text.replace("{shop}", escape(ctx.shopName)).replace("{url}", escape(ctx.url)).replace("{since}", escape(new Date(ctx.since).toISOString().slice(0, 16).replace("T", " ") + " UTC"));
  const link = ctx.origin ? `${ctx.origin}/console` : "";
  const text = [fill(w.lead), "", w.action, ...(link ? ["", link] : [])].join("\n");
  const html = `<p>${fill(w.lead, escapeHtml)}</p><p>${escapeHtml(w.action)}</p>${link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : ""}`;
  return { to: ctx.to, subject: fill(w.subject), text, html };
}
