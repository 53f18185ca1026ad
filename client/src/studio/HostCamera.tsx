import type { RoomState } from "../../../durable-objects/protocol.ts";
import { tStudio } from "../i18n.ts";
import { tVideo as t } from "../i18n-video.ts";
import { CameraControls, CameraPreview, CameraProblem } from "../video/CameraControls.tsx";
import type { Publisher } from "../video/publisher.ts";

/**
 * The host's camera: the preview from the moment the studio opens (the
 * studio starts it), so the host sees the picture before going live. "Go
 * live" (in the show controls) puts it on the stage; while live, the host can
 * step off the stage and back on without ending the show. The live mode is
 * the same camera full screen, for a host on a phone.
 */
export function HostCamera({ room, publisher, onLiveMode }: { room: RoomState; publisher: Publisher; onLiveMode: () => void }) {
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
      <div class="host-camera-actions">
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
        <button type="button" class="button button-quiet" data-testid="live-mode-open" onClick={onLiveMode}>
          {tStudio("liveMode")}
        </button>
      </div>
    </section>
  );
}
