/**
 * What an uploaded photo is, from its bytes alone: JPEG, PNG or WebP by its
 * magic bytes (never by the Content-Type the client claims, which a page
 * would then be served with), and its pixel size (image-size reads it from
 * the header without decoding the image).
 */
import { imageSize } from "image-size";

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** Larger than any phone camera's frame: a header that claims more is not a real photo. */
const MAX_SIDE = 20_000;

export type PhotoFile = { contentType: "image/jpeg" | "image/png" | "image/webp"; extension: "jpg" | "png" | "webp"; width: number; height: number };

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((byte, i) => bytes[offset + i] === byte);

function kindOf(bytes: Uint8Array): Pick<PhotoFile, "contentType" | "extension"> | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { contentType: "image/jpeg", extension: "jpg" };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: "image/png", extension: "png" };
  // "RIFF" <size> "WEBP"
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return { contentType: "image/webp", extension: "webp" };
  return null;
}

/** The photo these bytes are, or null when they are not a JPEG, PNG or WebP image with a readable size. */
export function readPhotoFile(bytes: Uint8Array): PhotoFile | null {
  const kind = kindOf(bytes);
  if (!kind) return null;
  try {
    const size = imageSize(bytes);
    const expected = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" }[kind.contentType];
    if (size.type !== expected || !size.width || !size.height || size.width > MAX_SIDE || size.height > MAX_SIDE) return null;
    // EXIF orientations 5–8 turn the picture a quarter: the size a page shows is the other way round.
    const turned = (size.orientation ?? 1) >= 5;
    return { ...kind, width: turned ? size.height : size.width, height: turned ? size.width : size.height };
  } catch {
    return null;
  }
}
