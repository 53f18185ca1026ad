/**
 * Taps what a publisher sends: each sender gets an RTCRtpScriptTransform
 * (frame-tap.worker.ts) as its track is added, before the offer, because
 * Chromium passes frames through a transform only if it was there when the
 * sender started. The tap costs a frame's hop through a worker and nothing
 * else; the recorder (recorder.ts) switches copying on and off per sender.
 * Browsers without script transforms are not tapped: they record with
 * MediaRecorder instead.
 */
import type { TapCommand, TapMessage, TappedFrame } from "./frame-tap.worker.ts";

export type { TappedFrame };

let worker: Worker | null = null;
let nextId = 0;
const ids = new WeakMap<RTCRtpSender, number>();
/** Weakly: a session that is gone takes its senders with it. */
const senders = new Map<number, WeakRef<RTCRtpSender>>();
/** Each sender's own scale, which key frames alternate around. */
const scales = new WeakMap<RTCRtpSender, number>();
const receivers = new Map<number, (frame: TappedFrame) => void>();

/** Puts the tap on a sender that has not sent yet. */
export function tap(sender: RTCRtpSender): void {
  if (typeof RTCRtpScriptTransform != "function" || ids.has(sender)) return;
  if (!worker) {
    worker = new Worker(new URL("./frame-tap.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }: MessageEvent<TapMessage>) => {
      if ("frame" in data) receivers.get(data.frame.id)?.(data.frame);
      else void keyFrame(senders.get(data.keyFrame)?.deref());
    };
  }
  const id = ++nextId;
  ids.set(sender, id);
  senders.set(id, new WeakRef(sender));
  sender.transform = new RTCRtpScriptTransform(worker, { id });
}

/** True when this sender's encoded frames can be recorded. */
export const tapped = (sender: RTCRtpSender) => ids.has(sender);

/** Copies the sender's frames to `receive` until the returned function is called. */
export function record(sender: RTCRtpSender, receive: (frame: TappedFrame) => void): () => void {
  const id = ids.get(sender)!;
  receivers.set(id, receive);
  worker!.postMessage({ id, record: true } satisfies TapCommand);
  return () => {
    receivers.delete(id);
    worker!.postMessage({ id, record: false } satisfies TapCommand);
  };
}

/**
 * Makes the encoder send a key frame. Chromium has no call for it on the
 * sending side, but it starts on one when the sent size changes: the scale
 * alternates between its own value and 1 % smaller (a 1280-pixel picture
 * goes out 1267 wide, then 1280 again), which nobody can see. A smaller
 * step can vanish in the encoder's rounding once it has scaled the picture
 * down for a slow machine or network.
 */
async function keyFrame(sender: RTCRtpSender | undefined) {
  const parameters = sender?.getParameters();
  const encoding = parameters?.encodings[0];
  if (!sender || !encoding) return;
  const scale = encoding.scaleResolutionDownBy ?? 1;
  const own = scales.get(sender) ?? scale;
  scales.set(sender, own);
  encoding.scaleResolutionDownBy = scale == own ? own * 1.01 : own;
  await sender.setParameters(parameters).catch(() => {});
}
