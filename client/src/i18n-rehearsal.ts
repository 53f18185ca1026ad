/**
 * The words of a show's private rehearsal, in English and Simplified
 * Chinese: the studio's controls and badge, and what the viewer page says
 * (its badge, "not public yet", a test order). A section of its own, in
 * chunks only a rehearsal's pages fetch.
 */
import { commonText, section, translator } from "./i18n.ts";

export const rehearsalText = /* @__PURE__ */ section(
  {
    rehearsalBadge: "Rehearsal",
    rehearse: "Rehearse",
    rehearseNote: "A private run of this show for your team: same products, test orders only.",
    rehearseFailed: "The rehearsal could not start: {message}",
    rehearsalNote: "Only your team can watch this. Orders here are test orders: no real stock, payment or email.",
    rehearseAgain: "Start again",
    backToShow: "Back to the show",
    notPublicTitle: "This show is not public yet",
    notPublicBody: "Its team is rehearsing. Come back when it goes live.",
    startOwnShow: "Start your own show",
    testOrder: "Test order",
    testOrderNote: "A rehearsal's order: it takes no real stock, is not paid for and sends no email.",
  },
  {
    rehearsalBadge: "彩排",
    rehearse: "彩排",
    rehearseNote: "仅团队可见的私密彩排：相同商品，只有测试订单。",
    rehearseFailed: "彩排无法开始：{message}",
    rehearsalNote: "只有团队成员可以观看。这里的订单都是测试订单：不扣真实库存、不付款、不发邮件。",
    rehearseAgain: "重新开始",
    backToShow: "返回正式直播",
    notPublicTitle: "本场直播尚未公开",
    notPublicBody: "团队正在彩排，直播开始后再来吧。",
    startOwnShow: "创建你自己的直播",
    testOrder: "测试订单",
    testOrderNote: "彩排中的订单：不占用真实库存、不付款、不发邮件。",
  },
);

export const tRehearsal = /* @__PURE__ */ translator(commonText, rehearsalText);
