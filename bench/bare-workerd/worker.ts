/**
 * The fan-out benchmark's second comparator: a bare broadcast on workerd, the
 * runtime's own floor (bench/fanout.ts runs it in the same run as the Room
 * and the bare Node `ws` server, bare-broadcast.ts, with the same harness).
 *
 * The Worker hands every socket to one Durable Object, which accepts it as
 * the Room and its shards do (the hibernation API, no per-message
 * compression), sends it a one-line sync, and sends each pin and chat line,
 * serialized once, to every viewer. Nothing else: no storage, limits,
 * identities or checks beyond a ticket being one it gave out (the host's).
 * What a Room costs above this is ours; what this costs above Node's `ws` is
 * the runtime's. Benchmark-only; never deployed.
 */
import { DurableObject } from "cloudflare:workers";

type Env = { BROADCAST: DurableObjectNamespace<Broadcast> };

const id = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
const json = (status: number, body: unknown) => Response.json(body, { status });

export class Broadcast extends DurableObject<Env> {
  #seq = 0;
  readonly #tickets = new Set<string>();

  ticket(): string {
    const ticket = id("tk");
    this.#tickets.add(ticket);
    return ticket;
  }

  /** A new room's log starts again (the benchmark's rows each make one), as a Room's does. */
  reset(): void {
    this.#seq = 0;
  }

  pin(productId: string | null): void {
    this.#broadcast({ type: "pin", seq: ++this.#seq, productId });
  }

  async fetch(request: Request): Promise<Response> {
    const ticket = new URL(request.url).searchParams.get("ticket") ?? "";
    const role = (request.headers.get("Sec-WebSocket-Protocol") ?? "").startsWith("shop-along.viewer") ? "viewer" : this.#tickets.delete(ticket) ? "host" : null;
    if (!role) return json(401, { error: { code: "unauthorized" } });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [role]);
    server.send(JSON.stringify({ type: "sync", seq: this.#seq }));
    const headers = role === "viewer" ? { "Sec-WebSocket-Protocol": "shop-along.viewer" } : undefined;
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): void {
    const frame = JSON.parse(String(raw)) as { type?: string; text?: unknown };
    if (this.ctx.getTags(ws).includes("host") && frame.type === "chat") {
      this.#broadcast({ type: "chat", seq: ++this.#seq, message: { text: String(frame.text) } });
    }
  }

  webSocketClose(ws: WebSocket, code: number): void {
    ws.close(code === 1005 ? 1000 : code, "bye");
  }

  #broadcast(frame: object): void {
    const raw = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets("viewer")) ws.send(raw);
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    const room = env.BROADCAST.getByName("room");
    if (request.headers.get("Upgrade")?.toLowerCase() === "websocket") {
      // Past the ticket's check, a copy without per-message compression, as the Worker makes (worker/sockets.ts).
      const headers = new Headers(request.headers);
      headers.delete("Sec-WebSocket-Extensions");
      return room.fetch(new Request(request.url, { headers }));
    }
    // workerdOf (scripts/stack.ts) finds the runtime's own port by this answer.
    if (path === "/api/openapi.json") return json(200, { openapi: "3.1.0" });
    if (request.method !== "POST") return json(404, { error: { code: "not_found" } });
    const input = (await request.json().catch(() => ({}))) as { title?: string; productId?: string };
    if (path === "/api/shops") return json(201, { shop: { id: id("shop") }, apiKey: id("sk") });
    if (/^\/api\/shops\/[^/]+\/products$/.test(path)) return json(201, { product: { id: id("p"), title: input.title } });
    if (/^\/api\/shops\/[^/]+\/rooms$/.test(path)) {
      await room.reset();
      return json(201, { room: { id: id("r") }, links: { host: `http://bare/studio/r#key=${id("hk")}` } });
    }
    if (/^\/api\/rooms\/[^/]+\/tickets$/.test(path)) return json(201, { ticket: await room.ticket(), expiresAt: Date.now() + 30_000 });
    if (/^\/api\/rooms\/[^/]+\/pin$/.test(path)) {
      await room.pin(input.productId ?? null);
      return json(200, { ok: true });
    }
    return json(404, { error: { code: "not_found" } });
  },
};
