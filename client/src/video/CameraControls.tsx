/**
 * The camera preview and its controls, shared by the host's studio and the
 * guest's panel: mute, camera off, share screen (where offered), and the
 * camera and microphone pickers (a phone lists its front and back cameras).
 */
import { problemText, tVideo as t } from "../i18n-video.ts";
import type { Publisher } from "./publisher.ts";

export function CameraPreview({ publisher }: { publisher: Publisher }) {
  const stream = publisher.preview.value;
  if (!stream) return null;
  // The front camera (and a laptop's, which reports no facing) is shown mirrored, as people expect to see themselves.
  const facing = stream.getVideoTracks()[0]?.getSettings().facingMode;
  return (
    <video
      class="camera-preview"
      data-testid="camera-preview"
      data-mirror={facing != "environment"}
      data-off={!publisher.cameraOn.value}
      aria-label={t("preview")}
      srcObject={stream}
      autoplay
      playsInline
      muted
    />
  );
}

export function CameraControls({ publisher, screenShare = false }: { publisher: Publisher; screenShare?: boolean }) {
  const { micOn, cameraOn, screen, preview } = publisher;
  const canShare = screenShare && "getDisplayMedia" in (navigator.mediaDevices ?? {});
  // No camera and no microphone (refused, missing): nothing to control; the problem says why.
  if (!preview.value) return null;
  return (
    <div class="camera-controls">
      <div class="camera-buttons">
        <button
          type="button"
          class="button camera-button"
          data-testid="mute-button"
          aria-pressed={!micOn.value}
          disabled={!preview.value.getAudioTracks().length}
          onClick={() => publisher.toggle("audio")}
        >
          {micOn.value ? t("mute") : t("unmute")}
        </button>
        <button
          type="button"
          class="button camera-button"
          data-testid="camera-button"
          aria-pressed={!cameraOn.value}
          disabled={!preview.value.getVideoTracks().length}
          onClick={() => publisher.toggle("video")}
        >
          {cameraOn.value ? t("cameraOff") : t("cameraOn")}
        </button>
        {canShare && (
          <button
            type="button"
            class="button camera-button"
            data-testid="share-screen"
            aria-pressed={!!screen.value}
            onClick={() => void (screen.value ? publisher.stopScreen() : publisher.shareScreen())}
          >
            {screen.value ? t("stopSharing") : t("shareScreen")}
          </button>
        )}
      </div>
      <DevicePicker publisher={publisher} kind="video" />
      <DevicePicker publisher={publisher} kind="audio" />
    </div>
  );
}

function DevicePicker({ publisher, kind }: { publisher: Publisher; kind: "video" | "audio" }) {
  const devices = (kind == "video" ? publisher.cameras : publisher.mics).value;
  const chosen = (kind == "video" ? publisher.cameraId : publisher.micId).value;
  if (devices.length < 2) return null;
  return (
    <label class="device-picker">
      <span>{t(kind == "video" ? "camera" : "microphone")}</span>
      <select
        data-testid={kind == "video" ? "camera-select" : "mic-select"}
        value={chosen}
        onChange={(event) => void publisher.use(kind, event.currentTarget.value)}
      >
        {devices.map((device, i) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || t(kind == "video" ? "cameraNumber" : "microphoneNumber", { n: i + 1 })}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What went wrong with the camera or the relay, with a way to try again when trying again can help. */
export function CameraProblem({ publisher }: { publisher: Publisher }) {
  const problem = publisher.problem.value;
  if (!problem) return null;
  const retry = problem == "denied" || problem == "noCamera" || problem == "busy";
  return (
    <p class="camera-problem" data-testid="camera-problem" data-problem={problem} role="alert">
      {problemText(problem)}
      {retry && (
        <button type="button" class="button camera-button" onClick={() => void publisher.start()}>
          {t("tryAgain")}
        </button>
      )}
    </p>
  );
}
