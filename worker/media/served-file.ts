/**
 * Serving an uploaded file from R2: a photo, a show's cover or trailer, a
 * team member's photo. A key is never reused, so what is served is
 * immutable and cached for a year, revalidated by ETag; a `Range` request
 * (a `<video>` seeking in a trailer) gets the bytes it names (206).
 */
import { notFound } from "../errors.ts";

/** SQL for the address of an uploaded file whose R2 key is in `column` (null stays null): it is served at /photos/{key}. */
export const photoUrlOf = (column: string) => `CASE WHEN ${column} IS NULL THEN NULL ELSE '/photos/' || ${column} END`;

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`: one range; null for none, or for one this file cannot satisfy. */
function rangeOf(header: string | null, size: number): { offset: number; length: number } | "unsatisfiable" | null {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match) return null;
  const [, from, to] = match;
  if (from === "" && to === "") return null;
  if (from === "") {
    const length = Math.min(Number(to), size);
    return length > 0 ? { offset: size - length, length } : "unsatisfiable";
  }
  const offset = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  return offset < size && end >= offset ? { offset, length: end - offset + 1 } : "unsatisfiable";
}

export async function servedFile(bucket: R2Bucket, key: string, request: Request): Promise<Response> {
  const head = await bucket.head(key);
  if (!head) throw notFound("This file");
  const headers = new Headers({
    "Content-Type": head.httpMetadata?.contentType ?? "application/octet-stream",
    "Cache-Control": "public, max-age=31536000, immutable",
    ETag: head.httpEtag,
    "Accept-Ranges": "bytes",
    "X-Content-Type-Options": "nosniff",
    // Opened on its own, it is a picture or a video: nothing in it may run.
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  const etags = request.headers.get("If-None-Match");
  if (etags && etags.split(",").some((tag) => tag.trim() === head.httpEtag || tag.trim() === "*")) return new Response(null, { status: 304, headers });
  const range = rangeOf(request.headers.get("Range"), head.size);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${head.size}`);
    return new Response(null, { status: 416, headers });
  }
  const object = await bucket.get(key, range ? { range } : {});
  if (!object) throw notFound("This file");
  if (!range) {
    headers.set("Content-Length", String(head.size));
    return new Response(object.body, { status: 200, headers });
  }
  headers.set("Content-Length", String(range.length));
  headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
  return new Response(object.body, { status: 206, headers });
}
