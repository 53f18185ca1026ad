/**
 * Link previews and structured data, written into the head of a show's page
 * (/r/{id}) and a shop's page (/s/{slug}) by the Worker, from D1: Open Graph
 * and Twitter card tags (what chat apps show for a shared link) and a
 * schema.org JSON-LD block (an Event with its BroadcastEvent per show, for
 * search engines). HTML, not script: the viewer page's budget does not
 * grow, and nothing runs. Every value from a user is escaped.
 */
import { escapeHtml } from "../fulfilment/order-emails.ts";
import type { Lang } from "../visitor-lang.ts";
import type { PublicShow } from "./shows.ts";

/** The image a preview shows when a show has no cover and no product photo (client/public). */
export const DEFAULT_IMAGE = "/og-default.png";

const WORDS = {
  en: {
    show: (shop: string, time: string | null) => (time ? `A live shopping show by ${shop}, ${time}. Watch, chat and buy live.` : `A live shopping show by ${shop}. Watch, chat and buy live.`),
    shop: (shop: string, upcoming: number) => (upcoming ? `${shop}'s live shopping shows: ${upcoming} coming up. Watch, chat and buy live.` : `${shop}'s live shopping shows. Watch, chat and buy live.`),
    starts: "Starts",
    liveNow: "Live now",
    locale: "en_US",
  },
  "zh-CN": {
    show: (shop: string, time: string | null) => (time ? `${shop} 的直播购物，${time}。边看边聊边买。` : `${shop} 的直播购物。边看边聊边买。`),
    shop: (shop: string, upcoming: number) => (upcoming ? `${shop} 的直播购物：${upcoming} 场即将开播。边看边聊边买。` : `${shop} 的直播购物。边看边聊边买。`),
    starts: "开播时间",
    liveNow: "正在直播",
    locale: "zh_CN",
  },
} as const;

/**
 * A start as a preview says it. A crawler says nothing of its reader's
 * time zone, so the zone is named (UTC); the page itself shows the
 * visitor's own.
 */
export function previewTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, {
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  }).format(new Date(iso));
}

/**
 * JSON inside <script type="application/ld+json">: no "<" (so no "</script>"
 * nor "<!--"), ">" or "&" can appear as such; JSON.parse reads it back the same.
 */
export function jsonLd(data: unknown): string {
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `<script type="application/ld+json">${json}</script>`;
}

type Card = { title: string; description: string; image: string; url: string; type: "website" | "video.other"; lang: Lang; extra?: Array<[string, string]> };

function cardTags(card: Card): string {
  const tag = (attr: "property" | "name", key: string, value: string) => `<meta ${attr}="${key}" content="${escapeHtml(value)}">`;
  return [
    `<link rel="canonical" href="${escapeHtml(card.url)}">`,
    tag("name", "description", card.description),
    tag("property", "og:site_name", "shop-along"),
    tag("property", "og:type", card.type),
    tag("property", "og:title", card.title),
    tag("property", "og:description", card.description),
    tag("property", "og:image", card.image),
    tag("property", "og:image:alt", card.title),
    tag("property", "og:url", card.url),
    tag("property", "og:locale", WORDS[card.lang].locale),
    tag("name", "twitter:card", "summary_large_image"),
    tag("name", "twitter:title", card.title),
    tag("name", "twitter:description", card.description),
    tag("name", "twitter:image", card.image),
    ...(card.extra ?? []).map(([key, value]) => tag(key.startsWith("twitter:") ? "name" : "property", key, value)),
  ].join("");
}

/** A preview's description: the show's own, shortened, else one made of its shop and start. */
const shorten = (text: string, max = 200) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

type ShopRef = { name: string; slug: string };

/** The schema.org nodes of one show: the Event and its live BroadcastEvent. */
export function showNodes(show: PublicShow, shop: ShopRef, origin: string): object[] {
  const event = `${show.viewerLink}#event`;
  const image = show.imageUrl ? { image: [show.imageUrl] } : {};
  const start = show.startsAt ? { startDate: show.startsAt } : {};
  return [
    {
      "@type": "Event",
      "@id": event,
      name: show.title,
      ...(show.description ? { description: show.description } : {}),
      ...start,
      eventStatus: "https://schema.org/EventScheduled",
      eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode",
      location: { "@type": "VirtualLocation", url: show.viewerLink },
      isAccessibleForFree: true,
      ...image,
      url: show.viewerLink,
      organizer: { "@type": "Organization", name: shop.name, url: `${origin}/s/${shop.slug}` },
    },
    {
      "@type": "BroadcastEvent",
      "@id": `${show.viewerLink}#broadcast`,
      name: show.title,
      isLiveBroadcast: true,
      ...start,
      url: show.viewerLink,
      broadcastOfEvent: { "@id": event },
    },
  ];
}

/** The head of a show's page: its title, preview card and structured data. */
export function showHead(show: PublicShow, shop: ShopRef, origin: string, lang: Lang): { title: string; head: string } {
  const words = WORDS[lang];
  const time = show.startsAt ? previewTime(show.startsAt, lang) : null;
  const extra: Array<[string, string]> = show.startsAt ? [["event:start_time", show.startsAt]] : [];
  if (show.status === "live") extra.push(["twitter:label1", words.liveNow], ["twitter:data1", shop.name]);
  else if (time && show.status === "scheduled") extra.push(["twitter:label1", words.starts], ["twitter:data1", time]);
  const card = cardTags({
    title: show.title,
    description: shorten(show.description ?? words.show(shop.name, show.status === "scheduled" ? time : null)),
    image: show.imageUrl ?? `${origin}${DEFAULT_IMAGE}`,
    url: show.viewerLink,
    type: "video.other",
    lang,
    extra,
  });
  return { title: `${show.title} · ${shop.name}`, head: card + jsonLd({ "@context": "https://schema.org", "@graph": showNodes(show, shop, origin) }) };
}

/** The head of a shop's page: its preview card, and its upcoming (and live) shows as events. */
export function shopHead(shop: ShopRef, shows: { live: PublicShow[]; upcoming: PublicShow[] }, origin: string, lang: Lang): { title: string; head: string } {
  const url = `${origin}/s/${shop.slug}`;
  const next = [...shows.live, ...shows.upcoming];
  const card = cardTags({
    title: shop.name,
    description: WORDS[lang].shop(shop.name, shows.upcoming.length),
    image: next.find((show) => show.imageUrl)?.imageUrl ?? `${origin}${DEFAULT_IMAGE}`,
    url,
    type: "website",
    lang,
  });
  const graph = [{ "@type": "Organization", "@id": `${url}#shop`, name: shop.name, url }, ...next.flatMap((show) => showNodes(show, shop, origin))];
  return { title: shop.name, head: card + jsonLd({ "@context": "https://schema.org", "@graph": graph }) };
}

/** Writes a page's title and preview into its head. */
export function withPreview(response: Response, preview: { title: string; head: string }): Response {
  return new HTMLRewriter()
    .on("title", { element: (title) => void title.setInnerContent(`${preview.title} · shop-along`) })
    .on("head", { element: (head) => void head.append(preview.head, { html: true }) })
    .transform(response);
}
