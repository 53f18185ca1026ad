import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { PROTOCOL_VERSION, VIEWER_SOCKET } from "../durable-objects/protocol.ts";

export const BASE = "http://shop.test";

/** Calls the Worker as a client would. */
export function call(path: string, init: RequestInit & { json?: unknown; key?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  if (init.key) headers.set("Authorization", `Bearer ${init.key}`);
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, body }));
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** A shop and a show starting at `startsAt` (ISO with offset), made through the API. */
export async function scheduledShow(startsAt: string | null, title = "Winter tea, tasted live") {
  const { shop, apiKey } = await json(await call("/api/shops", { method: "POST", json: { name: "Lotus Tea", currency: "EUR" } }));
  const { product } = await json(await call(`/api/shops/${shop.id}/products`, { method: "POST", key: apiKey, json: { title: "Jasmine pearls", priceCents: 1899 } }));
  const res = await call(`/api/shops/${shop.id}/rooms`, { method: "POST", key: apiKey, json: { title, ...(startsAt ? { startsAt } : {}), products: [{ productId: product.id, stock: 5 }] } });
  expect(res.status).toBe(201);
  const { room, links } = await json(res);
  return { shop, apiKey, product, room, links, hostKey: new URL(links.host).hash.replace("#key=", "") as string };
}

/** A shop with two products and a show listing them, made through the public API. */
export async function createShow(options: { stock?: number; shopName?: string } = {}) {
  const shopRes = await call("/api/shops", { method: "POST", json: { name: options.shopName ?? "Lotus Tea", currency: "EUR" } });
  const { shop, apiKey } = await json(shopRes);
  const products = [];
  for (const [title, priceCents] of [["Jasmine pearls", 1899], ["Gaiwan set", 4500]] as const) {
    const res = await call(`/api/shops/${shop.id}/products`, { method: "POST", key: apiKey, json: { title, priceCents } });
    products.push((await json(res)).product);
  }
  const roomRes = await call(`/api/shops/${shop.id}/rooms`, {
    method: "POST",
    key: apiKey,
    json: { title: "Spring tasting", products: products.map((p) => ({ productId: p.id, stock: options.stock ?? 10 })) },
  });
  const { room, links } = await json(roomRes);
  const hostKey = new URL(links.host).hash.replace("#key=", "");
  const guestKey = new URL(links.guest).hash.replace("#key=", "");
  const moderatorKey = new URL(links.moderator).hash.replace("#key=", "");
  return { shop, apiKey, products, room, links, hostKey, guestKey, moderatorKey };
}

type Frame = { type: string; seq: number; [key: string]: any };

/** A room socket as a test sees it: every frame kept, waits bounded by a timeout. */
export interface TestSocket {
  ws: WebSocket;
  frames: Frame[];
  /** The frames as they came, one entry per WebSocket message (a batch, from BATCHES_SINCE on, is several). */
  messages: Frame[][];
  /** Resolves with the next frame (after those already taken) matching `type`. */
  next(type: string, timeoutMs?: number): Promise<Frame>;
  /** The subprotocol the server answered with. */
  protocol: string | null;
  send(message: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** A socket ticket for `roomId`, as a page gets one (the key in a header, never in the URL). */
export async function ticketFor(roomId: string, options: { key?: string; viewerToken?: string } = {}) {
  const res = await call(`/api/rooms/${roomId}/tickets`, {
    method: "POST",
    key: options.key,
    headers: options.viewerToken ? { "X-Viewer-Token": options.viewerToken } : {},
  });
  if (res.status !== 201) throw new Error(`no ticket: ${res.status} ${await res.text()}`);
  return json<{ ticket: string; role: string; viewer: { id: string; token: string } }>(res);
}

/** Opens a socket with exactly this query and headers (no ticket is fetched): for tests of what the Worker refuses. */
export async function connect(roomId: string, query: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<TestSocket | Response> {
  const url = new URL(`${BASE}/parties/room/${roomId}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await exports.default.fetch(new Request(url, { headers: { Upgrade: "websocket", ...headers } }));
  const ws = res.webSocket;
  if (!ws) return res;
  ws.accept();
  const frames: Frame[] = [];
  const messages: Frame[][] = [];
  let cursor = 0;
  const listeners = new Set<() => void>();
  ws.addEventListener("message", (event: MessageEvent) => {
    const data = JSON.parse(event.data as string) as Frame | Frame[];
    messages.push(Array.isArray(data) ? data : [data]);
    frames.push(...messages.at(-1)!);
    for (const listener of listeners) listener();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (event: CloseEvent) => resolve({ code: event.code, reason: event.reason })),
  );
  return {
    ws,
    protocol: res.headers.get("Sec-WebSocket-Protocol"),
    frames,
    messages,
    closed,
    send: (message) => ws.send(typeof message === "string" ? message : JSON.stringify(message)),
    next(type, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (let i = cursor; i < frames.length; i++) {
            if (frames[i]!.type === type) {
              cursor = i + 1;
              listeners.delete(check);
              clearTimeout(timer);
              resolve(frames[i]!);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no "${type}" frame within ${timeoutMs} ms; got ${JSON.stringify(frames.slice(cursor).map((f) => f.type))}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

/**
 * Opens a room socket as a page does: trades the key (if any) for a ticket,
 * keeping `viewerToken`'s identity when given, then connects with `since`
 * and any extra query parameters.
 */
export async function open(
  roomId: string,
  options: { key?: string; viewerToken?: string; since?: string; query?: Record<string, string> } = {},
): Promise<TestSocket & { viewer: { id: string; token: string } }> {
  const { ticket, viewer } = await ticketFor(roomId, options);
  const socket = await connect(roomId, { ...(options.since ? { since: options.since } : {}), ...options.query, ticket });
  if (socket instanceof Response) throw new Error(`socket refused: ${socket.status} ${await socket.text()}`);
  return Object.assign(socket, { viewer });
}

/**
 * Opens a viewer's socket as the viewer page does, in one request: the viewer subprotocol, with the viewer token
 * (if any) as the second offer. A refusal is returned as the Worker's answer.
 */
export function joinAsViewer(
  roomId: string,
  options: { viewerToken?: string; since?: string; headers?: Record<string, string> } = {},
): Promise<TestSocket | Response> {
  const protocols = [VIEWER_SOCKET, ...(options.viewerToken ? [options.viewerToken] : [])].join(", ");
  return connect(roomId, { protocol: String(PROTOCOL_VERSION), ...(options.since ? { since: options.since } : {}) }, { ...options.headers, "Sec-WebSocket-Protocol": protocols });
}

/** Warm-up for a file's first test: the first socket in a file pays for starting the runtime. */
export async function warmUp(): Promise<void> {
  const show = await createShow();
  const socket = await open(show.room.id);
  await socket.next("sync", 10_000);
  socket.ws.close();
}

/** Checks an error answer's status and code; returns its message. */
export async function expectError(res: Response, status: number, code: string): Promise<string> {
  const body = await json(res);
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  return body.error.message as string;
}

/** A room's stock counters per product, straight from its storage. */
export function counters(roomId: string) {
  return runInDurableObject(env.Room.getByName(roomId), (_room, state) =>
    state.storage.sql.exec<{ id: string; listed: number; available: number; held: number; sold: number }>(
      "SELECT id, listed, available, held, sold FROM products ORDER BY position",
    ).toArray(),
  );
}

/** Runs the room's alarm until its outbox is empty, retrying at once instead of after the backoff (bounded). */
export async function drainOutbox(roomId: string): Promise<void> {
  const stub = env.Room.getByName(roomId);
  for (let i = 0; i < 20; i++) {
    const left = await runInDurableObject(stub, (_room, state) => {
      state.storage.sql.exec("UPDATE outbox SET next_at = 0");
      return state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;
    });
    if (left === 0) return;
    await runDurableObjectAlarm(stub);
  }
  throw new Error("the outbox did not drain");
}

/** Claims the shop of `apiKey` for a new account, as the landing page does; the session cookie (`name=value`). */
export async function claimShop(apiKey: string): Promise<string> {
  const headers = { Authorization: `Bearer ${apiKey}`, Origin: BASE, "Content-Type": "application/json" };
  const res = await exports.default.fetch(new Request(`${BASE}/api/auth/claim`, { method: "POST", headers, body: "{}" }));
  if (res.status !== 201) throw new Error(`claim: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().at(-1)!.split(";")[0]!;
}
