/**
 * A product photo from the phone's camera or gallery: resized in the browser
 * before it is sent (a phone photo is 3–12 MB; 1600 px on the longest side,
 * WebP or JPEG at 0.85, is a few hundred KB and plenty for a product sheet),
 * then uploaded as the raw image to the catalogue's photo route.
 */
import { api } from "../api.ts";

export const LONGEST_SIDE = 1600;
const QUALITY = 0.85;

/** A photo picked in a form, ready to upload: `previewUrl` shows it before anything is sent. */
export type PhotoDraft = { id: number; blob: Blob; previewUrl: string; width: number; height: number };

export type UploadedPhoto = { id: string; url: string; width: number | null; height: number | null };

let nextId = 1;

/** Decodes the picked file (turned upright by its EXIF orientation), scales it down and re-encodes it; rejects when it is not an image the browser can read. */
export async function preparePhoto(file: Blob, longest = LONGEST_SIDE): Promise<PhotoDraft> {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, longest / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d")!.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  // A browser that cannot encode WebP hands back a PNG instead: JPEG is then the smaller choice.
  let blob = await encode(canvas, "image/webp");
  if (blob?.type !== "image/webp") blob = await encode(canvas, "image/jpeg");
  if (!blob) throw new Error("The photo could not be encoded.");
  return { id: nextId++, blob, previewUrl: URL.createObjectURL(blob), width, height };
}

const encode = (canvas: HTMLCanvasElement, type: string) => new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, QUALITY));

/** Adds the photo to the product (after its other photos). */
export async function uploadPhoto(shopId: string, productId: string, key: string, photo: Blob): Promise<UploadedPhoto> {
  const path = `/api/shops/${encodeURIComponent(shopId)}/products/${encodeURIComponent(productId)}/photos`;
  return (await api<{ photo: UploadedPhoto }>(path, { method: "POST", key, body: photo })).photo;
}
