/**
 * The words of being on camera, in English and Simplified Chinese: the
 * preview, the device pickers, joining and leaving the stage, and what went
 * wrong with the camera or the relay. A section of the catalogue in i18n.ts,
 * kept in its own module because the studio and the guest's panel (a chunk
 * the viewer page loads for guests only) use it, and viewers never do.
 */
import { commonText, section, translator } from "./i18n.ts";
import type { CameraProblem } from "./video/publisher.ts";

export const videoText = /* @__PURE__ */ section(
  {
    camera: "Camera",
    microphone: "Microphone",
    cameraNumber: "Camera {n}",
    microphoneNumber: "Microphone {n}",
    preview: "Your camera",
    mute: "Mute",
    unmute: "Unmute",
    cameraOff: "Camera off",
    cameraOn: "Camera on",
    shareScreen: "Share screen",
    stopSharing: "Stop sharing",
    joinStage: "Join stage",
    leaveStage: "Leave stage",
    joining: "Joining the stage…",
    onStage: "You're on stage",
    offStage: "You're not on stage",
    tryAgain: "Try again",
    problemDenied: "Camera and microphone are blocked. Allow them for this site (the icon next to the address bar), then try again.",
    problemNoCamera: "No camera found. Connect one and try again; viewers can still hear you.",
    problemBusy: "The camera couldn't be started. Another app may be using it.",
    problemWebrtc: "This browser can't do live video. Use a recent Chrome, Safari, Firefox or Edge.",
    problemRelay: "Can't reach the video relay. Retrying…",
    problemRemoved: "The host removed you from the stage.",
    problemNoScreen: "This browser can't share the screen.",
    stageTitle: "On stage",
    stageEmpty: "Nobody is on stage yet. Go live to put your camera on.",
    removeFromStage: "Remove from stage",
    you: "you",
    sourceCamera: "camera",
    sourceMicrophone: "microphone",
    sourceScreen: "screen",
    flipCamera: "Flip",
    flipCameraLabel: "Switch between front and back camera",
    cameraIsOff: "Camera off: viewers see your name instead",
    cameraIsOffShort: "Camera off",
  },
  {
    camera: "摄像头",
    microphone: "麦克风",
    cameraNumber: "摄像头 {n}",
    microphoneNumber: "麦克风 {n}",
    preview: "你的画面",
    mute: "静音",
    unmute: "取消静音",
    cameraOff: "关闭摄像头",
    cameraOn: "打开摄像头",
    shareScreen: "共享屏幕",
    stopSharing: "停止共享",
    joinStage: "上麦",
    leaveStage: "下麦",
    joining: "正在上麦…",
    onStage: "你已上麦",
    offStage: "你还没有上麦",
    tryAgain: "重试",
    problemDenied: "摄像头和麦克风被禁止访问。请在浏览器的网站设置中允许（地址栏旁的图标），然后重试。",
    problemNoCamera: "没有找到摄像头。请连接后重试；观众仍能听到你的声音。",
    problemBusy: "无法启动摄像头，可能有其他应用正在使用。",
    problemWebrtc: "此浏览器不支持直播视频。请使用新版 Chrome、Safari、Firefox 或 Edge。",
    problemRelay: "无法连接视频中继服务器，正在重试…",
    problemRemoved: "主播已将你移下麦。",
    problemNoScreen: "此浏览器无法共享屏幕。",
    stageTitle: "正在出镜",
    stageEmpty: "还没有人上麦。开始直播后你的画面会出现在这里。",
    removeFromStage: "移下麦",
    you: "你",
    sourceCamera: "摄像头",
    sourceMicrophone: "麦克风",
    sourceScreen: "屏幕",
    flipCamera: "翻转",
    flipCameraLabel: "切换前后摄像头",
    cameraIsOff: "摄像头已关闭：观众看到的是你的名字",
    cameraIsOffShort: "摄像头已关闭",
  },
);

export const tVideo = /* @__PURE__ */ translator(commonText, videoText);

const problemKeys = {
  denied: "problemDenied",
  noCamera: "problemNoCamera",
  busy: "problemBusy",
  webrtc: "problemWebrtc",
  relay: "problemRelay",
  removed: "problemRemoved",
  noScreen: "problemNoScreen",
} as const satisfies Record<CameraProblem, keyof (typeof videoText)["en"]>;

export const problemText = (problem: CameraProblem) => tVideo(problemKeys[problem]);
