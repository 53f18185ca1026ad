/** The embed's own words (the player reuses the viewer page's): a section in its player chunk. */
import { commonText, section, translator } from "../i18n.ts";

export const embedText = /* @__PURE__ */ section(
  {
    closeMiniPlayer: "Close the mini-player",
    backToPlayer: "Back to the show",
    noShow: "No show to watch here yet.",
    showNotFound: "This show doesn't exist.",
    watchOnSite: "Open the show",
  },
  {
    closeMiniPlayer: "关闭小窗播放",
    backToPlayer: "回到直播",
    noShow: "这里还没有可观看的直播。",
    showNotFound: "这场直播不存在。",
    watchOnSite: "打开直播间",
  },
);

export const tEmbed = /* @__PURE__ */ translator(commonText, embedText);
