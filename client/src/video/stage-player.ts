/**
 * What the viewer page plays: every track on the room's stage, pulled through
 * one Calls session, as one tile per video track (a camera tile carries its
 * publisher's microphone too; a microphone alone is a tile that is only heard).
 *
 * The session follows the stage: new tracks are pulled into it, tracks that
 * left are closed, an empty stage drops it. It also heals itself: every two
 * seconds we check that packets still arrive, and after two checks without
 * any (the network went away, the relay restarted, ICE failed) we throw the
 * session away and open a new one, which is what Calls expects after a
 * connection loss. The tiles stay up, frozen, meanwhile. A failed request is
 * retried with backoff (up to 8 s apart); the room socket reconnecting and the
 * browser coming back online retry at once.
 */
import { computed, effect, signal, type ReadonlySignal } from "@preact/signals";
import type { StageTrack } from "../../../durable-objects/protocol.ts";
import type { RoomModel } from "../room-model.ts";
import { hasWebRTC, openSession, type CallsSession } from "./calls.ts";

/**
 * `audio`: a microphone without a camera, or a camera turned off (black
 * frames): played but not shown; `off`: that camera, whose place on the
 * stage gets its person's poster while others are seen.
 */
export type Tile = { key: string; role: StageTrack["role"]; source: StageTrack["source"]; stream: MediaStream; audio: boolean; off: boolean };
/** reconnecting: the media stopped and a new session is on its way; relay: the relay cannot be reached; webrtc: this browser has none. */
export type PlayerProblem = "reconnecting" | "relay" | "webrtc" | null;

export type StagePlayer = ReturnType<typeof createStagePlayer>;

const keyOf = (t: StageTrack) => `${t.sessionId}/${t.trackName}`;

/** `skip`: a session whose tracks we must not pull (a guest's own, shown from its camera instead). */
export function createStagePlayer(roomId: string, model: RoomModel, skip?: ReadonlySignal<string | null>) {
  const tiles = signal<Tile[]>([]);
  const problem = signal<PlayerProblem>(hasWebRTC() ? null : "webrtc");
  const stage = computed(() => (model.room.value?.stage ?? []).filter((t) => t.sessionId != skip?.value));
  // Presence and hearts change the room often; only a different stage (tracks, a camera turned off or on) is worth a sync.
  const stageKey = computed(() => JSON.stringify(stage.value));
  let session: CallsSession | null = null;
  /** Stage track key → the m-line and track it arrives on in the current session. */
  let pulled = new Map<string, { mid: string; track: MediaStreamTrack }>();
  let streams = new Map<string, MediaStream>();
  let running = false;
  let again = false;
  let retries = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let packets = 0;
  let stalls = 0;

  function drop() {
    session?.pc.close();
    session = null;
    pulled = new Map();
    packets = stalls = 0;
  }

  /** Brings the session in line with the stage; one run at a time, a change meanwhile runs it again. */
  async function sync() {
    clearTimeout(retryTimer);
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        const want = stage.peek();
        if (!want.length) drop();
        else {
          const s = (session ??= await openSession(roomId));
          const keys = new Set(want.map(keyOf));
          const gone = [...pulled].filter(([key]) => !keys.has(key));
          if (gone.length) await s.close(gone.map(([, { mid }]) => mid));
          for (const [key] of gone) pulled.delete(key);
          const add = want.filter((t) => !pulled.has(keyOf(t)));
          if (add.length) (await s.pull(add)).forEach((got, i) => got && pulled.set(keyOf(add[i]!), got));
        }
        show(want);
      } while (again);
      retries = 0;
      problem.value = null;
    } catch (error) {
      // The relay or the network is down, or the stage changed under a pull (not_on_stage): start over, later.
      drop();
      // No code (not a VideoError) reads as "undefined": not the relay's fault.
      problem.value = /relay|unavailable|http_5/.test(String((error as { code?: string }).code)) ? "relay" : "reconnecting";
      retryTimer = setTimeout(sync, Math.min(500 * 2 ** retries++, 8000));
    }
    running = false;
  }

  /**
   * One tile per video track we receive, a camera's tile with its publisher's
   * microphone; a microphone without a camera gets a tile of its own (heard,
   * not seen). A tile keeps its stream while its tracks stay the same, so its
   * video never blinks.
   */
  function show(want: StageTrack[]) {
    const next = new Map<string, MediaStream>();
    const shown: Tile[] = [];
    const camera = (t: StageTrack) => t.kind == "video" && t.source == "camera";
    for (const t of want) {
      const key = keyOf(t);
      const own = pulled.get(key)?.track;
      const audio = t.kind == "audio";
      if (!own || (audio && want.some((v) => camera(v) && v.sessionId == t.sessionId))) continue;
      const tracks = [own];
      for (const a of want) {
        const heard = pulled.get(keyOf(a))?.track;
        if (camera(t) && a.kind == "audio" && a.sessionId == t.sessionId && heard) tracks.push(heard);
      }
      const old = streams.get(key);
      const stream = old && old.getTracks().length == tracks.length && tracks.every((x) => old.getTrackById(x.id)) ? old : new MediaStream(tracks);
      next.set(key, stream);
      // A camera turned off sends black frames: heard, not seen (with no picture left, the stage shows the host's poster).
      shown.push({ key, role: t.role, source: t.source, stream, audio: t.paused || audio, off: !!t.paused && camera(t) });
    }
    streams = next;
    tiles.value = shown;
  }

  /** Packets still arriving? Two checks without any mean the media path is gone: start a new session. */
  async function check() {
    const pc = session?.pc;
    if (!pc || running) return;
    let received = 0;
    (await pc.getStats().catch(() => new Map())).forEach((r) => r.type == "inbound-rtp" && (received += r.packetsReceived));
    if (pc != session?.pc) return;
    if (received > packets || !pulled.size) {
      packets = received;
      stalls = 0;
    } else if (++stalls > 1 || pc.connectionState == "failed") {
      problem.value = "reconnecting";
      drop();
      void sync();
    }
  }

  /** Back online (socket or browser): a session that is not connected is replaced now, a pending retry runs now. */
  function recheck() {
    if (!running && session?.pc.connectionState != "connected") {
      drop();
      void sync();
    }
  }

  if (!problem.peek()) {
    effect(() => {
      stageKey.value;
      void sync();
    });
    setInterval(check, 2000);
    addEventListener("online", recheck);
    let wasOnline = true;
    effect(() => {
      const online = model.connection.value == "online";
      if (online && !wasOnline) recheck();
      wasOnline = online;
    });
  }

  return { tiles, problem };
}
