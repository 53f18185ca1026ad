/**
 * The room's proxy to Cloudflare Calls. The Calls API is answered here in its
 * documented shapes (the local SFU in sfu/ is tested against real WebRTC in
 * its own tests); what is checked is who may do what, what is forwarded, and
 * that the app secret stays on the server.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import app from "../worker/index.ts";
import { BASE, createShow, json, open, ticketFor } from "./helpers.ts";

const CALLS = { CALLS_APP_ID: "app123", CALLS_APP_SECRET: "calls-secret-never-shown", CALLS_API_BASE: "https://calls.test/v1" };
const callsEnv = { ...env, ...CALLS };
const SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

type Sent = { method: string; path: string; auth: string | null; body: any };
let sent: Sent[] = [];
let session = 0;

beforeEach(() => {
  sent = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    if (!request.url.startsWith("https://calls.test/")) return realFetch(input as RequestInfo, init);
    const path = new URL(request.url).pathname;
    const body = request.method === "GET" ? null : await request.json();
    sent.push({ method: request.method, path, auth: request.headers.get("Authorization"), body });
    if (path.endsWith("/sessions/new")) return Response.json({ sessionId: `sess${++session}abcdef` }, { status: 201 });
    if (path.endsWith("/tracks/new")) {
      const tracks = (body as any).tracks.map((t: any, i: number) => ({ location: t.location, mid: t.mid ?? String(i), trackName: t.trackName, sessionId: t.sessionId }));
      return Response.json({ requiresImmediateRenegotiation: (body as any).tracks[0].location === "remote", sessionDescription: { type: "answer", sdp: SDP }, tracks });
    }
    if (path.endsWith("/tracks/close")) return Response.json({ requiresImmediateRenegotiation: false, tracks: (body as any).tracks });
    if (path.endsWith("/renegotiate")) return Response.json({});
    return Response.json({ tracks: [] });
  });
});
afterEach(() => vi.restoreAllMocks());

function proxy(path: string, init: { method?: string; json?: unknown; key?: string; token?: string; viewerToken?: string } = {}, environment: Env = callsEnv) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (init.key) headers.Authorization = `Bearer ${init.key}`;
  if (init.viewerToken) headers["X-Viewer-Token"] = init.viewerToken;
  if (init.token) headers["X-Session-Token"] = init.token;
  return app.request(`${BASE}${path}`, { method: init.method ?? "POST", headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) }, environment);
}

/** Opens a Calls session as a page does: a publisher presents its viewer token (from a socket ticket). */
async function openSession(roomId: string, key?: string, viewerToken?: string) {
  const token = key && !viewerToken ? (await ticketFor(roomId, { key })).viewer.token : viewerToken;
  const res = await proxy(`/api/rooms/${roomId}/calls/sessions/new`, { json: {}, key, viewerToken: token });
  expect(res.status).toBe(201);
  return (await json(res)) as { sessionId: string; sessionToken: string };
}

const camera = [
  { location: "local", mid: "0", trackName: "cam-video", kind: "video", source: "camera" },
  { location: "local", mid: "1", trackName: "cam-audio", kind: "audio", source: "camera" },
];

async function publish(roomId: string, s: { sessionId: string; sessionToken: string }, tracks = camera) {
  return proxy(`/api/rooms/${roomId}/calls/sessions/${s.sessionId}/tracks/new`, {
    token: s.sessionToken,
    json: { sessionDescription: { type: "offer", sdp: SDP }, tracks },
  });
}

describe("the Calls proxy", () => {
  it("says clearly when video is not configured", async () => {
    const show = await createShow();
    const res = await proxy(`/api/rooms/${show.room.id}/calls/sessions/new`, { json: {} }, env);
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe("video_unavailable");
  });

  it("adds the app secret on the server and never returns it", async () => {
    const show = await createShow();
    const s = await openSession(show.room.id);
    expect(s.sessionToken).toMatch(/^st_/);
    expect(sent).toEqual([{ method: "POST", path: "/v1/apps/app123/sessions/new", auth: "Bearer calls-secret-never-shown", body: {} }]);
    expect(JSON.stringify(s)).not.toContain("calls-secret");
  });

  it("lets the host publish; the tracks go on the stage and every viewer hears of it", async () => {
    const show = await createShow();
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    const host = await openSession(show.room.id, show.hostKey);
    const res = await publish(show.room.id, host);
    expect(res.status).toBe(200);
    // Calls gets its own shape: our kind/source fields stay behind.
    expect(sent.at(-1)!.body.tracks).toEqual([
      { location: "local", mid: "0", trackName: "cam-video" },
      { location: "local", mid: "1", trackName: "cam-audio" },
    ]);
    const stage = await viewer.next("stage");
    expect(stage.tracks).toEqual([
      { sessionId: host.sessionId, trackName: "cam-audio", kind: "audio", role: "host", source: "camera" },
      { sessionId: host.sessionId, trackName: "cam-video", kind: "video", role: "host", source: "camera" },
    ]);
    expect((await json(await app.request(`${BASE}/api/rooms/${show.room.id}`, {}, callsEnv))).room.stage).toHaveLength(2);
  });

  it("refuses to let a viewer publish, or pull what is not on stage", async () => {
    const show = await createShow();
    const viewer = await openSession(show.room.id);
    const refused = await publish(show.room.id, viewer);
    expect(refused.status).toBe(403);
    const pull = (trackName: string, sessionId: string) =>
      proxy(`/api/rooms/${show.room.id}/calls/sessions/${viewer.sessionId}/tracks/new`, {
        token: viewer.sessionToken,
        json: { tracks: [{ location: "remote", sessionId, trackName }] },
      });
    expect((await json(await pull("cam-video", "sessXabcdefgh"))).error.code).toBe("not_on_stage");
    const host = await openSession(show.room.id, show.hostKey);
    await publish(show.room.id, host);
    const pulled = await pull("cam-video", host.sessionId);
    expect(pulled.status).toBe(200);
    expect((await json(pulled)).requiresImmediateRenegotiation).toBe(true);
    expect(sent.filter((s) => s.path.endsWith("/tracks/new")).length).toBe(2);
  });

  it("needs the session's own token for every later call", async () => {
    const show = await createShow();
    const a = await openSession(show.room.id, show.hostKey);
    const b = await openSession(show.room.id);
    const renegotiate = (token?: string) =>
      proxy(`/api/rooms/${show.room.id}/calls/sessions/${a.sessionId}/renegotiate`, { method: "PUT", token, json: { sessionDescription: { type: "answer", sdp: SDP } } });
    expect((await renegotiate()).status).toBe(401);
    expect((await renegotiate(b.sessionToken)).status).toBe(403);
    expect((await renegotiate(a.sessionToken)).status).toBe(200);
    // A viewer who learns the host's session id (it is public: viewers pull from it) cannot close its tracks.
    const close = await proxy(`/api/rooms/${show.room.id}/calls/sessions/${a.sessionId}/tracks/close`, { method: "PUT", token: b.sessionToken, json: { tracks: [{ mid: "0" }], force: true } });
    expect(close.status).toBe(403);
  });

  it("validates what it forwards", async () => {
    const show = await createShow();
    const s = await openSession(show.room.id, show.hostKey);
    const bad = await publish(show.room.id, s, [{ location: "local", mid: "0", trackName: "x y", kind: "video", source: "camera" }]);
    expect((await json(bad)).error.code).toBe("invalid_request");
    const noSdp = await proxy(`/api/rooms/${show.room.id}/calls/sessions/${s.sessionId}/renegotiate`, { method: "PUT", token: s.sessionToken, json: { sessionDescription: { type: "answer", sdp: "<html>" } } });
    expect(noSdp.status).toBe(400);
    expect((await proxy(`/api/rooms/r_0000000000000000/calls/sessions/new`, { json: {} })).status).toBe(404);
    expect((await proxy(`/api/rooms/${show.room.id}/calls/sessions/new`, { json: {}, key: "hk_wrong" })).status).toBe(401);
  });

  it("lets a publisher turn its camera off and on: the stage says so, the relay is not asked, viewers cannot", async () => {
    const show = await createShow();
    const host = await openSession(show.room.id, show.hostKey);
    await publish(show.room.id, host);
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    const pause = (paused: boolean, token = host.sessionToken, mids = ["0"]) =>
      proxy(`/api/rooms/${show.room.id}/calls/sessions/${host.sessionId}/tracks/pause`, { method: "PUT", token, json: { tracks: mids.map((mid) => ({ mid })), paused } });
    const relayCalls = sent.length;

    const off = await pause(true);
    expect(off.status).toBe(200);
    // `paused` is there (true) only while a track is off.
    const paused = (tracks: any[]) => Object.fromEntries(tracks.map((t) => [t.trackName, t.paused ?? false]));
    expect(paused((await json(off)).stage)).toEqual({ "cam-video": true, "cam-audio": false });
    expect(paused((await viewer.next("stage")).tracks)).toEqual({ "cam-video": true, "cam-audio": false });
    // A viewer arriving now learns it from the room's state.
    expect(paused((await json(await app.request(`${BASE}/api/rooms/${show.room.id}`, {}, callsEnv))).room.stage)).toEqual({ "cam-video": true, "cam-audio": false });
    expect(sent.length).toBe(relayCalls);

    // Another session's token, a viewer's session, no token: refused.
    const other = await openSession(show.room.id);
    expect((await pause(false, other.sessionToken)).status).toBe(403);
    const own = await proxy(`/api/rooms/${show.room.id}/calls/sessions/${other.sessionId}/tracks/pause`, { method: "PUT", token: other.sessionToken, json: { tracks: [{ mid: "0" }], paused: true } });
    expect((await json(own)).error.code).toBe("forbidden");
    expect((await proxy(`/api/rooms/${show.room.id}/calls/sessions/${host.sessionId}/tracks/pause`, { method: "PUT", json: { tracks: [{ mid: "0" }], paused: true } })).status).toBe(401);
    expect((await pause("yes" as unknown as boolean)).status).toBe(400);

    expect((await pause(true)).status).toBe(200); // No change: no event.
    expect(paused((await json(await pause(false))).stage)).toEqual({ "cam-video": false, "cam-audio": false });
    expect(paused((await viewer.next("stage")).tracks)).toEqual({ "cam-video": false, "cam-audio": false });
  });

  it("publishes a track turned off already (a camera off while reconnecting) as paused", async () => {
    const show = await createShow();
    const host = await openSession(show.room.id, show.hostKey);
    await publish(show.room.id, host, [{ ...camera[0]!, paused: true } as (typeof camera)[0], camera[1]!]);
    expect(sent.at(-1)!.body.tracks[0]).toEqual({ location: "local", mid: "0", trackName: "cam-video" });
    const stage = (await json(await app.request(`${BASE}/api/rooms/${show.room.id}`, {}, callsEnv))).room.stage;
    expect(stage.map((t: any) => [t.trackName, t.paused])).toEqual([["cam-audio", undefined], ["cam-video", true]]);
  });

  it("takes closed tracks off the stage", async () => {
    const show = await createShow();
    const host = await openSession(show.room.id, show.hostKey);
    await publish(show.room.id, host);
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    await proxy(`/api/rooms/${show.room.id}/calls/sessions/${host.sessionId}/tracks/close`, { method: "PUT", token: host.sessionToken, json: { tracks: [{ mid: "0" }] } });
    expect((await viewer.next("stage")).tracks.map((t: any) => t.trackName)).toEqual(["cam-audio"]);
  });

  it("takes a session's tracks off the stage when the relay no longer knows the session", async () => {
    const show = await createShow();
    const host = await openSession(show.room.id, show.hostKey);
    await publish(show.room.id, host);
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    // The relay restarted: the publisher, on a new session, closes the dead one's tracks.
    vi.mocked(globalThis.fetch).mockResolvedValueOnce(Response.json({ errorCode: "not_found", errorDescription: "session not found" }, { status: 404 }));
    const res = await proxy(`/api/rooms/${show.room.id}/calls/sessions/${host.sessionId}/tracks/close`, { method: "PUT", token: host.sessionToken, json: { tracks: [{ mid: "0" }, { mid: "1" }], force: true } });
    expect(res.status).toBe(404);
    expect((await viewer.next("stage")).tracks).toEqual([]);
  });

  it("lets the host remove a guest: tracks off stage, closed at the relay, no way back", async () => {
    const show = await createShow();
    const guest = await openSession(show.room.id, show.guestKey);
    await publish(show.room.id, guest, [{ location: "local", mid: "0", trackName: "guest-video", kind: "video", source: "camera" }]);
    const viewer = await open(show.room.id);
    expect((await viewer.next("sync")).room.stage.map((t: any) => t.role)).toEqual(["guest"]);

    const byGuest = await proxy(`/api/rooms/${show.room.id}/stage/remove`, { key: show.guestKey, json: { sessionId: guest.sessionId } });
    expect(byGuest.status).toBe(403);
    const removed = await proxy(`/api/rooms/${show.room.id}/stage/remove`, { key: show.hostKey, json: { sessionId: guest.sessionId } });
    expect((await json(removed)).room.stage).toEqual([]);
    expect((await viewer.next("stage")).tracks).toEqual([]);
    expect(sent.at(-1)).toMatchObject({ method: "PUT", path: `/v1/apps/app123/sessions/${guest.sessionId}/tracks/close`, body: { tracks: [{ mid: "0" }], force: true } });
    const again = await publish(show.room.id, guest);
    expect((await json(again)).error.code).toBe("removed_from_stage");
  });

  it("a removed guest stays removed: a reload (a new session, the same browser) cannot publish again", async () => {
    const show = await createShow();
    const { viewer: guestBrowser } = await ticketFor(show.room.id, { key: show.guestKey });
    const guest = await openSession(show.room.id, show.guestKey, guestBrowser.token);
    await publish(show.room.id, guest, [{ location: "local", mid: "0", trackName: "guest-video", kind: "video", source: "camera" }]);
    await proxy(`/api/rooms/${show.room.id}/stage/remove`, { key: show.hostKey, json: { sessionId: guest.sessionId } });
    const reloaded = await proxy(`/api/rooms/${show.room.id}/calls/sessions/new`, { json: {}, key: show.guestKey, viewerToken: guestBrowser.token });
    expect(reloaded.status).toBe(403);
    expect((await json(reloaded)).error.code).toBe("removed_from_stage");
    // A publisher must say who it is; another guest (another browser) is not affected.
    const anonymous = await proxy(`/api/rooms/${show.room.id}/calls/sessions/new`, { json: {}, key: show.guestKey });
    expect(anonymous.status).toBe(401);
    expect((await proxy(`/api/rooms/${show.room.id}/calls/sessions/new`, { json: {}, key: show.guestKey, viewerToken: (await ticketFor(show.room.id)).viewer.token })).status).toBe(201);
  });

  it("the host can take its own old session off the stage and publish again (a reloaded studio does)", async () => {
    const show = await createShow();
    const { viewer: studio } = await ticketFor(show.room.id, { key: show.hostKey });
    const old = await openSession(show.room.id, show.hostKey, studio.token);
    await publish(show.room.id, old);
    await proxy(`/api/rooms/${show.room.id}/stage/remove`, { key: show.hostKey, json: { sessionId: old.sessionId } });
    const again = await proxy(`/api/rooms/${show.room.id}/calls/sessions/new`, { json: {}, key: show.hostKey, viewerToken: studio.token });
    expect(again.status).toBe(201);
  });

  it("a new guest link ends the old one: its guests leave the stage, their sockets close, the old key opens nothing", async () => {
    const show = await createShow();
    const guestSocket = await open(show.room.id, { key: show.guestKey });
    await guestSocket.next("sync");
    const guest = await openSession(show.room.id, show.guestKey, guestSocket.viewer.token);
    await publish(show.room.id, guest, [{ location: "local", mid: "0", trackName: "guest-video", kind: "video", source: "camera" }]);
    const viewer = await open(show.room.id);
    expect((await viewer.next("sync")).room.stage).toHaveLength(1);

    expect((await proxy(`/api/rooms/${show.room.id}/guest-link`, { key: show.apiKey })).status).toBe(403);
    expect((await proxy(`/api/rooms/${show.room.id}/guest-link`, { key: show.guestKey })).status).toBe(403);
    const replaced = await proxy(`/api/rooms/${show.room.id}/guest-link`, { key: show.hostKey });
    expect(replaced.status).toBe(200);
    const { links } = await json(replaced);
    const newGuestKey = new URL(links.guest).hash.replace("#key=", "");
    expect(newGuestKey).not.toBe(show.guestKey);

    expect((await viewer.next("stage")).tracks).toEqual([]);
    expect((await guestSocket.closed).code).toBe(4403);
    expect(sent.at(-1)).toMatchObject({ method: "PUT", path: `/v1/apps/app123/sessions/${guest.sessionId}/tracks/close`, body: { force: true } });
    expect((await json(await publish(show.room.id, guest))).error.code).toBe("removed_from_stage");
    const oldTicket = await proxy(`/api/rooms/${show.room.id}/tickets`, { key: show.guestKey });
    expect(oldTicket.status).toBe(401);
    expect((await json(await proxy(`/api/rooms/${show.room.id}/tickets`, { key: newGuestKey }))).role).toBe("guest");
    // The links the studio reads again carry the new guest link.
    expect((await json(await proxy(`/api/rooms/${show.room.id}/links`, { method: "GET", key: show.hostKey }))).links.guest).toBe(links.guest);
  });

  it("clears the stage when the show ends, and opens no sessions after", async () => {
    const show = await createShow();
    const host = await openSession(show.room.id, show.hostKey);
    await publish(show.room.id, host);
    await app.request(`${BASE}/api/rooms/${show.room.id}/status`, { method: "POST", headers: { Authorization: `Bearer ${show.hostKey}`, "Content-Type": "application/json" }, body: JSON.stringify({ status: "ended" }) }, callsEnv);
    expect((await json(await app.request(`${BASE}/api/rooms/${show.room.id}`, {}, callsEnv))).room.stage).toEqual([]);
    expect((await proxy(`/api/rooms/${show.room.id}/calls/sessions/new`, { json: {} })).status).toBe(409);
  });

  it("hands out no ICE servers against a local relay, STUN against Calls, TURN when configured", async () => {
    const show = await createShow();
    const ice = async (environment: Record<string, unknown>) => (await json(await app.request(`${BASE}/api/rooms/${show.room.id}/calls/ice-servers`, {}, environment))).iceServers;
    expect(await ice({ ...env, ...CALLS, CALLS_API_BASE: "http://127.0.0.1:8788/v1" })).toEqual([]);
    expect(await ice(callsEnv)).toEqual([{ urls: "stun:stun.cloudflare.com:3478" }]);
    vi.restoreAllMocks();
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input as RequestInfo, init);
      expect(request.url).toBe("https://rtc.live.cloudflare.com/v1/turn/keys/turnkey1/credentials/generate-ice-servers");
      expect(request.headers.get("Authorization")).toBe("Bearer turn-token");
      return Response.json({ iceServers: [{ urls: ["turn:turn.cloudflare.com:3478?transport=udp"], username: "u", credential: "c" }] });
    });
    expect(await ice({ ...callsEnv, TURN_KEY_ID: "turnkey1", TURN_KEY_API_TOKEN: "turn-token" })).toEqual([
      { urls: ["turn:turn.cloudflare.com:3478?transport=udp"], username: "u", credential: "c" },
    ]);
  });

  it("takes a publisher's tracks off the stage when its page is gone for good, not on a blip", async () => {
    const show = await createShow();
    const studio = await open(show.room.id, { key: show.hostKey });
    await studio.next("sync");
    const host = await openSession(show.room.id, show.hostKey, studio.viewer.token);
    expect(sent.at(-1)!.body).toEqual({});
    await publish(show.room.id, host);
    const viewer = await open(show.room.id);
    await viewer.next("sync");
    const stub = env.Room.getByName(show.room.id);
    const ageAbsence = () =>
      runInDurableObject(stub, (_room, state) => state.storage.sql.exec("UPDATE session_owners SET gone_since = gone_since - 60000 WHERE gone_since IS NOT NULL"));

    // A reload: the page comes back (the same identity) before the grace period ends.
    studio.ws.close();
    const reloaded = await open(show.room.id, { key: show.hostKey, viewerToken: studio.viewer.token });
    await reloaded.next("sync");
    await ageAbsence();
    await runDurableObjectAlarm(stub);
    expect((await json(await app.request(`${BASE}/api/rooms/${show.room.id}`, {}, callsEnv))).room.stage).toHaveLength(2);

    // Gone for good: after the grace period the tracks leave the stage.
    reloaded.ws.close();
    await new Promise((r) => setTimeout(r, 50));
    await ageAbsence();
    await runDurableObjectAlarm(stub);
    expect((await viewer.next("stage")).tracks).toEqual([]);
  });
});

describe("the Calls proxy when the relay fails", () => {
  // What the relay may answer instead of a result, and what our API must say instead:
  // always {"error": {"code", "message"}}, never Calls' own {errorCode, errorDescription}.
  const failures = [
    { what: "a session it no longer knows", relay: async () => Response.json({ errorCode: "not_found", errorDescription: "session not found" }, { status: 404 }), status: 404, code: "not_found", message: /session not found/ },
    { what: "a request it refuses", relay: async () => Response.json({ errorCode: "bad_request", errorDescription: "mid 7 is not in the offer" }, { status: 400 }), status: 400, code: "bad_request", message: /mid 7 is not in the offer/ },
    { what: "too many calls", relay: async () => Response.json({ errorCode: "rate_limited", errorDescription: "slow down" }, { status: 429 }), status: 429, code: "rate_limited", message: /slow down/ },
    { what: "its own failure", relay: async () => Response.json({ errorCode: "internal_error", errorDescription: "media server crashed" }, { status: 500 }), status: 502, code: "relay_error", message: /media server crashed/ },
    { what: "a gateway page", relay: async () => new Response("<html>502 Bad Gateway</html>", { status: 503, headers: { "Content-Type": "text/html" } }), status: 502, code: "relay_error", message: /503/ },
    { what: "our app credentials refused", relay: async () => Response.json({ errorCode: "unauthorized", errorDescription: "bad app secret" }, { status: 401 }), status: 502, code: "relay_error", message: /unauthorized/ },
    { what: "an error in a 200 answer", relay: async () => Response.json({ errorCode: "internal_error", errorDescription: "try again later" }), status: 502, code: "relay_error", message: /try again later/ },
    { what: "nothing (unreachable)", relay: async (): Promise<Response> => { throw new TypeError("fetch failed: connection refused"); }, status: 502, code: "relay_unreachable", message: /could not be reached/ },
  ];

  /** Every proxied call, each ready to send on a room where the host is live on stage. */
  async function proxiedCalls() {
    const show = await createShow();
    const host = await openSession(show.room.id, show.hostKey);
    await publish(show.room.id, host);
    const viewer = await openSession(show.room.id);
    const sessions = `/api/rooms/${show.room.id}/calls/sessions`;
    const studio = (await ticketFor(show.room.id, { key: show.hostKey })).viewer.token;
    return {
      show,
      calls: {
        "sessions/new": () => proxy(`${sessions}/new`, { json: {}, key: show.hostKey, viewerToken: studio }),
        "tracks/new (publish)": () => publish(show.room.id, host, [{ location: "local", mid: "2", trackName: "screen-video", kind: "video", source: "screen" }]),
        "tracks/new (pull)": () => proxy(`${sessions}/${viewer.sessionId}/tracks/new`, { token: viewer.sessionToken, json: { tracks: [{ location: "remote", sessionId: host.sessionId, trackName: "cam-video" }] } }),
        renegotiate: () => proxy(`${sessions}/${viewer.sessionId}/renegotiate`, { method: "PUT", token: viewer.sessionToken, json: { sessionDescription: { type: "answer", sdp: SDP } } }),
        "tracks/close": () => proxy(`${sessions}/${viewer.sessionId}/tracks/close`, { method: "PUT", token: viewer.sessionToken, json: { tracks: [{ mid: "0" }] } }),
        "GET session": () => proxy(`${sessions}/${viewer.sessionId}`, { method: "GET", token: viewer.sessionToken }),
      },
    };
  }

  it.each(failures)("answers $what with our error envelope on every proxied call", async ({ relay, status, code, message }) => {
    const { show, calls } = await proxiedCalls();
    const answers = [];
    for (const [name, send] of Object.entries(calls)) {
      vi.mocked(globalThis.fetch).mockImplementationOnce(relay);
      const res = await send();
      answers.push({ call: name, status: res.status, type: res.headers.get("Content-Type"), body: await res.json() });
    }
    expect(answers).toEqual(
      Object.keys(calls).map((name) => ({
        call: name,
        status,
        type: expect.stringMatching(/^application\/json/),
        body: { error: { code, message: expect.stringMatching(message) } },
      })),
    );
    expect(JSON.stringify(answers)).not.toContain("calls-secret");
    // A failed publish put nothing on the stage.
    const stage = (await json(await app.request(`${BASE}/api/rooms/${show.room.id}`, {}, callsEnv))).room.stage;
    expect(stage.map((t: any) => t.trackName).sort()).toEqual(["cam-audio", "cam-video"]);
  });

  it("opens no session when the relay's answer has no session id", async () => {
    const show = await createShow();
    vi.mocked(globalThis.fetch).mockResolvedValueOnce(Response.json({}, { status: 201 }));
    const res = await proxy(`/api/rooms/${show.room.id}/calls/sessions/new`, { json: {} });
    expect(res.status).toBe(502);
    expect((await json(res)).error).toEqual({ code: "relay_error", message: expect.any(String) });
  });

  it("passes a 200 answer through unchanged, per-track errors included", async () => {
    const show = await createShow();
    const host = await openSession(show.room.id, show.hostKey);
    await publish(show.room.id, host);
    const viewer = await openSession(show.room.id);
    const answer = {
      requiresImmediateRenegotiation: false,
      tracks: [{ location: "remote", sessionId: host.sessionId, trackName: "cam-video", errorCode: "not_found", errorDescription: "track not published yet" }],
    };
    vi.mocked(globalThis.fetch).mockResolvedValueOnce(Response.json(answer));
    const res = await proxy(`/api/rooms/${show.room.id}/calls/sessions/${viewer.sessionId}/tracks/new`, {
      token: viewer.sessionToken,
      json: { tracks: [{ location: "remote", sessionId: host.sessionId, trackName: "cam-video" }] },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual(answer);
  });
});
