/**
 * The publisher's own recording (issue 11): while the show is live and this
 * page is on the stage, its camera+mic is recorded as one take and a shared
 * screen as another, with MediaRecorder cutting a chunk every 2 seconds.
 * Each chunk is uploaded as it comes, in order, retried until the server
 * says it is durable, so a tab closed abruptly loses only what was in
 * flight. A reload, a new camera or a lost connection makes a new take (the
 * server closes the old one); the replay shows the gap as reconnecting.
 *
 * MediaRecorder, not WebCodecs + a muxer: the browser already encodes the
 * camera for the call, MediaRecorder's hardware-backed encoder is the
 * cheapest second encode there is, and its WebM (Chromium, Firefox) or MP4
 * (Safari) is what the server remuxes into a seekable file when the show ends.
 */
import type { ReadonlySignal } from "@preact/signals";
import type { Publisher } from "./publisher.ts";

/** The room's clock and this browser's viewer token, handed in by the page (importing them here would make the viewer page's own chunk heavier). */
export type RecorderPage = { serverNow: () => number; viewerToken: () => string | null };

type Source = "camera" | "screen";

const TIMESLICE_MS = 2000;
const TYPES = ["video/webm;codecs=vp8,opus", "video/webm;codecs=vp9,opus", "video/webm", "video/mp4"];
const BITS_PER_SECOND = { camera: 1_200_000, screen: 1_500_000 };

/** Stops every recorder for good (the brand turned recording off, or the browser cannot record). */
let refused = false;

export function startRecorder(roomId: string, key: string | null, publisher: Publisher, live: ReadonlySignal<boolean>, { serverNow, viewerToken }: RecorderPage): void {
  if (typeof MediaRecorder != "function") return;
  const mime = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
  if (!mime) return;
  const base = `/api/rooms/${encodeURIComponent(roomId)}/recording/takes`;
  const headers = (): Record<string, string> => {
    const h: Record<string, string> = key ? { authorization: `Bearer ${key}` } : { "x-room-role": "host" };
    const token = viewerToken();
    if (token) h["x-viewer-token"] = token;
    return h;
  };
  const takes: Partial<Record<Source, Take>> = {};

  /** What each source should be recording now: the tracks, or nothing. */
  function want(source: Source, tracks: MediaStreamTrack[]) {
    const current = takes[source];
    const same = current && current.tracks.length == tracks.length && current.tracks.every((t, i) => t == tracks[i] && t.readyState == "live");
    if (same && !current.stopped) return;
    current?.stop();
    delete takes[source];
    if (tracks.length && !refused) takes[source] = new Take(source, tracks);
  }

  class Take {
    id: string | null = null;
    stopped = false;
    #next = 0;
    #queue: Array<{ n: number; blob: Blob }> = [];
    #sending = false;
    #recorder: MediaRecorder | null = null;
    #retries = 0;

    constructor(readonly source: Source, readonly tracks: MediaStreamTrack[]) {
      void this.#begin();
    }

    async #begin() {
      const response = await fetch(base, {
        method: "POST",
        headers: { ...headers(), "content-type": "application/json" },
        body: JSON.stringify({ source: this.source, mime, startedAt: Math.round(serverNow()) }),
      }).catch(() => null);
      if (this.stopped) return;
      if (!response?.ok) {
        const code = (await response?.json().catch(() => null))?.error?.code;
        // Off for this show (or a rehearsal, which is never recorded): this page records nothing more.
        if (code == "recording_off" || response?.status == 400) refused = true;
        else if (code != "show_ended") setTimeout(() => this.stopped || this.#begin(), 3000);
        return;
      }
      this.id = (await response.json()).take.id;
      const recorder = (this.#recorder = new MediaRecorder(new MediaStream(this.tracks), { mimeType: mime, videoBitsPerSecond: BITS_PER_SECOND[this.source] }));
      recorder.ondataavailable = (event) => {
        if (event.data.size) this.#queue.push({ n: this.#next++, blob: event.data });
        void this.#send();
      };
      recorder.onstop = () => void this.#send();
      recorder.start(TIMESLICE_MS);
    }

    /** Uploads queued chunks one at a time, in order; a failure is retried with a growing pause. */
    async #send() {
      if (this.#sending || !this.id) return;
      this.#sending = true;
      try {
        while (this.#queue[0]) {
          const { n, blob } = this.#queue[0];
          const response = await fetch(`${base}/${this.id}/chunks/${n}`, { method: "PUT", headers: { ...headers(), "content-type": "application/octet-stream" }, body: blob }).catch(() => null);
          if (response?.ok) {
            this.#queue.shift();
            this.#retries = 0;
            continue;
          }
          if (response?.status == 409) {
            // The server closed this take (the show ended, or another page of ours took over): nothing more goes in it.
            this.#queue = [];
            this.#recorder?.state == "recording" && this.#recorder.stop();
            break;
          }
          if (response && response.status < 500 && response.status != 429) {
            this.#queue.shift();
            continue;
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** this.#retries++, 10_000)));
        }
      } finally {
        this.#sending = false;
      }
      if (this.stopped && !this.#queue.length && this.#recorder?.state == "inactive" && this.id) {
        const id = this.id;
        this.id = null;
        void fetch(`${base}/${id}/close`, { method: "POST", headers: headers() }).catch(() => {});
      }
    }

    /** The recorder's last chunk is uploaded, then the take is closed. */
    stop() {
      this.stopped = true;
      if (this.#recorder?.state == "recording") this.#recorder.stop();
    }
  }

  function update() {
    const on = live.peek() && publisher.state.peek() == "on";
    const camera = publisher.preview.peek();
    const screen = publisher.screen.peek();
    want("camera", on && camera ? camera.getTracks() : []);
    want("screen", on && screen ? [screen] : []);
  }
  // Each signal's own subscribe (no import of the signals library: this chunk stays out of the viewer page's).
  for (const changes of [live, publisher.state, publisher.preview, publisher.screen] as ReadonlySignal<unknown>[]) changes.subscribe(update);
}
