/**
 * The HTTP API as the pages call it. Errors come back as
 * `{error: {code, message}}`; they are thrown as ApiError so a page can pick
 * a translated message by code and fall back to the server's own words.
 *
 * Paths are the site's (`/api/…`); on a brand's page the embed's build puts
 * the Worker's origin in front (origin.ts).
 */
import { origin } from "./origin.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How a request reaches the server: the page's fetch, or one that adds a session's credentials. */
export type Fetcher = (path: string, init: RequestInit) => Promise<Response>;

type ApiRequest = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Sent as JSON; a Blob (a photo) is sent as it is, with its own type. */
  body?: unknown;
  /** An API key, host key (hk_…) or guest key, sent as a Bearer token. */
  key?: string | null;
  /** Extra request headers, e.g. an order's Idempotency-Key. */
  headers?: Record<string, string>;
  fetcher?: Fetcher;
};

export async function api<T>(path: string, { method = "GET", body, key, headers: extra, fetcher = fetch }: ApiRequest = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...extra };
  const raw = body instanceof Blob;
  if (body !== undefined) headers["content-type"] = raw ? body.type : "application/json";
  if (key) headers.authorization = `Bearer ${key}`;

  let response: Response;
  try {
    response = await fetcher(origin + path, { method, headers, body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
  } catch (error) {
    // fetch only rejects when the request never got an answer.
    throw new ApiError(0, "network", error instanceof Error ? error.message : String(error));
  }

  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === "string" ? error.code : `http_${response.status}`,
      typeof error?.message === "string" ? error.message : response.statusText,
    );
  }
  return data as T;
}
