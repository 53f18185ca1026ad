#!/usr/bin/env node
/**
 * Serves the embed example (index.html) from its own origin, the way a
 * brand's site would be: another port than the Worker's. `npm start` runs it
 * on the Worker's port + 2; alone:
 *
 *   node examples/embed/serve.mjs [port] [worker origin]     (defaults: 8789, http://localhost:8787)
 *
 * Open http://127.0.0.1:8789/ (the demo shop's show), or add ?room=r_… or
 * ?shop={slug}; ?cart=off lets the player's own checkout take "Buy now";
 * ?lang=zh-CN serves the page (and so the player) in Chinese.
 * The page names the Worker as http://localhost:8787; it is served with the
 * given origin instead, so the same file works against any port.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const PAGE = fileURLToPath(new URL("./index.html", import.meta.url));
const WRITTEN_ORIGIN = "http://localhost:8787";
const ROOM = /^r_[0-9A-Za-z]{1,40}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The example page for a Worker at `origin`, embedding `room` or `shop` when given (else the demo shop), in `lang` (en, zh-CN). */
export function examplePage(origin, { room, shop, lang } = {}) {
  let html = readFileSync(PAGE, "utf8").replaceAll(WRITTEN_ORIGIN, origin);
  if (lang === "zh-CN") html = html.replace('<html lang="en">', '<html lang="zh-CN">');
  if (room && ROOM.test(room)) html = html.replace(/<shop-along-show shop="[^"]*">/, `<shop-along-show room="${room}">`);
  if (shop && SLUG.test(shop)) html = html.replaceAll(/ shop="lotus-tea-house"/g, ` shop="${shop}"`);
  return html;
}

/** Starts the example's server; resolves with its origin. */
export function startExampleServer({ port = 8789, origin = WRITTEN_ORIGIN, host = "127.0.0.1" } = {}) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname !== "/" && url.pathname !== "/index.html") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: the example is at /");
      return;
    }
    const html = examplePage(origin, { room: url.searchParams.get("room"), shop: url.searchParams.get("shop"), lang: url.searchParams.get("lang") });
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve({ origin: `http://${host}:${server.address().port}`, close: () => new Promise((done) => server.close(done)) }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [port, origin] = process.argv.slice(2);
  const { origin: at } = await startExampleServer({ port: Number(port ?? 8789), origin: origin ?? WRITTEN_ORIGIN });
  console.log(`The embed example (a brand's page, another origin) is at ${at}/ — the Worker: ${origin ?? WRITTEN_ORIGIN}`);
}
