/**
 * A file written into R2 as a multipart upload, as mediabunny's StreamTarget
 * writes it: chunks of bytes at positions, mostly appended, but a muxer that
 * writes an index (WebM's Cues, sizes, duration) goes back to patch what it
 * wrote earlier. R2 wants parts of one size (all but the last, at least
 * 5 MiB), so the bytes are cut into parts of PART_BYTES; a part is uploaded
 * once the writing is well past it (a cluster's size is patched when the
 * cluster ends), and the first part, where the header and its patches go,
 * only when the file is complete. Memory stays at a few parts, however long
 * the show.
 */
import type { StreamTargetChunk } from "mediabunny";

export const PART_BYTES = 5 * 1024 * 1024;
/** How far behind the end of writing a patch may still land (a Matroska cluster's size, written when it closes). */
const PATCH_WINDOW = 2 * PART_BYTES;

export class R2FileWriter {
  readonly #parts = new Map<number, Uint8Array>();
  readonly #uploaded = new Map<number, R2UploadedPart>();
  #upload: R2MultipartUpload | null = null;
  #size = 0;

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly contentType: string,
  ) {}

  /** The WritableStream mediabunny's StreamTarget writes into. */
  stream(): WritableStream<StreamTargetChunk> {
    return new WritableStream({ write: (chunk) => this.#write(chunk.data, chunk.position) });
  }

  async #write(data: Uint8Array, position: number): Promise<void> {
    let offset = 0;
    while (offset < data.byteLength) {
      const at = position + offset;
      const index = Math.floor(at / PART_BYTES);
      if (this.#uploaded.has(index)) throw new Error(`recording: a write at byte ${at} came after its part was uploaded`);
      let part = this.#parts.get(index);
      if (!part) this.#parts.set(index, (part = new Uint8Array(PART_BYTES)));
      const within = at - index * PART_BYTES;
      const length = Math.min(PART_BYTES - within, data.byteLength - offset);
      part.set(data.subarray(offset, offset + length), within);
      offset += length;
    }
    this.#size = Math.max(this.#size, position + data.byteLength);
    // Parts well behind the end of writing (never the first) will not change again.
    for (const index of [...this.#parts.keys()]) {
      if (index > 0 && (index + 1) * PART_BYTES + PATCH_WINDOW <= this.#size) await this.#send(index, this.#parts.get(index)!);
    }
  }

  async #send(index: number, bytes: Uint8Array): Promise<void> {
    this.#upload ??= await this.bucket.createMultipartUpload(this.key, { httpMetadata: { contentType: this.contentType } });
    this.#uploaded.set(index, await this.#upload.uploadPart(index + 1, bytes));
    this.#parts.delete(index);
  }

  /** Uploads what is left and completes the file; returns its size. */
  async finish(): Promise<number> {
    const last = Math.max(0, Math.ceil(this.#size / PART_BYTES) - 1);
    if (last === 0) {
      // One part: a plain put (a multipart upload was never started).
      await this.bucket.put(this.key, (this.#parts.get(0) ?? new Uint8Array(0)).subarray(0, this.#size), { httpMetadata: { contentType: this.contentType } });
      return this.#size;
    }
    for (const [index, part] of [...this.#parts].sort(([a], [b]) => a - b)) {
      await this.#send(index, index === last ? part.subarray(0, this.#size - last * PART_BYTES) : part);
    }
    const parts = [...this.#uploaded].sort(([a], [b]) => a - b).map(([, part]) => part);
    if (parts.length !== last + 1) throw new Error(`recording: ${last + 1 - parts.length} part(s) of ${this.key} were never written`);
    await this.#upload!.complete(parts);
    return this.#size;
  }

  /** Gives up: nothing half-written stays in R2. */
  async abort(): Promise<void> {
    await this.#upload?.abort().catch(() => undefined);
  }
}
