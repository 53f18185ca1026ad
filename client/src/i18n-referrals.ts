/**
 * The words of the shop's referral codes, in English and Simplified Chinese
 * (a section of its own: only the shop's pages use it, never the viewer page).
 */
import { commonText, section, translator } from "./i18n.ts";

export const referralsText = /* @__PURE__ */ section(
  {
    referralsTitle: "Referral codes",
    referralsIntro: "One code per person who shares your shows (a KOL, a customer, your store's staff): what their link sells counts for them.",
    referralCode: "Code",
    referralName: "Who shares it",
    referralCodePlaceholder: "mei",
    referralNamePlaceholder: "Mei Lin (KOL)",
    addReferral: "Add code",
    referralsEmpty: "No codes yet. Add one for each person who shares your shows.",
    referralUnnamed: "Not named (used in a link)",
    referralTotals: "Orders: {orders} · Units: {units} · {revenue}",
    copyLink: "Copy link",
    showQr: "QR code",
    hideQr: "Hide QR",
    qrLabel: "QR code of {name}'s link to {show}",
    deleteReferral: "Delete",
    confirmDeleteReferral: "Delete the code {code}? Orders it brought keep it.",
    referralTaken: "This shop already has that code.",
    referralsFailed: "Couldn't load the referral codes: {message}",
  },
  {
    referralsTitle: "推广码",
    referralsIntro: "为每位分享直播的人（达人、顾客、门店员工）设一个推广码：通过他们链接售出的订单都会记在他们名下。",
    referralCode: "推广码",
    referralName: "分享人",
    referralCodePlaceholder: "mei",
    referralNamePlaceholder: "林美（达人）",
    addReferral: "添加推广码",
    referralsEmpty: "还没有推广码。为每位分享直播的人添加一个。",
    referralUnnamed: "未命名（出现在链接中）",
    referralTotals: "订单 {orders} · 件数 {units} · {revenue}",
    copyLink: "复制链接",
    showQr: "二维码",
    hideQr: "收起二维码",
    qrLabel: "{name} 分享 {show} 的链接二维码",
    deleteReferral: "删除",
    confirmDeleteReferral: "删除推广码 {code}？已带来的订单仍保留该码。",
    referralTaken: "本店已有这个推广码。",
    referralsFailed: "无法加载推广码：{message}",
  },
);

export const tReferrals = /* @__PURE__ */ translator(commonText, referralsText);
