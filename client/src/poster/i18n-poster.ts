/** The words of a show's poster for the shop window (/console/poster/…), in English and Simplified Chinese. */
import { commonText, section, translator } from "../i18n.ts";

export const posterText = /* @__PURE__ */ section(
  {
    posterTitle: "Poster",
    back: "Back to the console",
    paper: "Paper",
    referral: "Referral code in the QR code",
    noReferral: "None",
    referralHint: "Scans count for this code, like its share link. Add codes (one per store or staff member) under Referral codes.",
    print: "Print",
    loading: "Loading…",
    signedOut: "Sign in to the console to print a poster.",
    signIn: "Sign in",
    forbidden: "Only the shop's owner or a manager can print its posters.",
    failed: "Couldn't load the show: {message}",
    liveShopping: "Live shopping",
    scanToWatch: "Scan to watch live and shop",
    noStart: "Start time to be announced",
    qrLabel: "QR code of the link to {show}",
  },
  {
    posterTitle: "海报",
    back: "返回控制台",
    paper: "纸张",
    referral: "二维码中的推广码",
    noReferral: "不使用",
    referralHint: "扫码进入的订单记在这个推广码名下，与它的分享链接相同。可在“推广码”中为每家门店或每位员工添加推广码。",
    print: "打印",
    loading: "加载中…",
    signedOut: "请先登录控制台再打印海报。",
    signIn: "登录",
    forbidden: "只有店主或经理可以打印本店的海报。",
    failed: "无法加载直播：{message}",
    liveShopping: "直播购物",
    scanToWatch: "扫码观看直播，边看边买",
    noStart: "开播时间待定",
    qrLabel: "{show} 的链接二维码",
  },
);

export const tPoster = /* @__PURE__ */ translator(commonText, posterText);
