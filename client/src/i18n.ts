/**
 * Every word the pages show, in English and Simplified Chinese.
 *
 * The catalogue is cut into sections (common, viewer, landing, studio) so a
 * page ships only its own words: the viewer page has a hard size budget. The
 * words of buying (checkout, order page, order statuses) are a section of
 * their own in i18n-orders.ts, built with the same `section()` and
 * `translator()`: the viewer page loads them with the checkout, on demand. In
 * each section the Chinese table is typed from the English one, so a key
 * missing from (or extra in) either fails type-checking. Placeholders are
 * {name}; `t()` fills them. The language is the visitor's saved choice, else
 * the first of navigator.languages we have.
 *
 * On the viewer page the build takes the tables of this file out of the
 * script, one JSON file per language (client/catalogues.ts): a visitor
 * downloads only the words of their language. The page then renders once
 * `loadCatalogue()` has them, and `setLang()` fetches the other language's
 * before it switches. Other pages keep both languages in their script, and
 * both functions resolve at once there.
 */
import { effect, signal } from "@preact/signals";
import { origin } from "./origin.ts";

export const LANGS = ["en", "zh-CN"] as const;
export type Lang = (typeof LANGS)[number];

type Section<Key extends string> = Record<Lang, Record<Key, string>>;

/** Sections whose tables the build moved to the catalogue files, by their mark; filled by loadCatalogue(). */
const deferred = new Map<string, Section<string>>();

/** Pairs a section's English table with its Chinese one, which must have exactly the same keys. */
export function section<const En extends Record<string, string>>(
  en: En,
  zhCN: { [Key in keyof En]: string },
): Section<keyof En & string> {
  // In the viewer page's build a call reads section("~catalogue:N"): its tables come with the catalogue files.
  const mark: unknown = en;
  if (typeof mark === "string") {
    const tables: Section<string> = { en: {}, "zh-CN": {} };
    deferred.set(mark, tables);
    return tables;
  }
  return { en, "zh-CN": zhCN };
}

/** Words more than one page uses: connection, roles, errors, stock (the copy button has its own, components/CopyButton.tsx). */
export const commonText = /* @__PURE__ */ section(
  {
    langSwitch: "中文",
    langSwitchLabel: "切换到中文",
    connectionConnecting: "Connecting…",
    connectionOnline: "Connected",
    connectionReconnecting: "Reconnecting…",
    roleHost: "Host",
    roleGuest: "Guest",
    roleModerator: "Mod",
    anonymous: "Viewer",
    close: "Close",
    errorRateLimited: "Slow down, you're sending too fast.",
    errorForbidden: "You're not allowed to do that.",
    errorInvalidMessage: "That couldn't be sent.",
    errorShowEnded: "The show has ended.",
    errorInvalidTransition: "That isn't possible in the show's current state.",
    errorNotFound: "That no longer exists.",
    errorNetwork: "Can't reach the server. Check your connection and try again.",
    errorBanned: "The host has closed the chat to you. You can still watch and shop.",
    errorTimedOut: "You're timed out of the chat for a few minutes.",
    errorSlowMode: "Slow mode is on: wait a moment before your next message.",
    errorBlockedWord: "Not sent: your message contains a word this chat doesn't allow.",
    chatWait: "Your message is kept: you can send it in {seconds} s.",
    chatKept: "Your text is kept.",
    chatTooLong: "Too long: {count} characters over the limit.",
    send: "Send",
    unitsLeft: "{count} left",
    fewLeft: "Only {count} left",
    soldOut: "Sold out",
  },
  {
    langSwitch: "EN",
    langSwitchLabel: "Switch to English",
    connectionConnecting: "连接中…",
    connectionOnline: "已连接",
    connectionReconnecting: "重新连接中…",
    roleHost: "主播",
    roleGuest: "嘉宾",
    roleModerator: "房管",
    anonymous: "观众",
    close: "关闭",
    errorRateLimited: "发送太快了，请稍后再试。",
    errorForbidden: "你没有权限执行此操作。",
    errorInvalidMessage: "无法发送。",
    errorShowEnded: "直播已结束。",
    errorInvalidTransition: "直播当前的状态不允许此操作。",
    errorNotFound: "该内容已不存在。",
    errorNetwork: "无法连接服务器，请检查网络后重试。",
    errorBanned: "主播已禁止你在本场发言，你仍可以观看和购物。",
    errorTimedOut: "你已被禁言几分钟。",
    errorSlowMode: "慢速模式已开启，请稍后再发下一条。",
    errorBlockedWord: "未发送：你的消息含有本场不允许的词。",
    chatWait: "消息已保留，{seconds} 秒后可发送。",
    chatKept: "内容已保留。",
    chatTooLong: "太长了：超出 {count} 个字。",
    send: "发送",
    unitsLeft: "{count} 件可售",
    fewLeft: "仅剩 {count} 件",
    soldOut: "已售罄",
  },
);

/** The viewer and guest page. */
export const viewerText = /* @__PURE__ */ section(
  {
    live: "LIVE",
    stageScheduled: "Starting soon",
    stageLive: "Live now",
    stageGuest: "Guest · camera off",
    stageEnded: "Show ended",
    stageEndedNote: "Thanks for watching!",
    showEnded: "{shop} has ended this show. Thanks for watching!",
    showCancelled: "{shop} has cancelled this show.",
    stageStartsAt: "Starts {time}",
    remindMe: "Remind me",
    remindProduct: "Tell me when this is on",
    remindLoading: "Opening…",
    countdownDays: "{days}d {clock}",
    viewers: "{count} watching",
    chatPlaceholder: "Say something…",
    slowModePlaceholder: "1 msg / {seconds}s",
    chatTimedOut: "You're timed out of the chat · {time} left",
    pinnedMessage: "Pinned",
    namePlaceholder: "Name",
    sendHeart: "Send a heart",
    guestBanner: "You're on as a guest",
    productsButton: "Products in this show",
    productsTitle: "Products in this show",
    productsLoading: "Loading the products…",
    showingNow: "Showing now",
    buyNow: "Buy now",
    checkoutLoading: "Opening checkout…",
    flashDeal: "Flash deal",
    regularPrice: "Regular price {price}",
    loading: "Loading the show…",
    tapToUnmute: "Tap to unmute",
    videoReconnecting: "Video reconnecting…",
    videoRelayDown: "Can't reach the video relay. Retrying…",
    videoNoWebRTC: "This browser can't play live video.",
  },
  {
    live: "直播中",
    stageScheduled: "即将开始",
    stageLive: "正在直播",
    stageGuest: "嘉宾 · 摄像头已关闭",
    stageEnded: "直播已结束",
    stageEndedNote: "感谢观看！",
    showEnded: "{shop} 的这场直播已结束，感谢观看！",
    showCancelled: "{shop} 已取消这场直播。",
    stageStartsAt: "开播时间：{time}",
    remindMe: "提醒我",
    remindProduct: "讲到这件时通知我",
    remindLoading: "正在打开…",
    countdownDays: "{days}天 {clock}",
    viewers: "{count} 人在看",
    chatPlaceholder: "说点什么…",
    slowModePlaceholder: "慢速模式 {seconds}秒",
    chatTimedOut: "你已被禁言 · {time} 后可发言",
    pinnedMessage: "置顶",
    namePlaceholder: "昵称",
    sendHeart: "点赞",
    guestBanner: "你正以嘉宾身份参与",
    productsButton: "本场商品",
    productsTitle: "本场商品",
    productsLoading: "正在加载商品…",
    showingNow: "讲解中",
    buyNow: "立即购买",
    checkoutLoading: "正在打开结算…",
    flashDeal: "限时秒杀",
    regularPrice: "原价 {price}",
    loading: "正在进入直播间…",
    tapToUnmute: "点击开启声音",
    videoReconnecting: "视频重新连接中…",
    videoRelayDown: "无法连接视频中继，正在重试…",
    videoNoWebRTC: "此浏览器无法播放直播视频。",
  },
);

/** The app's 404 page (any path that is not a page, show or order). */
export const notFoundPageText = /* @__PURE__ */ section(
  {
    pageNotFoundTitle: "Page not found",
    pageNotFoundBody: "This link may be mistyped or out of date. Check it, or start from the home page.",
  },
  {
    pageNotFoundTitle: "找不到此页面",
    pageNotFoundBody: "链接可能有误或已失效。请检查链接，或从首页开始。",
  },
);

/** The landing page, where a brand creates its show. */
export const landingText = /* @__PURE__ */ section(
  {
    landingTitle: "Go live and sell in minutes",
    brand: "shop-along",
    landingEyebrow: "Live shopping",
    landingLead: "Name your shop, add what you're selling, and get one link your audience can watch, chat and shop from.",
    landingPoint1: "Live chat and hearts",
    landingPoint2: "Pin a product, viewers buy without leaving",
    landingPoint3: "Works on any phone, no app",
    sectionShop: "Your shop",
    shopName: "Shop name",
    shopNamePlaceholder: "e.g. Lumen Ceramics",
    currency: "Currency",
    sectionShow: "The show",
    showTitle: "Show title",
    showTitlePlaceholder: "e.g. Friday night glaze drop",
    startsAt: "Starts at (optional)",
    sectionProducts: "What you're selling",
    productNumber: "Product {n}",
    productTitle: "Product name",
    productTitlePlaceholder: "e.g. Speckled mug",
    productPrice: "Price ({currency})",
    productImage: "Image link (optional)",
    productStock: "Units for this show",
    productPhoto: "Photo (optional)",
    productPhotoPick: "Take or choose a photo",
    productPhotoChange: "Change photo",
    productPhotoRemove: "Remove photo",
    productPhotoReading: "Preparing the photo…",
    productPhotoPreview: "Photo of product {n}",
    addVariants: "+ Add sizes / colours",
    variantsTitle: "Sizes / colours",
    optionName: "Option {k}",
    optionNamePlaceholder1: "e.g. Size",
    optionNamePlaceholder2: "e.g. Colour",
    optionValues: "Values, separated by commas",
    optionValuesPlaceholder1: "e.g. S, M, L",
    optionValuesPlaceholder2: "e.g. Black, White",
    addOption: "+ Add a second option",
    removeOption: "Remove the second option",
    removeVariants: "No sizes / colours",
    variantUnits: "Units for this show, per variant",
    variantUnitsLabel: "Units of {variant} for this show",
    variantSells: "Sizes / colours this product comes in",
    variantSellsLabel: "Sell {variant}",
    addProduct: "+ Add another product",
    removeProduct: "Remove product {n}",
    createShow: "Create my show",
    creatingShop: "Creating your shop…",
    creatingProducts: "Adding products ({done} of {total})…",
    creatingRoom: "Opening the room…",
    errShopName: "Give your shop a name.",
    errShopNameLong: "Shop names can be up to {max} characters.",
    errShowTitle: "Give your show a title.",
    errShowTitleLong: "Show titles can be up to {max} characters.",
    errProductTitle: "Product {n} needs a name.",
    errProductTitleLong: "Product {n}: names can be up to {max} characters.",
    errProductPrice: "Product {n}: enter a price like {example}.",
    errProductStock: "Product {n}: units must be a whole number from 1 to {max}.",
    errProductImage: "Product {n}: the image link must start with https:// (pages can't show http:// images).",
    errPhoto: "That file isn't a photo this browser can read. Pick a JPEG, PNG or WebP image.",
    errOptionName: "Product {n}: name each option (e.g. Size), up to {max} characters.",
    errOptionNameTwice: "Product {n}: the two options need different names.",
    errOptionValues: "Product {n}: list the values of {option}, separated by commas (each up to {max} characters).",
    errTooManyVariants: "Product {n}: at most {max} combinations of sizes / colours.",
    errVariantStock: "Product {n}: units of {variant} must be a whole number from 0 to {max}.",
    errVariantsNoUnits: "Product {n}: give at least one size / colour some units.",
    errVariantsNone: "Product {n}: keep at least one size / colour.",
    errStartsAtPast: "The start time has already passed. Pick a later time, or leave it empty.",
    errCreate: "Couldn't create the show: {message}",
    resultTitle: "Your show is ready",
    resultLead: "Share the viewer link anywhere. When you're ready, open the studio and go live.",
    viewerLink: "Viewer link",
    viewerLinkNote: "Anyone with this link can watch, chat and shop.",
    qrLabel: "QR code for the viewer link",
    hostLink: "Host studio link",
    hostLinkSave: "Save this link: it is the only way into your studio from another browser or device.",
    hostLinkNote: "Keep it secret, like a password (a password manager is a good place): anyone who has it can run your show.",
    hostLinkKept: "This browser keeps it too: here, the studio opens without it, and this page lists your shows.",
    guestLink: "Guest link",
    guestLinkNote: "For a co-host: their chat messages carry a Guest badge.",
    moderatorLink: "Moderator link",
    moderatorLinkNote: "For someone who helps you run the chat: they can delete messages, time out and ban viewers. Share it privately.",
    openStudio: "Open the studio",
    createAnother: "Create another show",
    startsAtShown: "Starts {time}",
    savedShows: "Shows created in this browser",
    savedShowLinks: "Links",
    savedShowForget: "Forget “{title}” in this browser",
    savedShowForgetConfirm: "Forget “{title}” in this browser? Its studio link will be gone from here; only a copy you saved elsewhere still opens the studio.",
    savedShowsNote: "Their studio links are kept only in this browser. On a shared computer, forget them when you're done.",
    footer: "Open source. Runs on the edge.",
    secureTitle: "Secure your shop with a passkey",
    secureLead: "You're signed in to your shop's console in this browser. Add a passkey to sign in from anywhere later: your face, fingerprint or screen lock, no password.",
    secureEmail: "Email for sign-in links (optional)",
    secureButton: "Add a passkey",
    secureBusy: "Waiting for your device…",
    secureDone: "Your shop is secured with a passkey.",
    secureEmailSent: "We sent a link to {email} to confirm it.",
    secureRecoveryTitle: "Your recovery code",
    secureRecoveryNote: "It signs you in once if you lose your passkey. Save it now (a password manager is a good place): it is shown only this once.",
    secureCancelled: "No passkey was added. Try again when you're ready.",
    secureUnsupported: "This browser can't make passkeys. Open your console on your phone to add one there.",
    secureFailed: "Couldn't add the passkey: {message}",
    openConsole: "Open your console",
  },
  {
    landingTitle: "几分钟开启直播带货",
    brand: "shop-along",
    landingEyebrow: "直播带货",
    landingLead: "填写店铺名称和要卖的商品，获得一个链接：观众点开就能看直播、聊天、下单。",
    landingPoint1: "实时聊天与点赞",
    landingPoint2: "置顶讲解商品，观众边看边买",
    landingPoint3: "手机直接打开，无需下载 App",
    sectionShop: "你的店铺",
    shopName: "店铺名称",
    shopNamePlaceholder: "例如：拾光陶艺",
    currency: "币种",
    sectionShow: "直播",
    showTitle: "直播标题",
    showTitlePlaceholder: "例如：周五晚间新品釉色首发",
    startsAt: "开播时间（可选）",
    sectionProducts: "要卖的商品",
    productNumber: "商品 {n}",
    productTitle: "商品名称",
    productTitlePlaceholder: "例如：斑点马克杯",
    productPrice: "价格（{currency}）",
    productImage: "图片链接（可选）",
    productStock: "本场库存（件）",
    productPhoto: "商品照片（可选）",
    productPhotoPick: "拍照或从相册选择",
    productPhotoChange: "更换照片",
    productPhotoRemove: "移除照片",
    productPhotoReading: "正在处理照片…",
    productPhotoPreview: "商品 {n} 的照片",
    addVariants: "+ 添加尺码 / 颜色",
    variantsTitle: "尺码 / 颜色",
    optionName: "规格 {k}",
    optionNamePlaceholder1: "例如：尺码",
    optionNamePlaceholder2: "例如：颜色",
    optionValues: "可选值，用逗号分隔",
    optionValuesPlaceholder1: "例如：S, M, L",
    optionValuesPlaceholder2: "例如：黑色, 白色",
    addOption: "+ 添加第二个规格",
    removeOption: "移除第二个规格",
    removeVariants: "不分尺码 / 颜色",
    variantUnits: "每个规格的本场库存（件）",
    variantUnitsLabel: "{variant} 的本场库存",
    variantSells: "此商品有的尺码 / 颜色",
    variantSellsLabel: "出售 {variant}",
    addProduct: "+ 再添加一个商品",
    removeProduct: "移除商品 {n}",
    createShow: "创建直播",
    creatingShop: "正在创建店铺…",
    creatingProducts: "正在添加商品（{done}/{total}）…",
    creatingRoom: "正在创建直播间…",
    errShopName: "请填写店铺名称。",
    errShopNameLong: "店铺名称最多 {max} 个字符。",
    errShowTitle: "请填写直播标题。",
    errShowTitleLong: "直播标题最多 {max} 个字符。",
    errProductTitle: "请填写商品 {n} 的名称。",
    errProductTitleLong: "商品 {n}：名称最多 {max} 个字符。",
    errProductPrice: "商品 {n}：请输入价格，例如 {example}。",
    errProductStock: "商品 {n}：库存须为 1 到 {max} 之间的整数。",
    errProductImage: "商品 {n}：图片链接须以 https:// 开头（页面无法显示 http:// 图片）。",
    errPhoto: "无法读取这个文件，请选择 JPEG、PNG 或 WebP 图片。",
    errOptionName: "商品 {n}：请为每个规格命名（例如：尺码），最多 {max} 个字符。",
    errOptionNameTwice: "商品 {n}：两个规格的名称不能相同。",
    errOptionValues: "商品 {n}：请填写 {option} 的可选值，用逗号分隔（每个最多 {max} 个字符）。",
    errTooManyVariants: "商品 {n}：尺码 / 颜色组合最多 {max} 个。",
    errVariantStock: "商品 {n}：{variant} 的库存须为 0 到 {max} 之间的整数。",
    errVariantsNoUnits: "商品 {n}：请至少为一个尺码 / 颜色设置库存。",
    errVariantsNone: "商品 {n}：请至少保留一个尺码 / 颜色。",
    errStartsAtPast: "开播时间已过，请选择之后的时间，或留空。",
    errCreate: "创建失败：{message}",
    resultTitle: "直播已创建",
    resultLead: "把观众链接分享到任何地方。准备好后，进入主播后台开始直播。",
    viewerLink: "观众链接",
    viewerLinkNote: "任何人都可以通过此链接观看、聊天和购买。",
    qrLabel: "观众链接二维码",
    hostLink: "主播后台链接",
    hostLinkSave: "请保存此链接：这是从其他浏览器或设备进入主播后台的唯一方式。",
    hostLinkNote: "请像密码一样保密（可存入密码管理器）：持有它的人可以控制你的直播。",
    hostLinkKept: "此浏览器也会记住它：在这里无需链接即可进入主播后台，本页面也会列出你的直播。",
    guestLink: "嘉宾链接",
    guestLinkNote: "发给联合主播：他们的聊天消息会带有“嘉宾”标识。",
    moderatorLink: "房管链接",
    moderatorLinkNote: "发给帮你管理聊天的人：可以删除消息、禁言观众。请私下发送。",
    openStudio: "进入主播后台",
    createAnother: "再创建一场直播",
    startsAtShown: "开播时间：{time}",
    savedShows: "在此浏览器创建的直播",
    savedShowLinks: "链接",
    savedShowForget: "在此浏览器中移除“{title}”",
    savedShowForgetConfirm: "确定在此浏览器中移除“{title}”吗？此处将不再保存它的后台链接，只有你另外保存的链接还能进入主播后台。",
    savedShowsNote: "这些直播的后台链接只保存在此浏览器中。在公用电脑上，用完后请将它们移除。",
    footer: "开源项目，运行在边缘网络上。",
    secureTitle: "用通行密钥保护你的店铺",
    secureLead: "你已在此浏览器登录店铺控制台。添加通行密钥后，以后在任何地方都能登录：用面容、指纹或屏幕锁，无需密码。",
    secureEmail: "接收登录链接的邮箱（可选）",
    secureButton: "添加通行密钥",
    secureBusy: "正在等待你的设备…",
    secureDone: "你的店铺已由通行密钥保护。",
    secureEmailSent: "已向 {email} 发送确认链接。",
    secureRecoveryTitle: "你的恢复码",
    secureRecoveryNote: "丢失通行密钥时，可用它登录一次。请立即保存（密码管理器是个好地方）：它只显示这一次。",
    secureCancelled: "未添加通行密钥。准备好后再试一次。",
    secureUnsupported: "此浏览器无法创建通行密钥。请在手机上打开控制台添加。",
    secureFailed: "添加通行密钥失败：{message}",
    openConsole: "打开控制台",
  },
);

/** The host studio. */
export const studioText = /* @__PURE__ */ section(
  {
    studioTitle: "Studio",
    brand: "shop-along",
    studioLoading: "Opening the studio…",
    studioNotFound: "This show doesn't exist. Check the studio link.",
    statusScheduled: "Scheduled",
    statusLive: "Live",
    statusEnded: "Ended",
    scheduledFor: "Scheduled for {time}",
    dueSoon: "You're on soon: going live in",
    dueSoonNote: "Viewers expect you at {time}. Check your camera and microphone, then Go live.",
    startsNow: "It's time: go live now",
    lateBy: "You are {minutes} minutes late",
    lateByOne: "You are 1 minute late",
    lateNote: "The show was due at {time} and viewers are waiting. Go live when you're ready.",
    goLive: "Go live",
    endShow: "End show",
    confirmEnd: "End the show for everyone? This can't be undone.",
    statWatching: "Watching",
    statHearts: "Hearts",
    studioProducts: "Products",
    pin: "Pin",
    unpin: "Unpin",
    pinned: "Pinned",
    studioChat: "Chat",
    chatEmpty: "No messages yet.",
    deleteMessage: "Delete",
    hostChatPlaceholder: "Chat as the host…",
    moderatorChatPlaceholder: "Chat as a moderator…",
    moderationTitle: "Moderation",
    moderatorPage: "Moderation",
    pinMessage: "Pin",
    unpinMessage: "Unpin",
    pinnedMessage: "Pinned",
    timeoutViewer: "Time out 5 min",
    banViewer: "Ban",
    unbanViewer: "Unban",
    badgeBanned: "Banned",
    badgeTimedOut: "Timed out",
    slowMode: "Slow mode",
    slowModeOff: "Off",
    slowModeSeconds: "{seconds} s",
    blockedWords: "Blocked words ({count})",
    blockedWordsNote: "Separate with commas. A viewer's message containing one isn't sent: only they are told why. Whole words; in Chinese and Japanese, anywhere in the message.",
    blockedWordsPlaceholder: "e.g. scam, fake giveaway",
    saveWords: "Save",
    errBlockedWords: "Up to {max} words, each up to {length} characters.",
    restrictedTitle: "Kept out of the chat ({count})",
    restrictedEmpty: "Nobody is banned or timed out.",
    restrictedBanned: "Banned from the chat",
    restrictedUntil: "Timed out until {time}",
    moderatorLink: "Invite a moderator",
    moderatorLinkNote: "Whoever opens it can delete messages, time out and ban viewers, and set slow mode and blocked words. They can't run the show.",
    modKeyMissing: "This moderator link has no key, and your console account does not moderate this show. Sign in to the console, or open the full link the host sent you (it ends with #key=mk_…).",
    modKeyRejected: "The moderator key was not accepted. Ask the host for the moderator link again.",
    shareLink: "Viewer link",
    guestLink: "Invite a guest on stage",
    guestLinkNote: "Send this to a co-host only: whoever opens it can join the stage with camera and microphone.",
    guestLinkReplace: "New guest link",
    guestLinkReplaceConfirm: "Replace it: the old link stops working and its guest leaves the stage",
    guestLinkReplaced: "New guest link ready. The old one no longer works.",
    openViewer: "Open viewer page",
    keyMissing: "This browser doesn't have the host key for this show, and your console account does not run it. Sign in to the console with an account this show is assigned to, or open the full studio link you saved when you created the show (it ends with #key=hk_…); this browser then keeps it.",
    studioLink: "Open the studio on another device",
    copyStudioLink: "Copy the studio link",
    studioLinkNote: "Copies this studio's full link. Keep it secret: anyone who has it can run your show.",
    keyRejected: "The host key was not accepted. Check that you opened the full host link for this show.",
    actionFailed: "That didn't work: {message}",
    soldCount: "{count} sold",
    heldCount: "{count} awaiting payment",
    flashDeal: "Flash deal",
    dealPrice: "Deal price ({currency})",
    dealDuration: "Duration (seconds)",
    dealLimit: "Limit per buyer (optional)",
    startDeal: "Start deal",
    cancel: "Cancel",
    dealRunning: "Flash deal running",
    endDeal: "End deal",
    dealLimitShort: "Limit {limit} per buyer",
    dealNeedsLive: "Go live to start a flash deal.",
    dealOneAtATime: "End the running deal to start another.",
    errDealPrice: "Enter a deal price below the regular {price}.",
    errDealDuration: "The duration must be 10 to 300 seconds.",
    errDealLimit: "The limit must be a whole number from 1 to 100.",
    errDealRunning: "A flash deal is already running. End it first.",
    ordersTitle: "Orders",
    ordersEmpty: "No orders yet. They appear here the moment they're placed.",
    ordersSummary: "{count} orders · {total}",
    ordersSummaryOne: "1 order · {total}",
    ordersLoadFailed: "Couldn't load earlier orders: {message}",
    refVia: "via {ref}",
    fulfilPickup: "Pickup",
    fulfilShipping: "Shipping",
    dealOrder: "Deal price",
    wasPrice: "was {price}",
    liveMode: "Live mode",
    leaveLiveMode: "Back to the studio",
    liveNumbers: "Live numbers",
    dealSheetTitle: "Flash deal",
    dealPresetOff: "{percent}% off",
    dealPresetSeconds: "{seconds} s",
    dealPresetMinutes: "{minutes} min",
    dealPriceShort: "Deal price",
    dealDurationShort: "How long",
    startDealNow: "Start: {price} for {time}",
    dealPinsToo: "Viewers see it on the pinned product: it gets pinned too.",
    keepGoing: "Keep going",
  },
  {
    studioTitle: "主播后台",
    brand: "shop-along",
    studioLoading: "正在进入主播后台…",
    studioNotFound: "这场直播不存在，请检查后台链接。",
    statusScheduled: "未开播",
    statusLive: "直播中",
    statusEnded: "已结束",
    scheduledFor: "计划开播：{time}",
    dueSoon: "即将开播，倒计时",
    dueSoonNote: "观众在 {time} 等你。检查好摄像头和麦克风，然后点击开播。",
    startsNow: "时间到了，现在开播吧",
    lateBy: "你已迟到 {minutes} 分钟",
    lateByOne: "你已迟到 1 分钟",
    lateNote: "本场原定 {time} 开播，观众正在等待。准备好就开播吧。",
    goLive: "开始直播",
    endShow: "结束直播",
    confirmEnd: "确定为所有人结束直播吗？此操作无法撤销。",
    statWatching: "在线观众",
    statHearts: "点赞",
    studioProducts: "商品",
    pin: "讲解",
    unpin: "取消讲解",
    pinned: "讲解中",
    studioChat: "聊天",
    chatEmpty: "还没有消息。",
    deleteMessage: "删除",
    hostChatPlaceholder: "以主播身份发言…",
    moderatorChatPlaceholder: "以房管身份发言…",
    moderationTitle: "聊天管理",
    moderatorPage: "房管后台",
    pinMessage: "置顶",
    unpinMessage: "取消置顶",
    pinnedMessage: "已置顶",
    timeoutViewer: "禁言 5 分钟",
    banViewer: "本场禁言",
    unbanViewer: "解除禁言",
    badgeBanned: "本场禁言",
    badgeTimedOut: "禁言中",
    slowMode: "慢速模式",
    slowModeOff: "关闭",
    slowModeSeconds: "{seconds} 秒",
    blockedWords: "屏蔽词（{count}）",
    blockedWordsNote: "用逗号分隔。观众的消息含有屏蔽词时不会发出，只有发送者会看到原因。中文、日文在消息中任意位置出现即匹配，其他语言按整词匹配。",
    blockedWordsPlaceholder: "例如：加微信，免费领",
    saveWords: "保存",
    errBlockedWords: "最多 {max} 个词，每个不超过 {length} 个字符。",
    restrictedTitle: "禁言名单（{count}）",
    restrictedEmpty: "目前没有被禁言的观众。",
    restrictedBanned: "本场禁言",
    restrictedUntil: "禁言至 {time}",
    moderatorLink: "邀请房管",
    moderatorLinkNote: "打开此链接的人可以删除消息、禁言观众、设置慢速模式和屏蔽词，但不能控制直播。",
    modKeyMissing: "此房管链接缺少密钥，你的后台账号也不是这场直播的房管。请登录后台，或打开主播发给你的完整链接（以 #key=mk_… 结尾）。",
    modKeyRejected: "房管密钥无效，请向主播重新索取房管链接。",
    shareLink: "观众链接",
    guestLink: "邀请嘉宾连麦",
    guestLinkNote: "只发给你的嘉宾：打开此链接的人可以用摄像头和麦克风上台。",
    guestLinkReplace: "生成新的嘉宾链接",
    guestLinkReplaceConfirm: "确认更换：旧链接将失效，其嘉宾会离开连麦",
    guestLinkReplaced: "新的嘉宾链接已生成，旧链接已失效。",
    openViewer: "打开观众页面",
    keyMissing: "此浏览器没有这场直播的主播密钥，你的后台账号也没有被分配这场直播。请用被分配的账号登录后台，或打开创建直播时保存的完整后台链接（以 #key=hk_… 结尾），之后此浏览器会记住它。",
    studioLink: "在其他设备上打开主播后台",
    copyStudioLink: "复制后台链接",
    studioLinkNote: "复制本后台的完整链接。请妥善保密：持有它的人可以控制你的直播。",
    keyRejected: "主播密钥无效。请确认打开的是这场直播完整的主播链接。",
    actionFailed: "操作失败：{message}",
    soldCount: "已售 {count} 件",
    heldCount: "{count} 件待付款",
    flashDeal: "限时秒杀",
    dealPrice: "秒杀价（{currency}）",
    dealDuration: "时长（秒）",
    dealLimit: "每人限购（选填）",
    startDeal: "开始秒杀",
    cancel: "取消",
    dealRunning: "秒杀进行中",
    endDeal: "结束秒杀",
    dealLimitShort: "每人限购 {limit} 件",
    dealNeedsLive: "开播后才能开始秒杀。",
    dealOneAtATime: "请先结束正在进行的秒杀，再开始新的。",
    errDealPrice: "请输入低于原价 {price} 的秒杀价。",
    errDealDuration: "时长须为 10 到 300 秒。",
    errDealLimit: "限购须为 1 到 100 之间的整数。",
    errDealRunning: "已有秒杀正在进行，请先结束它。",
    ordersTitle: "订单",
    ordersEmpty: "还没有订单，下单后会立即显示在这里。",
    ordersSummary: "{count} 笔订单 · {total}",
    ordersSummaryOne: "1 笔订单 · {total}",
    ordersLoadFailed: "无法加载之前的订单：{message}",
    refVia: "来自 {ref}",
    fulfilPickup: "到店自提",
    fulfilShipping: "快递",
    dealOrder: "秒杀价",
    wasPrice: "原价 {price}",
    liveMode: "直播模式",
    leaveLiveMode: "返回后台",
    liveNumbers: "实时数据",
    dealSheetTitle: "限时秒杀",
    dealPresetOff: "{zhe} 折",
    dealPresetSeconds: "{seconds} 秒",
    dealPresetMinutes: "{minutes} 分钟",
    dealPriceShort: "秒杀价",
    dealDurationShort: "时长",
    startDealNow: "开始：{price}，{time}",
    dealPinsToo: "观众在讲解中的商品上看到秒杀，所以它也会被设为讲解。",
    keepGoing: "继续直播",
  },
);

const STORAGE_KEY = "shop-along:lang";
/** The saved choice again, for the Worker: it writes the chosen language's words into the viewer page (worker/pages.ts). */
const COOKIE = "lang";

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "en" || saved === "zh-CN") {
      // A choice saved before the cookie existed: from the next visit on, the Worker sends the right words.
      if (!document.cookie.includes(`${COOKIE}=${saved}`)) saveCookie(saved);
      return saved;
    }
  } catch {
    // Storage blocked: fall through to the browser's languages.
  }
  // The Worker reads Accept-Language the same way, from the same browser setting.
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

function saveCookie(next: Lang) {
  document.cookie = `${COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
}

export const lang = signal<Lang>(initialLang());

// The page's own language attribute; the embed must leave the brand's page's alone.
if (!import.meta.env.EMBED) {
  effect(() => {
    document.documentElement.lang = lang.value;
  });
}

const catalogues = new Map<Lang, Promise<void>>();

/**
 * Fetches a language's words if the build moved them out of the script (the
 * viewer page); elsewhere they are in the script and this resolves at once.
 * A failed fetch is forgotten, so the next call tries again.
 */
export function loadCatalogue(which: Lang): Promise<void> {
  if (deferred.size === 0) return Promise.resolve();
  let loading = catalogues.get(which);
  if (!loading) {
    loading = fetchCatalogue(which);
    loading.catch(() => catalogues.delete(which));
    catalogues.set(which, loading);
  }
  return loading;
}

/**
 * A language's words, however long the network takes: a page that has
 * nothing to show without them tries again, more slowly each time.
 */
export async function waitForWords(which: Lang, attempt = 0): Promise<void> {
  try {
    await loadCatalogue(which);
  } catch (error) {
    console.warn("The page's words could not be fetched; trying again.", error);
    await new Promise((resolve) => setTimeout(resolve, Math.min(8000, 1000 * 2 ** attempt)));
    return waitForWords(which, attempt + 1);
  }
}

async function fetchCatalogue(which: Lang): Promise<void> {
  // The visitor's words, written into the page by the Worker (worker/pages.ts); any other language is a file.
  const inline = import.meta.env.EMBED ? null : document.getElementById(`catalogue:${which}`)?.textContent;
  const tables = (inline ? JSON.parse(inline) : await fetchFile(which)) as Record<string, Record<string, string>>;
  for (const [mark, table] of Object.entries(tables)) {
    const target = deferred.get(mark);
    if (target) target[which] = table;
  }
}

async function fetchFile(which: Lang): Promise<unknown> {
  // The embed's are next to its chunks, on the Worker (client/vite.config.ts); a page names its own.
  const url = import.meta.env.EMBED
    ? `${origin}/embed/catalogue-${which}.json`
    : document.querySelector<HTMLMetaElement>(`meta[name="catalogue:${which}"]`)?.content;
  if (!url) throw new Error(`The page names no ${which} catalogue (<meta name="catalogue:${which}">): was it built by client/vite.config.ts?`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The ${which} catalogue answered ${response.status}.`);
  return response.json();
}

/** Switches once the language's words are here; rejects (and stays) if they cannot be fetched. */
export async function setLang(next: Lang): Promise<void> {
  await loadCatalogue(next);
  lang.value = next;
  saveCookie(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // The choice then lasts for this page only.
  }
}

type Params = Record<string, string | number>;

/**
 * A `t(key, params)` over the common section and, optionally, a page's own.
 * It reads the current language, so components that call it re-render when
 * the language changes.
 */
export function translator<A extends string, B extends string = never>(common: Section<A>, page?: Section<B>) {
  return (key: A | B, params?: Params): string => {
    const words = lang.value;
    // The page's own section first; a key's name only if its words have not arrived (never rendered so).
    const text = (page?.[words] as Record<string, string> | undefined)?.[key] ?? (common[words] as Record<string, string>)[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

export type CommonKey = keyof (typeof commonText)["en"];
export type ViewerKey = Parameters<typeof tViewer>[0];

/** Words for the parts every page shares. */
export const t = translator(commonText);

/** "Only 3 left" while few are left (up to 5), a plain "20 left" otherwise: urgency only when it is true. */
export const unitsLeftText = (count: number) => t(count > 5 ? "unitsLeft" : "fewLeft", { count });
// Each page imports its own; the others (and their sections) drop out of its bundle.
export const tViewer = /* @__PURE__ */ translator(commonText, viewerText);
export const tLanding = /* @__PURE__ */ translator(commonText, landingText);
export const tStudio = /* @__PURE__ */ translator(commonText, studioText);
export const tNotFound = /* @__PURE__ */ translator(commonText, notFoundPageText);

/** The room's error codes (WebSocket and HTTP) in words; unknown codes keep the server's message. */
const errorKeys: Record<string, CommonKey> = {
  rate_limited: "errorRateLimited",
  forbidden: "errorForbidden",
  invalid_message: "errorInvalidMessage",
  show_ended: "errorShowEnded",
  invalid_transition: "errorInvalidTransition",
  not_found: "errorNotFound",
  network: "errorNetwork",
  banned: "errorBanned",
  timed_out: "errorTimedOut",
  slow_mode: "errorSlowMode",
  blocked_word: "errorBlockedWord",
};

export function errorText(code: string, fallback: string): string {
  const key = errorKeys[code];
  return key ? t(key) : fallback;
}
