/**
 * The camera side of a show, for the host's studio and a guest's page: the
 * camera and microphone preview, the device pickers (front and back camera
 * on a phone), mute and camera off, a shared screen, and publishing it all
 * to the stage through one Calls session.
 *
 * Mute and camera off disable the track rather than remove it: the browser
 * keeps sending silence and black frames, so viewers' players see a live
 * track and nobody renegotiates. Camera off also tells the room (the track
 * is "paused" on the stage), so viewers show the publisher's poster instead
 * of the black frames. A new camera or microphone replaces the track on the
 * same sender, again without renegotiating.
 *
 * Publishing heals itself: when the connection to the relay fails (the
 * network dropped, the relay restarted) the tracks of the dead session are
 * closed, which takes them off the stage, and the same tracks are published
 * on a new session; a relay that cannot be reached is retried with backoff.
 * The tab remembers the session it publishes on (sessionStorage), so that a
 * reloaded studio knows it was on stage and can take the old session off it.
 */
import { signal } from "@preact/signals";
import { hasWebRTC, openSession, VideoError, type CallsSession } from "./calls.ts";
import { tap } from "./frame-tap.ts";

/** Why there is no picture or no publishing, in words the page looks up (i18n-video.ts). */
export type CameraProblem = "denied" | "noCamera" | "busy" | "webrtc" | "relay" | "removed" | "noScreen";
type Source = "camera" | "screen";

/** How long a connection may stay "disconnected" before we give up on it and publish anew. */
const DISCONNECTED_MS = 4000;

let trackNumber = 0;

/** What this tab's last page of a room left on the stage: the session it published on, "off" when it left the stage, or null. */
type StageMemory = string | "off" | null;

export type Publisher = ReturnType<typeof createPublisher>;

/** `key`: the host's or a guest's; null for a signed-in team member hosting with the session cookie (the studio opened from the console). */
export function createPublisher(roomId: string, key: string | null) {
  /** The camera and microphone, as previewed and published. */
  const preview = signal<MediaStream | null>(null);
  const cameras = signal<MediaDeviceInfo[]>([]);
  const mics = signal<MediaDeviceInfo[]>([]);
  const cameraId = signal("");
  const micId = signal("");
  const micOn = signal(true);
  const cameraOn = signal(true);
  const screen = signal<MediaStreamTrack | null>(null);
  /** off → joining → on; "joining" also while a lost connection is being replaced. */
  const state = signal<"off" | "joining" | "on">("off");
  const problem = signal<CameraProblem | null>(null);
  /** The publishing session: the page must not pull its own tracks. */
  const sessionId = signal<string | null>(null);

  let session: CallsSession | null = null;
  /** Sessions that died with tracks still on the stage; closed before the next publish. */
  let dead: CallsSession[] = [];
  /** The m-lines each session publishes on (a closed peer connection no longer lists them). */
  const published = new Map<CallsSession, string[]>();
  let wanted = false;
  /** A publish attempt is under way. */
  let busy = false;
  let retries = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let listening = false;

  const memoryKey = `shop-along:stage:${roomId}`;
  /** Read once, before this page publishes and overwrites it. */
  const lastPage = recall();

  function recall(): StageMemory {
    try {
      return sessionStorage.getItem(memoryKey);
    } catch {
      return null;
    }
  }

  function remember(value: string) {
    try {
      sessionStorage.setItem(memoryKey, value);
    } catch {
      // Storage blocked: a reload then waits for a tap on "Join stage".
    }
  }

  const media = () => navigator.mediaDevices;
  /** A camera by id, or (on a phone) by the side it faces. */
  const constraints = (kind: "video" | "audio", id: string, facing?: string): MediaTrackConstraints =>
    kind == "video"
      ? { deviceId: id ? { exact: id } : undefined, facingMode: facing ? { ideal: facing } : undefined, width: { ideal: 1280 }, height: { ideal: 720 } }
      : { deviceId: id ? { exact: id } : undefined };

  function fail(error: unknown) {
    const name = (error as Error).name;
    problem.value = name == "NotAllowedError" || name == "SecurityError" ? "denied" : name == "NotFoundError" || name == "OverconstrainedError" ? "noCamera" : "busy";
  }

  async function listDevices() {
    const all = await media().enumerateDevices();
    cameras.value = all.filter((d) => d.kind == "videoinput" && d.deviceId);
    mics.value = all.filter((d) => d.kind == "audioinput" && d.deviceId);
    const tracks = preview.peek()?.getTracks() ?? [];
    cameraId.value = tracks.find((t) => t.kind == "video")?.getSettings().deviceId ?? "";
    micId.value = tracks.find((t) => t.kind == "audio")?.getSettings().deviceId ?? "";
  }

  /** Asks for the camera and microphone (again, after "Try again"); without a camera, the microphone alone. */
  async function start() {
    if (!hasWebRTC() || !media()?.getUserMedia) return void (problem.value = "webrtc");
    problem.value = null;
    const old = preview.peek()?.getTracks() ?? [];
    for (const track of old) track.stop();
    let stream: MediaStream | null = null;
    try {
      stream = await media().getUserMedia({ video: constraints("video", ""), audio: true });
    } catch (error) {
      fail(error);
      if (problem.peek() == "noCamera") stream = await media().getUserMedia({ audio: true }).catch(() => null);
    }
    for (const track of stream?.getTracks() ?? []) await swap(old.find((t) => t.kind == track.kind), track);
    await listDevices().catch(() => {});
    if (!listening) media().addEventListener?.("devicechange", () => void listDevices().catch(() => {}));
    listening = true;
    // "Go live" pressed before the camera was allowed: now there is something to publish.
    if (wanted) void publish();
  }

  /** Switches camera or microphone; a phone can open one camera at a time, so the old one stops first. */
  async function use(kind: "video" | "audio", id: string, facing?: string) {
    const old = preview.peek()?.getTracks().find((t) => t.kind == kind);
    old?.stop();
    try {
      await swap(old, (await media().getUserMedia({ [kind]: constraints(kind, id, facing) })).getTracks()[0]!);
      problem.value = null;
    } catch (error) {
      fail(error);
    }
    await listDevices().catch(() => {});
  }

  /**
   * Front to back camera and back: a phone's camera says which side it faces,
   * so we ask for the other side (device ids and labels say nothing reliable
   * about sides); a computer's cameras face nowhere: the next one in the list.
   */
  async function flip() {
    const facing = preview.peek()?.getVideoTracks()[0]?.getSettings().facingMode;
    const list = cameras.peek();
    if (!facing && list.length > 1) {
      const at = list.findIndex((d) => d.deviceId == cameraId.peek());
      return use("video", list[(at + 1) % list.length]!.deviceId);
    }
    return use("video", "", facing == "environment" ? "user" : "environment");
  }

  /** Puts a new camera or microphone track where the old one was: in the preview, and on its sender when on stage. */
  async function swap(old: MediaStreamTrack | undefined, track: MediaStreamTrack) {
    track.enabled = (track.kind == "video" ? cameraOn : micOn).peek();
    preview.value = new MediaStream([...(preview.peek()?.getTracks().filter((t) => t.kind != track.kind) ?? []), track]);
    const sender = old && session?.pc.getSenders().find((s) => s.track == old);
    if (sender) await sender.replaceTrack(track);
    else if (session && state.peek() == "on") await add(session, [{ track, source: "camera" }]);
  }

  function toggle(kind: "video" | "audio") {
    const on = kind == "video" ? cameraOn : micOn;
    on.value = !on.peek();
    for (const track of preview.peek()?.getTracks() ?? []) if (track.kind == kind) track.enabled = on.peek();
    if (kind == "video") void tellPaused();
  }

  /** The camera's m-lines on a session (not a shared screen's). */
  const cameraMids = (s: CallsSession) =>
    s.pc.getTransceivers().flatMap((t) => (t.mid && t.sender.track?.kind == "video" && t.sender.track != screen.peek() ? [t.mid] : []));

  /**
   * Tells the room the camera is off (or on again), so viewers show the
   * poster rather than black frames. A lost call is not retried: publishing
   * anew (after a connection loss) sends the state with the tracks.
   */
  async function tellPaused() {
    const s = session;
    const mids = s && state.peek() == "on" ? cameraMids(s) : [];
    if (mids.length) await s!.api("PUT", "tracks/pause", { tracks: mids.map((mid) => ({ mid })), paused: !cameraOn.peek() }).catch(() => {});
  }

  /** Publishes tracks on a session: our offer goes with them, Calls answers it. */
  async function add(s: CallsSession, tracks: Array<{ track: MediaStreamTrack; source: Source }>) {
    const sent = tracks.map(({ track, source }) => ({ source, kind: track.kind, t: s.pc.addTransceiver(track, { direction: "sendonly" }) }));
    // Before the offer: the recorder records what these senders encode (frame-tap.ts).
    for (const { t } of sent) tap(t.sender);
    await s.pc.setLocalDescription();
    const answer = await s.api("POST", "tracks/new", {
      sessionDescription: s.pc.localDescription,
      tracks: sent.map(({ source, kind, t }) => ({
        location: "local",
        mid: t.mid,
        trackName: `${source}-${kind}-${++trackNumber}`,
        kind,
        source,
        // A camera turned off before (re)publishing goes on stage paused.
        paused: source == "camera" && kind == "video" && !cameraOn.peek(),
      })),
    });
    await s.settle(answer);
    published.set(s, [...(published.get(s) ?? []), ...sent.map(({ t }) => t.mid!)]);
  }

  /** Closes all of a session's tracks at the relay (and so on the stage); no renegotiation, the session is going away. */
  async function closeAll(s: CallsSession) {
    const mids = published.get(s) ?? [];
    s.pc.close();
    if (mids.length) await s.api("PUT", "tracks/close", { tracks: mids.map((mid) => ({ mid })), force: true });
    published.delete(s);
  }

  /** Goes on stage with the camera, the microphone and a shared screen, if any. */
  async function publish() {
    clearTimeout(timer);
    const tracks = (preview.peek()?.getTracks() ?? []).map((track) => ({ track, source: "camera" as Source }));
    const shared = screen.peek();
    if (shared) tracks.push({ track: shared, source: "screen" });
    // Nothing to send (no camera or microphone allowed yet): stay off; `start` succeeding publishes.
    if (!wanted || session || busy || !tracks.length) return;
    busy = true;
    state.value = "joining";
    try {
      // A session that died still has its tracks on the stage: take them off first, so viewers never pull them.
      while (dead[0]) {
        await closeAll(dead[0]).catch((error: VideoError) => {
          if (/network|relay|http_5/.test(error.code)) throw error;
        });
        dead.shift();
      }
      const s = await openSession(roomId, key, !key);
      if (!wanted) return s.pc.close();
      session = s;
      sessionId.value = s.id;
      watch(s);
      const sentOff = !cameraOn.peek();
      await add(s, tracks);
      // Left the stage while the tracks were on their way: take them off again.
      if (s != session) return void (await closeAll(s).catch(() => {}));
      remember(s.id);
      retries = 0;
      problem.value = null;
      state.value = "on";
      // The camera was turned off or on while the tracks were on their way: the stage must say how it is now.
      if (!cameraOn.peek() != sentOff) void tellPaused();
    } catch (error) {
      if (!wanted) return;
      const code = (error as VideoError).code;
      discard();
      if (code == "removed_from_stage") return removed();
      if (code == "show_ended") return void stop();
      problem.value = "relay";
      timer = setTimeout(publish, Math.min(1000 * 2 ** retries++, 10_000));
    } finally {
      busy = false;
    }
  }

  /** Sets the current session aside; its tracks are closed before the next publish. */
  function discard() {
    if (session) dead.push(session);
    session?.pc.close();
    session = null;
    sessionId.value = null;
  }

  /** The connection to the relay is gone: publish again on a new session. */
  function lose(s: CallsSession) {
    if (s != session) return;
    discard();
    if (wanted) {
      state.value = "joining";
      timer = setTimeout(publish, 300);
    }
  }

  function watch(s: CallsSession) {
    let disconnected: ReturnType<typeof setTimeout> | undefined;
    s.pc.addEventListener("connectionstatechange", () => {
      const now = s.pc.connectionState;
      clearTimeout(disconnected);
      if (now == "failed") lose(s);
      if (now == "disconnected") disconnected = setTimeout(() => lose(s), DISCONNECTED_MS);
    });
  }

  /** Turns the camera and microphone off for good (the show ended, or we were taken off the stage). */
  function release() {
    for (const track of preview.peek()?.getTracks() ?? []) track.stop();
    preview.value = null;
    void stopScreen();
  }

  function removed() {
    release();
    wanted = false;
    session?.pc.close();
    session = null;
    sessionId.value = null;
    dead = [];
    state.value = "off";
    problem.value = "removed";
  }

  /** Leaves the stage: the tracks are closed (and leave the stage for every viewer). */
  async function stop() {
    wanted = false;
    remember("off");
    clearTimeout(timer);
    const s = session;
    session = null;
    sessionId.value = null;
    state.value = "off";
    if (problem.peek() == "relay") problem.value = null;
    const all = [...dead, ...(s ? [s] : [])];
    dead = [];
    await Promise.all(all.map((x) => closeAll(x).catch(() => {})));
  }

  async function shareScreen() {
    try {
      const track = (await media().getDisplayMedia({ video: true })).getVideoTracks()[0]!;
      // The browser's own "Stop sharing" button ends the track.
      track.addEventListener("ended", () => void stopScreen());
      screen.value = track;
      if (session && state.peek() == "on") await add(session, [{ track, source: "screen" }]);
    } catch (error) {
      // Cancelling the picker is not a problem worth a message.
      if ((error as Error).name != "NotAllowedError") problem.value = "noScreen";
    }
  }

  /** Stops sharing: the screen's m-line is stopped in our offer, and the relay closes its track. */
  async function stopScreen() {
    const track = screen.peek();
    if (!track) return;
    screen.value = null;
    track.stop();
    const s = session;
    const t = s?.pc.getTransceivers().find((x) => x.sender.track == track);
    if (!s || !t?.mid) return;
    const mid = t.mid;
    t.stop();
    published.set(s, published.get(s)!.filter((m) => m != mid));
    try {
      await s.pc.setLocalDescription();
      await s.settle(await s.api("PUT", "tracks/close", { tracks: [{ mid }], sessionDescription: s.pc.localDescription }));
    } catch {
      lose(s);
    }
  }

  // A page closed or reloaded while on stage takes its tracks off the stage on the way out (keepalive requests).
  addEventListener("pagehide", () => {
    if (session) void closeAll(session).catch(() => {});
  });

  return {
    preview,
    cameras,
    mics,
    cameraId,
    micId,
    micOn,
    cameraOn,
    screen,
    state,
    problem,
    sessionId,
    start,
    use,
    flip,
    toggle,
    /**
     * What this tab's previous page (a reload) left: the session it was
     * publishing on, "off" if it had left the stage, null if there was none.
     */
    lastPage,
    shareScreen,
    stopScreen,
    /** The sender that publishes this track now, if it is on stage (the recorder records what it encodes). */
    senderOf: (track: MediaStreamTrack) => (state.peek() == "on" && session?.pc.getSenders().find((s) => s.track == track)) || null,
    /** Goes on stage (and stays there through connection losses until `stop`). */
    join() {
      wanted = true;
      return publish();
    },
    stop,
    release,
    /** A guest's tracks vanished from the stage: was it the host? The relay says so on our session's next call. */
    async checkRemoved() {
      const s = session;
      if (!s || state.peek() != "on") return;
      await s.api("GET", "").catch((error: VideoError) => {
        if (error.code == "removed_from_stage" && s == session) removed();
      });
    },
  };
}
