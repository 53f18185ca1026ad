/**
 * The publisher's own recording (issue 11): while the show is live and this
 * page is on the stage, its camera+mic is recorded as one take and a shared
 * screen as another, with MediaRecorder cutting a chunk every 2 seconds.
 * Each chunk is uploaded as it comes, in order, retried until the server
 * says it is durable, so a tab closed abruptly loses only what was in
 * flight. A reload, a new camera or a lost connection makes a new take (the
 * server closes the old one); the replay shows the gap as reconnecting.
 *
 * Where the browser lets us tap what WebRTC sends (frame-tap.ts), a take is
 * those encoded frames muxed into WebM (encoded-take.ts): the camera is
 * encoded once, for viewers and the recording alike. MediaRecorder was a
 * second software encode of the camera, which cost the host's page nearly
 * as much CPU again (bench/RESULTS.md). Elsewhere MediaRecorder records:
 * its WebM (Chromium, Firefox) or MP4 (Safari) is remuxed by the server
 * like the tapped WebM when the show ends.
 */
import type { ReadonlySignal } from "@preact/signals";
import { encodedType, recordEncoded } from "./encoded-take.ts";
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
  const recorderType = typeof MediaRecorder == "function" ? TYPES.find((type) => MediaRecorder.isTypeSupported(type)) : undefined;
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
    if (!tracks.length || refused) return;
    const senders = tracks.map((track) => publisher.senderOf(track));
    // A track shown before its sender has it (a screen being shared, a camera being swapped): ask again in a moment,
    // rather than fall back to a second encode.
    if (typeof RTCRtpScriptTransform == "function" && !senders.every((sender) => !!sender)) return void setTimeout(update, 300);
    const tapped = encodedType(senders as RTCRtpSender[]);
    const mime = tapped ?? recorderType;
    if (mime) takes[source] = new Take(source, tracks, mime, tapped ? (senders as RTCRtpSender[]) : null);
  }

  /** Makes a take's chunks, in order, then calls `onEnd` once: from the tapped senders, or with MediaRecorder. */
  function chunkMaker(take: Take, onChunk: (blob: Blob) => void, onEnd: () => void): { stop(): void } {
    if (take.senders) return recordEncoded(take.senders, TIMESLICE_MS, onChunk, onEnd);
    const recorder = new MediaRecorder(new MediaStream(take.tracks), { mimeType: take.mime, videoBitsPerSecond: BITS_PER_SECOND[take.source] });
    recorder.ondataavailable = (event) => event.data.size && onChunk(event.data);
    recorder.onstop = onEnd;
    recorder.start(TIMESLICE_MS);
    return { stop: () => recorder.state == "recording" && recorder.stop() };
  }

  class Take {
    id: string | null = null;
    stopped = false;
    #next = 0;
    #queue: Array<{ n: number; blob: Blob }> = [];
    #sending = false;
    #maker: { stop(): void } | null = null;
    #ended = false;
    #retries = 0;

    constructor(
      readonly source: Source,
      readonly tracks: MediaStreamTrack[],
      readonly mime: string,
      /** The senders whose encoded frames this take records; null: MediaRecorder encodes the tracks. */
      readonly senders: RTCRtpSender[] | null,
    ) {
      void this.#begin();
    }

    async #begin() {
      const response = await fetch(base, {
        method: "POST",
        headers: { ...headers(), "content-type": "application/json" },
        body: JSON.stringify({ source: this.source, mime: this.mime, startedAt: Math.round(serverNow()) }),
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
      this.#maker = chunkMaker(
        this,
        (blob) => {
          this.#queue.push({ n: this.#next++, blob });
          void this.#send();
        },
        () => {
          this.#ended = true;
          void this.#send();
        },
      );
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
            this.#maker?.stop();
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
      if (this.stopped && !this.#queue.length && this.#ended && this.id) {
        const id = this.id;
        this.id = null;
        void fetch(`${base}/${id}/close`, { method: "POST", headers: headers() }).catch(() => {});
      }
    }

    /** The recorder's last chunk is uploaded, then the take is closed. */
    stop() {
      if (this.stopped) return;
      this.stopped = true;
      this.#maker?.stop();
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
