/**
 * The words of the show's page before it starts, in English and Simplified
 * Chinese: a section of its own, in the pre-live chunk (both languages), so
 * that a live show's viewers never download them.
 */
import { commonText, section, translator } from "../i18n.ts";

export const preLiveText = /* @__PURE__ */ section(
  {
    startsIn: "Starts in",
    countdownDays: "days",
    countdownHours: "hrs",
    countdownMinutes: "min",
    countdownSeconds: "sec",
    startingNow: "Starting any moment…",
    hostOnTheWay: "The host is on the way",
    hostOnTheWayNote: "The show will start here as soon as they go live. Stay on this page.",
    turnsLive: "This page turns live by itself when the show starts.",
    hostedBy: "Hosted by",
    aboutShow: "About the show",
    productsTitle: "What's in the show",
    productsCount: "{count} products",
    productsEmpty: "The products for this show are still being picked.",
    optionsCount: "{count} options",
    viewProduct: "See {title}",
    trailerLabel: "Trailer of {title}",
    coverLabel: "Cover of {title}",
    scheduledBadge: "Upcoming",
    waiting: "{count} waiting",
  },
  {
    startsIn: "距开播",
    countdownDays: "天",
    countdownHours: "时",
    countdownMinutes: "分",
    countdownSeconds: "秒",
    startingNow: "马上开始…",
    hostOnTheWay: "主播正在赶来",
    hostOnTheWayNote: "主播一开播，直播就会在这里开始。请留在此页面。",
    turnsLive: "开播时此页面会自动进入直播。",
    hostedBy: "主播",
    aboutShow: "直播介绍",
    productsTitle: "本场商品",
    productsCount: "{count} 件商品",
    productsEmpty: "本场商品还在挑选中。",
    optionsCount: "{count} 种规格",
    viewProduct: "查看{title}",
    trailerLabel: "{title} 预告片",
    coverLabel: "{title} 封面",
    scheduledBadge: "预告",
    waiting: "{count} 人在等",
  },
);

export const tPreLive = /* @__PURE__ */ translator(commonText, preLiveText);
