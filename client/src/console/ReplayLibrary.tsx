/**
 * A past show's replay in the console: whether it is ready, hiding it from
 * the shop's page, trimming its start and end, and its thumbnail (a frame
 * grabbed here from the recording at a time the brand picks, or an image).
 * The server checks every rule (worker/recording/library-routes.ts).
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { preparePhoto } from "../catalogue/photo-upload.ts";
import { formatDuration } from "../format.ts";
import { errorText } from "../i18n.ts";
import type { Show } from "./account.ts";
import { tConsole } from "./i18n-console.ts";
import { tReplay as t } from "./i18n-replay.ts";

type Take = { id: string; startMs: number; durationMs: number; url: string; source: string };
type LibraryReplay = {
  hidden: boolean;
  recording: boolean;
  replay: { status: "none" | "processing" | "ready"; durationMs: number; trim: { startMs: number; endMs: number }; thumbnailUrl: string | null; takes: Take[] };
};

const seconds = (ms: number) => String(Math.round(ms / 100) / 10);

/** One frame of a take at `atMs` (its own time), as a JPEG. */
async function grabFrame(url: string, atMs: number): Promise<Blob> {
  const video = document.createElement("video");
  video.muted = true;
  video.preload = "auto";
  video.src = url;
  await new Promise((resolve, reject) => {
    video.onloadeddata = resolve;
    video.onerror = reject;
  });
  video.currentTime = Math.max(0, Math.min(atMs / 1000, video.duration - 0.1));
  await new Promise((resolve) => (video.onseeked = resolve));
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d")!.drawImage(video, 0, 0);
  video.removeAttribute("src");
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  if (!blob || !canvas.width) throw new Error("no frame");
  return blob;
}

export function ReplayLibrary({ shopId, show }: { shopId: string; show: Show }) {
  const path = `/api/shops/${encodeURIComponent(shopId)}/rooms/${encodeURIComponent(show.id)}/replay`;
  const [library, setLibrary] = useState<LibraryReplay | null>(null);
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [frameAt, setFrameAt] = useState("0");
  const [note, setNote] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  function shown(next: LibraryReplay) {
    setLibrary(next);
    setStart(seconds(next.replay.trim.startMs));
    setEnd(seconds(next.replay.trim.endMs));
  }

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      api<LibraryReplay>(path).then((next) => {
        if (stop) return;
        shown(next);
        // Being prepared: look again in a few seconds.
        if (next.replay.status === "processing") timer = setTimeout(load, 3000);
      }, () => {});
    void load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [path]);

  async function change(work: () => Promise<LibraryReplay>) {
    setBusy(true);
    try {
      shown(await work());
      setNote({ text: t("replaySaved") });
    } catch (error) {
      if (library) setLibrary(library);
      setNote({ text: error instanceof ApiError ? errorText(error.code, error.message) : t("replayFrameFailed"), error: true });
    } finally {
      setBusy(false);
    }
  }

  if (!library) return null;
  const { replay } = library;
  if (replay.status === "none" && !library.hidden) return <p class="muted small" data-testid="replay-none">{t("replayNone")}</p>;
  const max = replay.durationMs / 1000;
  const take = replay.takes.find((x) => x.source === "camera") ?? replay.takes[0];

  function saveTrim(event: Event) {
    event.preventDefault();
    const from = Number(start);
    const to = Number(end);
    if (!(from >= 0 && to > from && to <= max + 0.05)) return setNote({ text: t("replayTrimWrong", { max: seconds(replay.durationMs) }), error: true });
    const trim = { startMs: Math.round(from * 1000), endMs: Math.min(replay.durationMs, Math.round(to * 1000)) };
    void change(() => api(path, { method: "PATCH", body: { trim } }));
  }

  async function grab() {
    if (!take) return;
    await change(async () => {
      const frame = await grabFrame(take.url, Number(frameAt) * 1000 - take.startMs);
      return api(`${path}/thumbnail`, { method: "POST", body: frame });
    });
  }

  async function upload(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = "";
    if (file) await change(async () => api(`${path}/thumbnail`, { method: "POST", body: (await preparePhoto(file)).blob }));
  }

  return (
    <div class="replay-library" data-testid="replay-library" data-status={replay.status}>
      <p class="field-label">{t("replayTitle")}</p>
      <p class="muted small" data-testid="replay-status">
        {replay.status === "processing"
          ? t("replayProcessing")
          : replay.takes.length
            ? t("replayReady", { takes: String(replay.takes.length), duration: formatDuration(replay.durationMs) })
            : t("replayNoRecording")}
      </p>
      <label class="replay-check">
        <input
          type="checkbox"
          data-testid="replay-hidden"
          checked={library.hidden}
          disabled={busy}
          onChange={(e) => {
            const hidden = e.currentTarget.checked;
            // Shown as asked at once; the server's answer (or the old state, on a refusal) follows.
            setLibrary({ ...library, hidden });
            void change(() => api(path, { method: "PATCH", body: { hidden } })).then(() => undefined);
          }}
        />
        <span>{t("replayHidden")}</span>
      </label>
      {replay.status === "ready" && (
        <>
          <form class="replay-trim" onSubmit={saveTrim} noValidate>
            <label class="field">
              <span class="field-label">{t("replayTrimStart")}</span>
              <input data-testid="replay-trim-start" type="number" inputMode="decimal" min={0} max={max} step={0.1} value={start} onInput={(e) => setStart(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span class="field-label">{t("replayTrimEnd")}</span>
              <input data-testid="replay-trim-end" type="number" inputMode="decimal" min={0} max={max} step={0.1} value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
            </label>
            <div class="button-row">
              <button type="submit" class="button button-quiet" data-testid="replay-trim-save" disabled={busy}>
                {t("replayTrimSave")}
              </button>
              <button type="button" class="button button-quiet" disabled={busy} onClick={() => void change(() => api(path, { method: "PATCH", body: { trim: null } }))}>
                {t("replayTrimReset")}
              </button>
            </div>
          </form>
          <div class="field">
            <span class="field-label">{t("replayThumbnail")}</span>
            <div class="photo-row">
              {replay.thumbnailUrl ? (
                <img class="photo-preview" data-testid="replay-thumbnail" src={replay.thumbnailUrl} alt={t("replayThumbnailAlt")} />
              ) : (
                <span class="photo-preview photo-preview-empty" aria-hidden="true" />
              )}
              <div class="photo-actions">
                {take && (
                  <div class="replay-grab">
                    <label class="field">
                      <span class="field-label">{t("replayThumbnailAt")}</span>
                      <input data-testid="replay-frame-at" type="number" inputMode="decimal" min={0} max={max} step={0.1} value={frameAt} onInput={(e) => setFrameAt(e.currentTarget.value)} />
                    </label>
                    <button type="button" class="button button-quiet" data-testid="replay-frame-grab" disabled={busy} onClick={() => void grab()}>
                      {t("replayThumbnailGrab")}
                    </button>
                  </div>
                )}
                <label class="button button-quiet photo-pick">
                  <input type="file" accept="image/*" class="visually-hidden" data-testid="replay-thumbnail-upload" onChange={(e) => void upload(e.currentTarget)} />
                  {t("replayThumbnailUpload")}
                </label>
              </div>
            </div>
          </div>
        </>
      )}
      {note && (
        <p class={note.error ? "console-error" : "muted small"} role={note.error ? "alert" : "status"} data-testid="replay-note">
          {note.text}
        </p>
      )}
      {busy && <span class="visually-hidden">{tConsole("saving")}</span>}
    </div>
  );
}
