/**
 * A valve on one page's WebRTC media path, for network-loss tests.
 *
 * Chromium's network emulation (offline, and even CDP's WebRTC `packetLoss`)
 * leaves an established peer connection alone, so we cut the path itself. The
 * local SFU names one ICE candidate per session, 127.0.0.1:<port>, in the SDP
 * its answers carry. The valve rewrites every such candidate the page gets
 * from the room's Calls proxy to a UDP relay of ours, which forwards both
 * ways while open and drops every datagram while shut: ICE checks, DTLS,
 * RTP and RTCP alike, for this page only. The page's code, the SFU and the
 * other pages are untouched.
 */
import { createSocket, type Socket } from "node:dgram";
import type { Page } from "playwright-core";

export async function valveMedia(page: Page) {
  let open = true;
  let dropped = 0;
  const sockets: Socket[] = [];
  /** SFU port → our relay's port, one relay per SFU session. */
  const relays = new Map<number, Promise<number>>();

  async function relayTo(sfuPort: number): Promise<number> {
    const front = createSocket("udp4");
    const back = createSocket("udp4");
    sockets.push(front, back);
    let browser: { address: string; port: number } | null = null;
    front.on("message", (message, from) => {
      browser = from;
      if (open) back.send(message, sfuPort, "127.0.0.1");
      else dropped++;
    });
    back.on("message", (message) => {
      if (open && browser) front.send(message, browser.port, browser.address);
      else dropped++;
    });
    await Promise.all([front, back].map((socket) => new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve))));
    return front.address().port;
  }

  await page.route(/\/api\/rooms\/[^/]+\/calls\/sessions\//, async (route) => {
    const response = await route.fetch();
    let body = await response.text();
    for (const [, port] of body.matchAll(/ 127\.0\.0\.1 (\d+) typ host/g)) {
      if (!relays.has(Number(port))) relays.set(Number(port), relayTo(Number(port)));
    }
    for (const [sfuPort, relay] of relays) {
      body = body.replaceAll(` 127.0.0.1 ${sfuPort} typ host`, ` 127.0.0.1 ${await relay} typ host`);
    }
    await route.fulfill({ response, body });
  });

  return {
    /** Sessions whose media ran through the valve so far. */
    get sessions() {
      return relays.size;
    },
    get dropped() {
      return dropped;
    },
    shut() {
      open = false;
    },
    open() {
      open = true;
    },
    close() {
      for (const socket of sockets) socket.close();
    },
  };
}
