import { useEffect } from "preact/hooks";
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { tVideo as t } from "../i18n-video.ts";
import { CameraControls, CameraPreview, CameraProblem } from "../video/CameraControls.tsx";
import type { Publisher } from "../video/publisher.ts";

/**
 * The host's camera: the preview from the moment the studio opens, so the
 * host sees the picture before going live. "Go live" (in the show controls)
 * puts it on the stage; while live, the host can step off the stage and
 * back on without ending the show.
 */
export function HostCamera({ room, publisher }: { room: RoomState; publisher: Publisher }) {
  useEffect(() => void publisher.start(), []);
  const state = publisher.state.value;
  return (
    <section class="card host-camera" aria-labelledby="host-camera-title" data-testid="host-camera" data-state={state}>
      <div class="card-head">
        <h2 class="card-title" id="host-camera-title">
          {t("camera")}
        </h2>
        <span class="muted small" data-testid="publish-state">
          {t(state == "on" ? "onStage" : state == "joining" ? "joining" : "offStage")}
        </span>
      </div>
      <CameraPreview publisher={publisher} />
      <CameraProblem publisher={publisher} />
      <CameraControls publisher={publisher} screenShare />
      {room.status == "live" && (
        <button
          type="button"
          class="button button-quiet"
          data-testid={state == "off" ? "join-stage" : "leave-stage"}
          onClick={() => void (state == "off" ? publisher.join() : publisher.stop())}
        >
          {t(state == "off" ? "joinStage" : "leaveStage")}
        </button>
      )}
    </section>
  );
}
