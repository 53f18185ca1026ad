/**
 * The fan-out benchmark's comparator: a bare Node `ws` broadcast server, the
 * floor a Room is measured against (bench/fanout.ts runs both in one run).
 *
 * It answers the few calls the benchmark's viewers and host make, in the same
 * shapes as the real API, and does nothing else: no storage, no limits, no
 * identities, no checks beyond a ticket being one it gave out (the host's;
 * a viewer joins with the viewer subprotocol alone). A pin or a chat
 * line is serialized once and sent to every socket, as the Room does, without
 * per-message compression (the Worker strips it too).
 *
 *   node bench/bare-broadcast.ts    prints {"port": …} on its first line, then serves until killed
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";

const id = (prefix: string) => `${prefix}_${randomBytes(16).toString("hex")}`;
const tickets = new Map<string, "host" | "viewer">();
const viewers = new Set<WebSocket>();
let seq = 0;

function broadcast(frame: object) {
  const raw = JSON.stringify(frame);
  for (const socket of viewers) socket.send(raw);
}

async function body(req: IncomingMessage): Promise<any> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

function answer(res: ServerResponse, status: number, json: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(json));
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? "/", "http://bare").pathname;
  const input = req.method === "POST" ? await body(req) : {};
  if (req.method !== "POST") return answer(res, 404, { error: { code: "not_found" } });
  if (path === "/api/shops") return answer(res, 201, { shop: { id: id("shop") }, apiKey: id("sk") });
  if (/^\/api\/shops\/[^/]+\/products$/.test(path)) return answer(res, 201, { product: { id: id("p"), title: input.title } });
  if (/^\/api\/shops\/[^/]+\/rooms$/.test(path)) {
    // A new room's log starts again (the benchmark's rows each make one), as a Room's does.
    seq = 0;
    return answer(res, 201, { room: { id: id("r") }, links: { host: `http://bare/studio/r#key=${id("hk")}` } });
  }
  if (/^\/api\/rooms\/[^/]+\/tickets$/.test(path)) {
    const ticket = id("tk");
    tickets.set(ticket, req.headers.authorization ? "host" : "viewer");
    return answer(res, 201, { ticket, expiresAt: Date.now() + 30_000 });
  }
  if (/^\/api\/rooms\/[^/]+\/pin$/.test(path)) {
    seq += 1;
    broadcast({ type: "pin", seq, productId: input.productId ?? null });
    return answer(res, 200, { ok: true });
  }
  answer(res, 404, { error: { code: "not_found" } });
});

const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on("upgrade", (req, socket, head) => {
  // A viewer joins in one request, as on the Room (the viewer subprotocol, which `ws` answers with); the host with a ticket.
  const ticket = new URL(req.url ?? "/", "http://bare").searchParams.get("ticket") ?? "";
  const role = req.headers["sec-websocket-protocol"]?.startsWith("shop-along.viewer") ? "viewer" : tickets.get(ticket);
  tickets.delete(ticket);
  if (!role) return socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
  sockets.handleUpgrade(req, socket, head, (ws) => {
    if (role === "viewer") viewers.add(ws);
    ws.on("close", () => viewers.delete(ws));
    ws.on("message", (data) => {
      const frame = JSON.parse(String(data));
      if (role === "host" && frame.type === "chat") {
        seq += 1;
        broadcast({ type: "chat", seq, message: { text: String(frame.text) } });
      }
    });
    ws.send(JSON.stringify({ type: "sync", seq }));
  });
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }));
});
