// The HTTP API's shapes and errors, without media: what a client (the Worker's
// proxy) sees for good and bad requests.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { APP_ID, APP_SECRET, startTestSfu } from "./helpers.ts";
import type { TestSfu } from "./helpers.ts";

describe("local SFU HTTP API", { timeout: 20_000 }, () => {
  let sfu: TestSfu;
  before(async () => {
    sfu = await startTestSfu();
  });
  after(async () => {
    await sfu.stop();
  });

  test("listens on loopback only and answers the health check", async () => {
    assert.match(sfu.server.apiBase, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await fetch(sfu.server.apiBase.replace(/\/v1$/, "/healthz"));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { ok: boolean }).ok, true);
  });

  test("sessions/new without a body creates a session with a Calls-shaped id", async () => {
    const { status, body } = await sfu.call("POST", "/sessions/new");
    assert.equal(status, 201);
    assert.match(body.sessionId, /^[0-9a-f]{32}$/);
    assert.equal(body.sessionDescription, undefined);
    const state = await sfu.call("GET", `/sessions/${body.sessionId}`);
    assert.equal(state.status, 200);
    assert.deepEqual(state.body, { tracks: [] });
  });

  test("requires the Bearer app secret", async () => {
    const missing = await sfu.call("POST", "/sessions/new", undefined, { authorization: "" });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.errorCode, "unauthorized");
    assert.equal(typeof missing.body.errorDescription, "string");

    const wrong = await sfu.call("POST", "/sessions/new", undefined, { authorization: "Bearer not-the-secret" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.errorCode, "unauthorized");
  });

  test("rejects a secret used with another app id", async () => {
    const response = await fetch(`${sfu.server.apiBase}/apps/another-app/sessions/new`, {
      method: "POST",
      headers: { authorization: `Bearer ${APP_SECRET}` },
    });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { errorCode: string }).errorCode, "unauthorized");
    assert.notEqual(APP_ID, "another-app");
  });

  test("an unknown session is a not_found error on every session route", async () => {
    const id = "0".repeat(32);
    const calls = [
      sfu.call("GET", `/sessions/${id}`),
      sfu.call("POST", `/sessions/${id}/tracks/new`, { tracks: [{ location: "remote", sessionId: id, trackName: "x" }] }),
      sfu.call("PUT", `/sessions/${id}/renegotiate`, { sessionDescription: { type: "answer", sdp: "v=0" } }),
      sfu.call("PUT", `/sessions/${id}/tracks/close`, { tracks: [{ mid: "0" }], force: true }),
    ];
    for (const { status, body } of await Promise.all(calls)) {
      assert.equal(status, 404);
      assert.equal(body.errorCode, "not_found");
      assert.match(body.errorDescription, /not found/);
    }
  });

  test("malformed bodies are 400 JSON errors, never 500", async () => {
    const { body: created } = await sfu.call("POST", "/sessions/new");
    const session = `/sessions/${created.sessionId}`;
    const bad: Array<[string, string, unknown]> = [
      ["POST", `${session}/tracks/new`, "{not json"],
      ["POST", `${session}/tracks/new`, { tracks: "camera" }],
      ["POST", `${session}/tracks/new`, { tracks: [] }],
      ["POST", `${session}/tracks/new`, { tracks: [{ location: "elsewhere" }] }],
      ["PUT", `${session}/renegotiate`, undefined],
      ["PUT", `${session}/renegotiate`, { sessionDescription: { type: "pranswer", sdp: "v=0" } }],
      ["PUT", `${session}/tracks/close`, { tracks: [{}] }],
      ["POST", "/sessions/new", { sessionDescription: { type: "answer", sdp: "v=0" } }],
      ["POST", "/sessions/new", "[1,2"],
    ];
    for (const [method, path, body] of bad) {
      const response = await sfu.call(method, path, body);
      assert.equal(response.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
      assert.equal(response.body.errorCode, "bad_request");
      assert.equal(typeof response.body.errorDescription, "string");
    }
  });

  test("an SDP that cannot be applied is a 400 that says so", async () => {
    const { status, body } = await sfu.call("POST", "/sessions/new", {
      sessionDescription: { type: "offer", sdp: "this is not sdp" },
    });
    assert.equal(status, 400);
    assert.equal(body.errorCode, "bad_request");
    assert.match(body.errorDescription, /sessionDescription\.sdp: not an SDP/);
  });

  test("pulling a track nobody publishes is a per-track not_found, with HTTP 200", async () => {
    const { body: publisher } = await sfu.call("POST", "/sessions/new");
    const { body: puller } = await sfu.call("POST", "/sessions/new");
    const { status, body } = await sfu.call("POST", `/sessions/${puller.sessionId}/tracks/new`, {
      tracks: [
        { location: "remote", sessionId: publisher.sessionId, trackName: "camera" },
        { location: "remote", sessionId: "f".repeat(32), trackName: "camera" },
      ],
    });
    assert.equal(status, 200);
    assert.equal(body.requiresImmediateRenegotiation, false);
    assert.equal(body.sessionDescription, undefined);
    assert.equal(body.tracks.length, 2);
    for (const track of body.tracks) {
      assert.equal(track.errorCode, "not_found");
      assert.equal(track.location, "remote");
      assert.equal(track.trackName, "camera");
      assert.equal(typeof track.errorDescription, "string");
    }
    assert.equal(body.tracks[0].sessionId, publisher.sessionId);
  });

  test("closing a mid the session does not have is a per-track not_found", async () => {
    const { body: created } = await sfu.call("POST", "/sessions/new");
    const { status, body } = await sfu.call("PUT", `/sessions/${created.sessionId}/tracks/close`, {
      tracks: [{ mid: "7" }],
      force: false,
    });
    assert.equal(status, 200);
    assert.equal(body.requiresImmediateRenegotiation, false);
    assert.deepEqual(body.tracks.map((t: { mid: string; errorCode: string }) => [t.mid, t.errorCode]), [["7", "not_found"]]);
  });

  test("unsupported Calls endpoints say so; unknown paths are not_found", async () => {
    const { body: created } = await sfu.call("POST", "/sessions/new");
    const update = await sfu.call("PUT", `/sessions/${created.sessionId}/tracks/update`, { tracks: [] });
    assert.equal(update.status, 501);
    assert.equal(update.body.errorCode, "not_implemented");

    const unknown = await sfu.call("DELETE", `/sessions/${created.sessionId}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errorCode, "not_found");
  });
});
