/**
 * One take into one file that seeks at once: the take's chunks, read from R2
 * in order as one byte stream, remuxed by mediabunny (packets copied, never
 * re-encoded) into a file with its duration and an index: WebM with Cues for
 * what Chromium's and Firefox's MediaRecorder make (VP8/VP9 + Opus), MP4 for
 * what Safari's makes. Input and output are streamed (R2 ranges in, an R2
 * multipart upload out), so a long show never sits in a Worker's memory.
 */
import { ALL_FORMATS, Conversion, CustomSource, Input, Mp4OutputFormat, Output, StreamTarget, WebMOutputFormat } from "mediabunny";
import { R2FileWriter } from "./r2-file-writer.ts";

export type StoredChunk = { key: string; bytes: number };

/** Reads the chunks as one file: byte ranges across chunk boundaries come from each chunk's own range. */
export function chunksSource(bucket: R2Bucket, chunks: StoredChunk[]): CustomSource {
  const starts: number[] = [];
  let size = 0;
  for (const chunk of chunks) {
    starts.push(size);
    size += chunk.bytes;
  }
  return new CustomSource({
    getSize: () => size,
    prefetchProfile: "network",
    read: async (start, end) => {
      const out = new Uint8Array(end - start);
      let index = Math.max(0, upperBound(starts, start) - 1);
      let at = start;
      while (at < end) {
        const chunk = chunks[index]!;
        const from = at - starts[index]!;
        const length = Math.min(chunk.bytes - from, end - at);
        const object = await bucket.get(chunk.key, { range: { offset: from, length } });
        if (!object) throw new Error(`recording: chunk ${chunk.key} is missing from R2`);
        out.set(new Uint8Array(await object.arrayBuffer()), at - start);
        at += length;
        index += 1;
      }
      return out;
    },
  });
}

/** The index of the first start greater than `value`. */
function upperBound(starts: number[], value: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

export type Remuxed = { key: string; bytes: number; durationMs: number; contentType: "video/webm" | "video/mp4" };

/** Remuxes the chunks into `keyWithoutExtension` + .webm or .mp4; throws when they are not a video mediabunny can read. */
export async function remuxTake(bucket: R2Bucket, chunks: StoredChunk[], keyWithoutExtension: string): Promise<Remuxed> {
  const input = new Input({ source: chunksSource(bucket, chunks), formats: ALL_FORMATS });
  const webm = (await input.getFormat()).name !== "MP4";
  const contentType = webm ? "video/webm" : "video/mp4";
  const key = `${keyWithoutExtension}.${webm ? "webm" : "mp4"}`;
  const writer = new R2FileWriter(bucket, key, contentType);
  const output = new Output({
    // WebM: Cues and Duration are written at the end and pointed at from the header (not append-only).
    // MP4: the moov goes at the end; its size patch lands in the first part, which is uploaded last.
    format: webm ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: false }),
    target: new StreamTarget(writer.stream()),
  });
  try {
    const conversion = await Conversion.init({ input, output, showWarnings: false });
    if (!conversion.isValid) throw new Error(`recording: cannot remux (${conversion.discardedTracks.map((t) => t.reason).join(", ")})`);
    await conversion.execute();
    const bytes = await writer.finish();
    return { key, bytes, durationMs: Math.round((await input.computeDuration()) * 1000), contentType };
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    input.dispose();
  }
}
