/** The body limit of an upload route, which alone may send more than the API's 64 KB (index.ts lets them through). */
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../errors.ts";

export const uploadLimit = (maxBytes: number, what: string, advice: string) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `${what} may be at most ${maxBytes / 1024 / 1024} MB; ${advice}`);
    },
  });

/** The upload routes (method and path), each with its own limit above. */
export const UPLOAD_ROUTES: [method: string, path: RegExp][] = [
  ["POST", /^\/api\/shops\/[^/]+\/products\/[^/]+\/photos\/?$/],
  ["POST", /^\/api\/shops\/[^/]+\/rooms\/[^/]+\/(cover|trailer)\/?$/],
  ["PUT", /^\/api\/auth\/me\/photo\/?$/],
  ["PUT", /^\/api\/rooms\/[^/]+\/recording\/takes\/[^/]+\/chunks\/[^/]+\/?$/],
  ["POST", /^\/api\/shops\/[^/]+\/rooms\/[^/]+\/replay\/thumbnail\/?$/],
];

export const isUpload = (method: string, path: string) => UPLOAD_ROUTES.some(([m, pattern]) => m === method && pattern.test(path));
