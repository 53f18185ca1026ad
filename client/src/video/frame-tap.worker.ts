/**
 * The frame tap (frame-tap.ts): every frame this page's WebRTC encoder
 * sends passes through here on its way out, untouched. While a take records
 * a sender, a copy of each of its encoded frames goes to the page, which
 * muxes them into the take's file (recorder.ts): the recording is the
 * very stream viewers get, encoded once.
 *
 * The page cannot ask the encoder for a key frame from here (Chromium's
 * transformer has no generateKeyFrame), so the tap asks the page for one
 * when a take starts and then every KEY_EVERY_MS, so that a replay can seek.
 */
/** The worker's scope, as far as the tap uses it (the page's DOM types know no worker). */
type TapScope = {
  onmessage: ((event: MessageEvent<TapCommand>) => void) | null;
  onrtctransform: ((event: { transformer: Transformer }) => void) | null;
  postMessage(message: TapMessage, transfer?: Transferable[]): void;
};
const scope = globalThis as unknown as TapScope;
type Transformer = { options: { id: number }; readable: ReadableStream<Frame>; writable: WritableStream<Frame> };
type Frame = { data: ArrayBuffer; timestamp: number; type?: "key" | "delta" | "empty"; getMetadata(): { mimeType?: string; width?: number; height?: number } };

/** What the page sees of one frame. */
export type TappedFrame = { id: number; data: ArrayBuffer; key: boolean; rtp: number; at: number; mime: string; width?: number; height?: number };
/** The page to the tap: copy this sender's frames, or stop. */
export type TapCommand = { id: number; record: boolean };
/** The tap to the page: a frame, or a key frame wanted on this sender. */
export type TapMessage = { frame: TappedFrame } | { keyFrame: number };

const KEY_EVERY_MS = 3000;
const ASK_AGAIN_MS = 2000;

const recording = new Set<number>();
/** When each recorded video sender last sent a key frame, or was asked for one. */
const lastKey = new Map<number, number>();

scope.onmessage = ({ data }) => {
  if (data.record) recording.add(data.id);
  else recording.delete(data.id);
  lastKey.delete(data.id);
};

scope.onrtctransform = ({ transformer }) => {
  const { id } = transformer.options;
  const tap = new TransformStream<Frame, Frame>({
    transform(frame, out) {
      if (recording.has(id) && frame.type != "empty") {
        const now = performance.now();
        const meta = frame.getMetadata();
        const video = frame.type !== undefined;
        const key = !video || frame.type == "key";
        const copy: TappedFrame = { id, data: frame.data.slice(0), key, rtp: frame.timestamp, at: now, mime: meta.mimeType ?? "", width: meta.width, height: meta.height };
        scope.postMessage({ frame: copy }, [copy.data]);
        if (video) {
          if (key) lastKey.set(id, now);
          else if (now - (lastKey.get(id) ?? -Infinity) > KEY_EVERY_MS) {
            // Asked again soon if the encoder let this request pass.
            lastKey.set(id, now - KEY_EVERY_MS + ASK_AGAIN_MS);
            scope.postMessage({ keyFrame: id });
          }
        }
      }
      out.enqueue(frame);
    },
  });
  void transformer.readable.pipeThrough(tap).pipeTo(transformer.writable).catch(() => {});
};
