/**
 * A guest's camera on the guest page: a small preview over the stage, and
 * "Join stage" / "Leave stage". Once on stage the guest's tracks appear for
 * every viewer next to the host's; the host can take them off, and the guest
 * is told so.
 */
import { computed, effect } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import { tVideo as t } from "../i18n-video.ts";
import type { RoomModel } from "../room-model.ts";
import { CameraControls, CameraPreview, CameraProblem } from "../video/CameraControls.tsx";
import { createPublisher } from "../video/publisher.ts";
import { recordWhileLive } from "../video/record-while-live.ts";
import { guestSession } from "./guest-loader.tsx";
import "../styles/guest.css";

export type GuestPanelProps = { roomId: string; guestKey: string; model: RoomModel };

export function GuestPanel({ roomId, guestKey, model }: GuestPanelProps) {
  const publisher = useMemo(() => createPublisher(roomId, guestKey), []);
  useEffect(() => {
    void publisher.start();
    const stops = [
      // While live and on the stage, the guest's page records the guest (loaded then).
      recordWhileLive(roomId, guestKey, publisher, computed(() => model.room.value?.status == "live")),
      effect(() => {
        guestSession.value = publisher.sessionId.value;
      }),
      // Our tracks left the stage without us leaving: the host removed us, or the show ended.
      effect(() => {
        const room = model.room.value;
        const mine = publisher.sessionId.value;
        if (room?.status == "ended") void publisher.stop().then(publisher.release);
        else if (mine && publisher.state.value == "on" && !room?.stage.some((track) => track.sessionId == mine)) void publisher.checkRemoved();
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);

  const state = publisher.state.value;
  const status = model.room.value?.status;
  return (
    <section class="guest-panel" data-testid="guest-panel" data-state={state} aria-label={t("preview")}>
      <CameraPreview publisher={publisher} />
      <CameraProblem publisher={publisher} />
      {status != "ended" && publisher.problem.value != "removed" && (
        <>
          <CameraControls publisher={publisher} />
          <button
            type="button"
            class={`button ${state == "off" ? "button-primary" : "camera-button"}`}
            data-testid={state == "off" ? "join-stage" : "leave-stage"}
            disabled={!publisher.preview.value}
            onClick={() => void (state == "off" ? publisher.join() : publisher.stop())}
          >
            {t(state == "off" ? "joinStage" : state == "joining" ? "joining" : "leaveStage")}
          </button>
        </>
      )}
    </section>
  );
}
