/** The words of the shop's public page (/s/{slug}), in English and Simplified Chinese. */
import { commonText, section, translator } from "../i18n.ts";

export const shopPageText = /* @__PURE__ */ section(
  {
    liveNow: "Live now",
    watchNow: "Watch now",
    upcoming: "Coming up",
    past: "Past shows",
    startsIn: "Starts in {clock}",
    startsInDays: "Starts in {days} d {clock}",
    startingNow: "Starting any moment",
    noStart: "Start time to be announced",
    watchReplay: "Watch the replay of {title}",
    ended: "Ended",
    noShows: "No shows planned yet. Check back soon.",
    loading: "Loading…",
    loadFailed: "Couldn't load this shop's shows: {message}",
    retry: "Try again",
    openShow: "Open the show",
    shopShows: "Live shopping with {shop}",
  },
  {
    liveNow: "正在直播",
    watchNow: "立即观看",
    upcoming: "即将开播",
    past: "往期直播",
    startsIn: "{clock} 后开播",
    startsInDays: "{days} 天 {clock} 后开播",
    startingNow: "马上开始",
    noStart: "开播时间待定",
    watchReplay: "观看「{title}」的回放",
    ended: "已结束",
    noShows: "还没有安排直播，敬请期待。",
    loading: "加载中…",
    loadFailed: "无法加载本店的直播：{message}",
    retry: "重试",
    openShow: "打开直播",
    shopShows: "{shop} 的直播购物",
  },
);

export const tShop = /* @__PURE__ */ translator(commonText, shopPageText);
