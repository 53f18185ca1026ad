/**
 * The room's WebSocket, which reconnects by itself: what partysocket's
 * ReconnectingWebSocket did for the room model, with the same timings, in
 * the part of it this page uses. partysocket cost the viewer page 3.4 KB
 * gzipped (its PartySocket wrapper 1.2, the reconnecting socket 2.2, with
 * its warnings for Node and React Native); this costs about 0.5.
 *
 * - The address is asked for before every attempt (a fresh ticket, the last
 *   event applied), and so are the subprotocols to offer; a failure there
 *   counts as a failed attempt.
 * - The first attempt goes at once; after a failure or a drop, the next one
 *   waits 3 s, then 1.3 times longer each time, up to 10 s. A socket that
 *   stayed open 5 s has proven itself: the next drop starts from 3 s again.
 * - An attempt that has not opened within 4 s is abandoned and retried.
 * - Frames sent while there is no open socket wait for the next one.
 * - `shouldReconnect(close event)` false, or `close()`, stops for good;
 *   `reconnect()` drops the socket and tries again at once.
 */
const FIRST_DELAY_MS = 3000;
const GROWTH = 1.3;
const MAX_DELAY_MS = 10_000;
const MIN_UPTIME_MS = 5000;
const OPEN_TIMEOUT_MS = 4000;

export type RoomSocketOptions = {
  url: () => Promise<string>;
  protocols?: () => string[];
  shouldReconnect: (event: CloseEvent) => boolean;
  onOpen: () => void;
  onMessage: (event: MessageEvent) => void;
  onClose: (event: CloseEvent) => void;
  /** A socket error, or no address for the next attempt. */
  onError: () => void;
};

export function openRoomSocket({ url, protocols, shouldReconnect, onOpen, onMessage, onClose, onError }: RoomSocketOptions) {
  let ws: WebSocket | null = null;
  let stopped = false;
  /** Failed attempts in a row; -1: the next attempt goes at once. */
  let retries = -1;
  /** Bumped by every new attempt, so that an older one still waiting for its address gives up. */
  let attempt = 0;
  let wait: ReturnType<typeof setTimeout> | undefined;
  let uptime: ReturnType<typeof setTimeout> | undefined;
  const queue: string[] = [];

  function schedule() {
    clearTimeout(wait);
    if (stopped) return;
    retries++;
    const delay = retries > 0 ? Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * GROWTH ** (retries - 1)) : 0;
    const mine = ++attempt;
    wait = setTimeout(() => void connect(mine), delay);
  }

  async function connect(mine: number) {
    let address: string;
    try {
      address = await url();
    } catch {
      if (mine !== attempt || stopped) return;
      onError();
      return schedule();
    }
    if (mine !== attempt || stopped) return;
    const socket = (ws = new WebSocket(address, protocols?.()));
    // A close event follows, which schedules the next attempt.
    const abandon = setTimeout(() => socket.close(), OPEN_TIMEOUT_MS);
    socket.onopen = () => {
      clearTimeout(abandon);
      uptime = setTimeout(() => (retries = 0), MIN_UPTIME_MS);
      for (const frame of queue.splice(0)) socket.send(frame);
      onOpen();
    };
    socket.onmessage = onMessage;
    socket.onerror = () => {
      if (ws === socket) onError();
    };
    socket.onclose = (event) => {
      clearTimeout(abandon);
      clearTimeout(uptime);
      if (ws !== socket) return; // Replaced by reconnect(): that one counts now.
      ws = null;
      if (!shouldReconnect(event)) stopped = true;
      onClose(event);
      schedule();
    };
  }

  schedule();

  return {
    /** Sends now (true), or queues the frame for the next socket to open (false). */
    send(frame: string): boolean {
      if (ws?.readyState === WebSocket.OPEN) {
        ws.send(frame);
        return true;
      }
      queue.push(frame);
      return false;
    },
    reconnect() {
      if (stopped) return;
      const old = ws;
      ws = null;
      old?.close();
      retries = -1;
      schedule();
    },
    close() {
      stopped = true;
      clearTimeout(wait);
      ws?.close();
    },
  };
}
