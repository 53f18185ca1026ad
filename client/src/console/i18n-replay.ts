/**
 * The console's words for recording and the replay library, in English and
 * Simplified Chinese: the show form's recording switch, and a past show's
 * replay (hide, trim, thumbnail).
 */
import { commonText, section, translator } from "../i18n.ts";

export const replayText = /* @__PURE__ */ section(
  {
    recordingLabel: "Record this show for its replay",
    recordingNote: "The host's and guests' own pages record their camera, sound and shared screen; nothing else to install.",
    replayTitle: "Replay",
    replayNone: "No replay: this show never went live.",
    replayProcessing: "The recording is being prepared…",
    replayReady: "Ready: {takes} recording(s), {duration}.",
    replayNoRecording: "Not recorded: the replay re-runs the chat and products over the cover.",
    replayHidden: "Hidden from your shop's page and viewers",
    replayTrimStart: "Starts at (seconds)",
    replayTrimEnd: "Ends at (seconds)",
    replayTrimSave: "Save the trim",
    replayTrimReset: "Keep it all",
    replayTrimWrong: "Pick a start before the end, within 0 and {max} seconds.",
    replayThumbnail: "Thumbnail",
    replayThumbnailAt: "Frame at (seconds)",
    replayThumbnailGrab: "Use this frame",
    replayThumbnailUpload: "Upload an image",
    replayThumbnailAlt: "The replay's thumbnail",
    replaySaved: "Saved.",
    replayFrameFailed: "That frame could not be taken from the video. Try another time, or upload an image.",
  },
  {
    recordingLabel: "录制本场直播，用于回放",
    recordingNote: "主播和嘉宾的页面会自行录制他们的摄像头、声音和共享屏幕，无需安装任何东西。",
    replayTitle: "回放",
    replayNone: "没有回放：本场直播从未开播。",
    replayProcessing: "录像正在处理中…",
    replayReady: "已就绪：{takes} 段录像，{duration}。",
    replayNoRecording: "未录制：回放会在封面上重现聊天和商品。",
    replayHidden: "在店铺主页和观众面前隐藏",
    replayTrimStart: "开始于（秒）",
    replayTrimEnd: "结束于（秒）",
    replayTrimSave: "保存剪辑",
    replayTrimReset: "保留全部",
    replayTrimWrong: "请选择早于结束的开始时间，范围 0 到 {max} 秒。",
    replayThumbnail: "缩略图",
    replayThumbnailAt: "截取画面时间（秒）",
    replayThumbnailGrab: "使用这一帧",
    replayThumbnailUpload: "上传图片",
    replayThumbnailAlt: "回放缩略图",
    replaySaved: "已保存。",
    replayFrameFailed: "无法从视频中截取这一帧。请换个时间，或上传图片。",
  },
);

export const tReplay = /* @__PURE__ */ translator(commonText, replayText);
