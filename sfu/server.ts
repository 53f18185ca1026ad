// The HTTP face of the local SFU: Calls' routes under /v1/apps/{appId}/..., the
// Bearer check, JSON in and out, and the one place errors become responses.
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalSfu } from "./local-sfu.ts";
import {
  CallsError,
  CloseTracksRequest,
  NewSessionRequest,
  parseBody,
  RenegotiateRequest,
  TracksRequest,
} from "./protocol.ts";

/** Development defaults; the Worker must be given the same pair (see sfu/README.md). */
export const DEFAULT_APP_ID = "local-sfu-app";
export const DEFAULT_APP_SECRET = "local-sfu-secret";

/** SDPs are a few kilobytes; anything near this is not a Calls request. */
const MAX_BODY_BYTES = 256 * 1024;

export type CallsServerOptions = {
  sfu: LocalSfu;
  appId: string;
  appSecret: string;
  /** 0 picks a free port. The host is always 127.0.0.1. */
  port: number;
};

export type RunningCallsServer = {
  /** The API base to give the Worker as CALLS_API_BASE, e.g. `http://127.0.0.1:8788/v1`. */
  apiBase: string;
  port: number;
  server: Server;
  close(): Promise<void>;
};

type Route = {
  method: "GET" | "POST" | "PUT";
  pattern: RegExp;
  /** Status of a successful answer (Calls creates sessions with 201). */
  status: number;
  handle(sfu: LocalSfu, params: string[], body: unknown): Promise<unknown> | unknown;
};

const SESSION = "/v1/apps/([^/]+)/sessions/([^/]+)";

const routes: Route[] = [
  {
    method: "POST",
    pattern: /^\/v1\/apps\/([^/]+)\/sessions\/new$/,
    status: 201,
    handle: (sfu, _params, body) => sfu.newSession(parseBody(NewSessionRequest, body ?? {})),
  },
  {
    method: "POST",
    pattern: new RegExp(`^${SESSION}/tracks/new$`),
    status: 200,
    handle: (sfu, [, sessionId], body) => sfu.newTracks(sessionId ?? "", parseBody(TracksRequest, body)),
  },
  {
    method: "PUT",
    pattern: new RegExp(`^${SESSION}/renegotiate$`),
    status: 200,
    handle: (sfu, [, sessionId], body) => sfu.renegotiate(sessionId ?? "", parseBody(RenegotiateRequest, body)),
  },
  {
    method: "PUT",
    pattern: new RegExp(`^${SESSION}/tracks/close$`),
    status: 200,
    handle: (sfu, [, sessionId], body) => sfu.closeTracks(sessionId ?? "", parseBody(CloseTracksRequest, body)),
  },
  {
    method: "GET",
    pattern: new RegExp(`^${SESSION}$`),
    status: 200,
    handle: (sfu, [, sessionId]) => sfu.sessionState(sessionId ?? ""),
  },
  ...["PUT tracks/update", "POST datachannels/new", "PUT datachannels/close"].map((entry): Route => {
    const [method, path] = entry.split(" ") as [Route["method"], string];
    return {
      method,
      pattern: new RegExp(`^${SESSION}/${path}$`),
      status: 200,
      handle: () => {
        throw new CallsError(501, "not_implemented", `${path} is not implemented by the local SFU (see sfu/README.md); production Calls supports it`);
      },
    };
  }),
];

/** Starts the Calls-compatible HTTP API on 127.0.0.1. */
export async function startCallsServer(options: CallsServerOptions): Promise<RunningCallsServer> {
  const server = createServer((request, response) => {
    void handle(options, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    apiBase: `http://127.0.0.1:${port}/v1`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(options: CallsServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (request.method === "GET" && path === "/healthz") {
      send(response, 200, { ok: true, sessions: options.sfu.sessionCount });
      return;
    }
    const match = findRoute(request.method ?? "", path);
    if (!match) throw new CallsError(404, "not_found", `no such endpoint: ${request.method} ${path}`);
    authorize(options, request, match.params[0] ?? "");
    const body = await readJson(request);
    const result = await match.route.handle(options.sfu, match.params, body);
    send(response, match.route.status, result);
  } catch (error) {
    if (error instanceof CallsError) {
      send(response, error.status, error.toBody());
      return;
    }
    console.error("local SFU: unexpected error", error);
    const detail = error instanceof Error ? error.message : String(error);
    send(response, 500, { errorCode: "internal_error", errorDescription: `the local SFU failed: ${detail}` });
  }
}

function findRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (found) return { route, params: found.slice(1).map((part) => decodeURIComponent(part)) };
  }
  return undefined;
}

/** Calls authenticates with `Authorization: Bearer <app secret>`; the secret belongs to one app id. */
function authorize(options: CallsServerOptions, request: IncomingMessage, appId: string): void {
  const header = request.headers.authorization ?? "";
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  if (!token) {
    throw new CallsError(401, "unauthorized", "missing Authorization: Bearer <app secret> header");
  }
  if (!sameSecret(token, options.appSecret) || appId !== options.appId) {
    throw new CallsError(
      401,
      "unauthorized",
      "the app secret is not valid for this app id (check CALLS_APP_ID and CALLS_APP_SECRET on both the Worker and the local SFU)",
    );
  }
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual requires.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The parsed body, or undefined when there is none. Content-Type is not required: proxies often drop it. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new CallsError(413, "bad_request", `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CallsError(400, "bad_request", "request body is not valid JSON");
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
