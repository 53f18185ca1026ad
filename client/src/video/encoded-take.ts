/**
 * A take made of the frames WebRTC already encodes for viewers (tapped by
 * frame-tap.ts), muxed by mediabunny into WebM as they come: recording costs
 * a copy of each frame and the muxing, not a second encoder. The WebM is
 * written append-only (no Cues yet, no duration), cut into a chunk every
 * TIMESLICE_MS for upload; the server remuxes the whole take into a
 * seekable file when the show ends, as it does MediaRecorder's.
 *
 * Time comes from the frames' RTP timestamps (90 kHz for video, 48 kHz for
 * Opus), placed on one clock by when each track's first frame reached the
 * tap. The take starts at a video key frame (the tap asks for one), and the
 * sound from then on.
 */
import { EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, Output, StreamTarget, WebMOutputFormat } from "mediabunny";
import { record, tapped, type TappedFrame } from "./frame-tap.ts";

const VIDEO_CODECS: Record<string, { codec: "vp8" | "vp9"; decoder: string }> = {
  "video/vp8": { codec: "vp8", decoder: "vp8" },
  "video/vp9": { codec: "vp9", decoder: "vp09.00.10.08" },
};
const CLOCK_HZ = { audio: 48_000, video: 90_000 };
/** WebRTC's Opus frames are 20 ms; a video frame's duration is the time to the next, unknown when it is written. */
const AUDIO_FRAME_S = 0.02;
const VIDEO_FRAME_S = 1 / 30;

const codecOf = (sender: RTCRtpSender) => sender.getParameters().codecs?.[0]?.mimeType.toLowerCase() ?? "";

/** The take's type when every sender is tapped and sends what WebM holds (VP8 or VP9, Opus); null: record with MediaRecorder. */
export function encodedType(senders: RTCRtpSender[]): string | null {
  const codecs = senders.map((sender) => (tapped(sender) ? (VIDEO_CODECS[codecOf(sender)]?.codec ?? (codecOf(sender) == "audio/opus" ? "opus" : null)) : null));
  if (!codecs.length || codecs.includes(null)) return null;
  // The video's codec first, as MediaRecorder names its types.
  return `video/webm;codecs=${codecs.sort((a) => (a == "opus" ? 1 : -1)).join(",")}`;
}

/** Opus's identification header, which WebM keeps as the track's CodecPrivate. */
function opusHead(channels: number): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode("OpusHead"));
  head[8] = 1;
  head[9] = channels;
  view.setUint16(10, 0, true); // pre-skip: the frames start mid-stream
  view.setUint32(12, 48_000, true);
  return head;
}

/** Records the senders' frames until `stop`; `onChunk` gets the WebM in order, `onEnd` once after the last chunk. */
export function recordEncoded(senders: RTCRtpSender[], timesliceMs: number, onChunk: (blob: Blob) => void, onEnd: () => void): { stop(): void } {
  let written: Uint8Array[] = [];
  let position = 0;
  const output = new Output({
    format: new WebMOutputFormat({ appendOnly: true }),
    target: new StreamTarget(
      new WritableStream({
        write({ data, position: at }) {
          if (at != position) throw new Error("recording: the muxer went back in its file");
          written.push(data);
          position += data.byteLength;
        },
      }),
    ),
  });
  const video = senders.find((s) => s.track?.kind == "video");
  const audio = senders.find((s) => s.track?.kind == "audio");
  const videoCodec = video && VIDEO_CODECS[codecOf(video)]!;
  const videoTrack = videoCodec && new EncodedVideoPacketSource(videoCodec.codec);
  const audioTrack = audio && new EncodedAudioPacketSource("opus");
  if (videoTrack) output.addVideoTrack(videoTrack);
  if (audioTrack) output.addAudioTrack(audioTrack);

  /** The frames go into the muxer one after another, in the order they came. */
  let queue: Promise<unknown> = output.start();
  let failed = false;
  const then = (step: () => Promise<unknown>) => {
    queue = queue.then(step).catch((error) => {
      if (!failed) console.warn("recording:", error);
      failed = true;
    });
  };

  /** The take's zero, on the tap's clock: its first video key frame (or first sound, with no video). */
  let zero: number | null = null;
  const origins: Partial<Record<"audio" | "video", { rtp: number; at: number }>> = {};
  const seconds = (kind: "audio" | "video", frame: TappedFrame) => {
    const origin = (origins[kind] ??= { rtp: frame.rtp, at: frame.at });
    // Unsigned 32-bit difference: an RTP timestamp that wrapped around still counts on.
    return (origin.at - zero!) / 1000 + ((frame.rtp - origin.rtp) >>> 0) / CLOCK_HZ[kind];
  };

  const receive = (kind: "audio" | "video") => (frame: TappedFrame) => {
    if (zero === null) {
      if (kind == "audio" ? videoTrack : !frame.key) return;
      zero = frame.at;
    }
    const data = new Uint8Array(frame.data);
    const first = !origins[kind];
    const timestamp = seconds(kind, frame);
    if (kind == "video") {
      const settings = video!.track?.getSettings();
      then(() =>
        videoTrack!.add(
          new EncodedPacket(data, frame.key ? "key" : "delta", timestamp, VIDEO_FRAME_S),
          first ? { decoderConfig: { codec: videoCodec!.decoder, codedWidth: frame.width ?? settings?.width ?? 640, codedHeight: frame.height ?? settings?.height ?? 480 } } : undefined,
        ),
      );
    } else {
      then(() =>
        audioTrack!.add(
          new EncodedPacket(data, "key", timestamp, AUDIO_FRAME_S),
          first ? { decoderConfig: { codec: "opus", numberOfChannels: 2, sampleRate: 48_000, description: opusHead(2) } } : undefined,
        ),
      );
    }
  };

  const stops = [video && record(video, receive("video")), audio && record(audio, receive("audio"))].filter((stop) => !!stop);
  const flush = () => {
    if (!written.length) return;
    onChunk(new Blob(written as BlobPart[], { type: "video/webm" }));
    written = [];
  };
  const timer = setInterval(flush, timesliceMs);

  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const stop of stops) stop();
      clearInterval(timer);
      then(() => (zero === null ? output.cancel() : output.finalize()));
      void queue.then(() => {
        flush();
        onEnd();
      });
    },
  };
}
