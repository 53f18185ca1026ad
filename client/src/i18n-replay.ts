/**
 * The replay player's words, in English and Simplified Chinese: a section
 * of its own, in the chunk only an ended show's viewers fetch.
 */
import { commonText, section, translator } from "./i18n.ts";

export const replayText = /* @__PURE__ */ section(
  {
    replayBadge: "Replay",
    replayLoading: "Loading the replay…",
    replayFailed: "The replay could not be loaded. Check your connection and try again.",
    replayRetry: "Try again",
    play: "Play",
    pause: "Pause",
    back10: "Back 10 seconds",
    forward10: "Forward 10 seconds",
    seekLabel: "Position in the show",
    chapters: "Products in this show",
    chapterAt: "{title} at {time}",
    hideChat: "Hide chat",
    showChat: "Show chat",
    share: "Share this moment",
    shareShort: "Share",
    linkCopied: "Link to this moment copied",
    reconnecting: "Reconnecting…",
    dealInShow: "Flash deal in the show",
    dealEndedNote: "The deal has ended: buying now is at the regular price.",
    soldOutToday: "Sold out now",
    todayPrice: "Now {price}",
    heartsLabel: "Hearts during the show",
  },
  {
    replayBadge: "回放",
    replayLoading: "正在加载回放…",
    replayFailed: "回放加载失败。请检查网络后重试。",
    replayRetry: "重试",
    play: "播放",
    pause: "暂停",
    back10: "后退 10 秒",
    forward10: "前进 10 秒",
    seekLabel: "直播进度",
    chapters: "本场商品",
    chapterAt: "{title}，{time}",
    hideChat: "隐藏聊天",
    showChat: "显示聊天",
    share: "分享此刻",
    shareShort: "分享",
    linkCopied: "已复制此刻的链接",
    reconnecting: "正在重新连接…",
    dealInShow: "直播中的限时特价",
    dealEndedNote: "特价已结束：现在购买按原价。",
    soldOutToday: "现已售罄",
    todayPrice: "现价 {price}",
    heartsLabel: "直播中的点赞",
  },
);

/** The replay's own words; the viewer page's (sold out, buy now, the show ended) stay tViewer's. */
export const tReplay = /* @__PURE__ */ translator(commonText, replayText);
