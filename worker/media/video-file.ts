/**
 * What an uploaded trailer is, from its bytes alone: an MP4 (an ISO base
 * media file: a `ftyp` box first) or a WebM (an EBML header whose DocType is
 * "webm"). Never the Content-Type the client claims: the file is served
 * with the type found here.
 */
export const MAX_TRAILER_BYTES = 20 * 1024 * 1024;

export type VideoFile = { contentType: "video/mp4" | "video/webm"; extension: "mp4" | "webm" };

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

export function readVideoFile(bytes: Uint8Array): VideoFile | null {
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === "ftyp") return { contentType: "video/mp4", extension: "mp4" };
  // EBML magic, then (within the header's first bytes) the DocType "webm"; Matroska files say "matroska".
  if (bytes.length >= 16 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3 && ascii(bytes, 4, 64).includes("webm")) {
    return { contentType: "video/webm", extension: "webm" };
  }
  return null;
}
