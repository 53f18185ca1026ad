/**
 * The show's page before it starts: what GET /api/rooms/{id} tells anyone
 * about a show (description, cover, trailer, hosts by name and photo, and
 * nothing private), the cover and trailer uploads (type and size limits, who
 * may), the trailer served for a <video> (caching, ranges), and a team
 * member's own profile (name and photo; only their own).
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { JPEG_HEAD } from "./fixtures/images.ts";
import { BASE, call, createShow, expectError, json, warmUp } from "./helpers.ts";

beforeAll(warmUp, 20_000);

type Browser = { cookie: string | null };
let nextIp = 1;
let nextTeam = 1;

/** A call as the console makes it (Origin and cookie), or with the shop's API key. */
async function as(who: Browser | { key: string }, method: string, path: string, body?: BodyInit | object, type?: string): Promise<Response> {
  const headers = new Headers({ "CF-Connecting-IP": `203.0.113.${nextIp++ % 250}` });
  if ("key" in who) headers.set("Authorization", `Bearer ${who.key}`);
  else if (who.cookie) headers.set("Cookie", who.cookie);
  if (method !== "GET") headers.set("Origin", BASE);
  const raw = body instanceof Uint8Array || typeof body === "string";
  if (body !== undefined) headers.set("Content-Type", type ?? (raw ? "application/octet-stream" : "application/json"));
  const sent = body === undefined ? undefined : raw ? (body as BodyInit) : JSON.stringify(body);
  return exports.default.fetch(new Request(`${BASE}${path}`, { method, headers, body: sent }));
}

async function claim(apiKey: string): Promise<Browser> {
  const res = await exports.default.fetch(
    new Request(`${BASE}/api/auth/claim`, { method: "POST", headers: { Authorization: `Bearer ${apiKey}`, Origin: BASE, "Content-Type": "application/json" }, body: "{}" }),
  );
  expect(res.status).toBe(201);
  return { cookie: res.headers.getSetCookie().at(-1)!.split(";")[0]! };
}

/** A shop with a show, its signed-in owner, a manager, a host assigned to the show, and another shop's owner. */
async function team() {
  const show = await createShow({ shopName: "Lotus Tea" });
  const owner = await claim(show.apiKey);
  const n = nextTeam++;
  const join = async (role: string, name: string) => {
    const other = await createShow({ shopName: `${name}'s own` });
    const browser = await claim(other.apiKey);
    const { account } = await json(await as(browser, "GET", "/api/auth/me"));
    await env.DB.prepare("UPDATE accounts SET display_name = ?, email = ? WHERE id = ?").bind(name, `${name.toLowerCase()}.${n}@example.com`, account.id).run();
    await env.DB.prepare("INSERT INTO memberships (shop_id, account_id, role, created_at) VALUES (?, ?, ?, ?)").bind(show.shop.id, account.id, role, Date.now()).run();
    return { browser, accountId: account.id as string, otherShop: other };
  };
  const manager = await join("manager", "Max");
  const host = await join("host", "Mei");
  const secondHost = await join("host", "Li");
  for (const who of [host, secondHost]) {
    expect((await as(owner, "POST", `/api/shops/${show.shop.id}/team/shows/${show.room.id}/hosts`, { accountId: who.accountId })).status).toBe(200);
  }
  const stranger = await claim((await createShow({ shopName: "Elsewhere" })).apiKey);
  return { ...show, owner, manager, host, secondHost, stranger };
}

const MP4 = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0, ...new TextEncoder().encode("isomiso2mp41"), ...new Uint8Array(4000).fill(7)]);
const WEBM = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, ...new TextEncoder().encode("webm"), 0x42, 0x87, 0x81, 0x04, ...new Uint8Array(100)]);

describe("the public room API", () => {
  it("gives the show's description, cover, trailer and hosts (name and photo only), with the room's live title, start and status", async () => {
    const t = await team();
    const shows = `/api/shops/${t.shop.id}/rooms/${t.room.id}`;
    const startsAt = new Date(Date.now() + 3 * 3600_000).toISOString();
    expect((await as(t.owner, "PATCH", shows, { description: "Oolong <b>and</b> more\nSecond line", title: "Spring oolong", startsAt })).status).toBe(200);
    expect((await as(t.host.browser, "PUT", "/api/auth/me/photo", JPEG_HEAD, "image/jpeg")).status).toBe(200);

    const before = await json(await call(`/api/rooms/${t.room.id}`));
    expect(before.room).toMatchObject({
      title: "Spring oolong",
      startsAt,
      status: "scheduled",
      description: "Oolong <b>and</b> more\nSecond line",
      coverImageUrl: null,
      trailerUrl: null,
      cancelled: false,
      hosts: [
        { name: "Mei", photoUrl: expect.stringMatching(/^\/photos\/profiles\/ph_\w{16}\.jpg$/) },
        // A host without a photo: a name, and null.
        { name: "Li", photoUrl: null },
      ],
    });
    // Nothing private: hosts are a name and a photo, never an email or an account id.
    for (const host of before.room.hosts) expect(Object.keys(host).sort()).toEqual(["name", "photoUrl"]);
    const text = JSON.stringify(before);
    for (const secret of ["@example.com", t.host.accountId, t.secondHost.accountId, t.hostKey, t.apiKey]) expect(text).not.toContain(secret);

    const cover = await json(await as(t.owner, "POST", `${shows}/cover`, JPEG_HEAD, "image/jpeg"));
    const trailer = await json(await as(t.manager.browser, "POST", `${shows}/trailer`, MP4, "video/mp4"));
    expect(trailer).toEqual({ coverImageUrl: cover.coverImageUrl, trailerUrl: expect.stringMatching(new RegExp(`^/photos/${t.room.id}/tr_\\w{16}\\.mp4$`)) });
    const after = (await json(await call(`/api/rooms/${t.room.id}`))).room;
    expect(after).toMatchObject({ coverImageUrl: expect.stringMatching(new RegExp(`^/photos/${t.room.id}/cv_\\w{16}\\.jpg$`)), trailerUrl: trailer.trailerUrl });
    // The console's own view of the show has the uploaded cover too.
    expect((await json(await as(t.owner, "GET", shows))).show.coverImageUrl).toBe(after.coverImageUrl);
  });

  it("says a cancelled show was cancelled, and a show nobody hosts has no hosts", async () => {
    const show = await createShow();
    const owner = await claim(show.apiKey);
    expect((await as(owner, "POST", `/api/shops/${show.shop.id}/rooms/${show.room.id}/cancel`, {})).status).toBe(200);
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room).toMatchObject({ status: "ended", cancelled: true, hosts: [], description: null });
  });
});

describe("the cover and trailer uploads", () => {
  it("take an image as the cover and an MP4 or WebM as the trailer, recognised by their bytes, within their size limits", async () => {
    const t = await team();
    const shows = `/api/shops/${t.shop.id}/rooms/${t.room.id}`;
    await expectError(await as(t.owner, "POST", `${shows}/cover`, MP4, "image/jpeg"), 415, "unsupported_image");
    await expectError(await as(t.owner, "POST", `${shows}/trailer`, JPEG_HEAD, "video/mp4"), 415, "unsupported_video");
    await expectError(await as(t.owner, "POST", `${shows}/trailer`, new TextEncoder().encode("<html><script>alert(1)</script>"), "video/mp4"), 415, "unsupported_video");
    const huge = new Uint8Array(20 * 1024 * 1024 + 1);
    huge.set(MP4);
    await expectError(await as(t.owner, "POST", `${shows}/trailer`, huge, "video/mp4"), 413, "payload_too_large");
    const bigImage = new Uint8Array(5 * 1024 * 1024 + 1);
    bigImage.set(JPEG_HEAD);
    await expectError(await as(t.owner, "POST", `${shows}/cover`, bigImage, "image/jpeg"), 413, "payload_too_large");
    expect((await json(await call(`/api/rooms/${t.room.id}`))).room).toMatchObject({ coverImageUrl: null, trailerUrl: null });

    const webm = await json(await as(t.owner, "POST", `${shows}/trailer`, WEBM, "video/webm"));
    expect(webm.trailerUrl).toMatch(/\.webm$/);
    const served = await call(webm.trailerUrl);
    expect([served.status, served.headers.get("Content-Type")]).toEqual([200, "video/webm"]);
    // A new trailer replaces the old one, whose file goes.
    const mp4 = await json(await as(t.owner, "POST", `${shows}/trailer`, MP4, "video/mp4"));
    expect((await call(webm.trailerUrl)).status).toBe(404);
    const removed = await json(await as(t.owner, "DELETE", `${shows}/trailer`));
    expect(removed.trailerUrl).toBeNull();
    expect((await call(mp4.trailerUrl)).status).toBe(404);
  });

  it("serve the trailer for a <video>: cached for good, revalidated by ETag, and by ranges", async () => {
    const t = await team();
    const { trailerUrl } = await json(await as(t.owner, "POST", `/api/shops/${t.shop.id}/rooms/${t.room.id}/trailer`, MP4, "video/mp4"));
    const whole = await call(trailerUrl);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(whole.headers.get("Accept-Ranges")).toBe("bytes");
    expect(whole.headers.get("Content-Length")).toBe(String(MP4.length));
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(MP4);

    const part = await call(trailerUrl, { headers: { Range: "bytes=4-11" } });
    expect([part.status, part.headers.get("Content-Range"), part.headers.get("Content-Length")]).toEqual([206, `bytes 4-11/${MP4.length}`, "8"]);
    expect(new TextDecoder().decode(await part.arrayBuffer())).toBe("ftypisom");
    const open = await call(trailerUrl, { headers: { Range: "bytes=4000-" } });
    expect([open.status, open.headers.get("Content-Range")]).toEqual([206, `bytes 4000-${MP4.length - 1}/${MP4.length}`]);
    expect((await open.arrayBuffer()).byteLength).toBe(MP4.length - 4000);
    const tail = await call(trailerUrl, { headers: { Range: "bytes=-10" } });
    expect([tail.status, (await tail.arrayBuffer()).byteLength]).toEqual([206, 10]);
    const beyond = await call(trailerUrl, { headers: { Range: `bytes=${MP4.length}-` } });
    expect([beyond.status, beyond.headers.get("Content-Range")]).toEqual([416, `bytes */${MP4.length}`]);
    await beyond.arrayBuffer();
    const again = await call(trailerUrl, { headers: { "If-None-Match": whole.headers.get("ETag")! } });
    expect(again.status).toBe(304);
  });

  it("are for the shop's owners and managers: not its hosts, another shop, or anyone signed out", async () => {
    const t = await team();
    const shows = `/api/shops/${t.shop.id}/rooms/${t.room.id}`;
    const cases: [string, Browser | { key: string }, number, string?][] = [
      ["owner", t.owner, 200],
      ["manager", t.manager.browser, 200],
      ["API key", { key: t.apiKey }, 200],
      ["host of the show", t.host.browser, 403, "forbidden"],
      ["another shop's owner", t.stranger, 403, "forbidden"],
      ["signed out", { cookie: null }, 401, "unauthorized"],
    ];
    for (const [name, who, status, code] of cases) {
      for (const [path, body, type] of [[`${shows}/cover`, JPEG_HEAD, "image/jpeg"], [`${shows}/trailer`, MP4, "video/mp4"]] as const) {
        const res = await as(who, "POST", path, body, type);
        expect([name, path.split("/").at(-1), res.status]).toEqual([name, path.split("/").at(-1), status]);
        if (code) await expectError(res, status, code);
        else await res.arrayBuffer();
      }
      const removed = await as(who, "DELETE", `${shows}/trailer`);
      expect([name, "delete", removed.status]).toEqual([name, "delete", status]);
      await removed.arrayBuffer();
    }
    // Another shop's show through this shop's path: not found, nothing written.
    const elsewhere = await createShow();
    await expectError(await as(t.owner, "POST", `/api/shops/${t.shop.id}/rooms/${elsewhere.room.id}/cover`, JPEG_HEAD, "image/jpeg"), 404, "not_found");
    expect((await json(await call(`/api/rooms/${elsewhere.room.id}`))).room.coverImageUrl).toBeNull();
  });
});

describe("a team member's profile", () => {
  it("sets their own name and photo (a host included), never someone else's, and never signed out", async () => {
    const t = await team();
    const renamed = await json(await as(t.host.browser, "PATCH", "/api/auth/me", { displayName: "  Mei Lin  " }));
    expect(renamed.profile).toEqual({ displayName: "Mei Lin", photoUrl: null });
    const photo = await json(await as(t.host.browser, "PUT", "/api/auth/me/photo", JPEG_HEAD, "image/jpeg"));
    expect(photo.profile.photoUrl).toMatch(/^\/photos\/profiles\/ph_\w{16}\.jpg$/);
    expect((await call(photo.profile.photoUrl)).headers.get("Content-Type")).toBe("image/jpeg");
    expect((await json(await as(t.host.browser, "GET", "/api/auth/me"))).account).toMatchObject({ displayName: "Mei Lin", photoUrl: photo.profile.photoUrl });
    expect((await json(await call(`/api/rooms/${t.room.id}`))).room.hosts).toEqual([{ name: "Mei Lin", photoUrl: photo.profile.photoUrl }, { name: "Li", photoUrl: null }]);

    // The owner's own profile changes only the owner: there is no route to anyone else's.
    expect((await json(await as(t.owner, "PATCH", "/api/auth/me", { displayName: "Owner" }))).profile.displayName).toBe("Owner");
    expect((await json(await call(`/api/rooms/${t.room.id}`))).room.hosts[0].name).toBe("Mei Lin");

    await expectError(await as(t.host.browser, "PATCH", "/api/auth/me", { displayName: "   " }), 400, "invalid_request");
    await expectError(await as(t.host.browser, "PUT", "/api/auth/me/photo", MP4, "image/jpeg"), 415, "unsupported_image");
    await expectError(await as({ cookie: null }, "PATCH", "/api/auth/me", { displayName: "X" }), 401, "signed_out");
    await expectError(await as({ cookie: null }, "PUT", "/api/auth/me/photo", JPEG_HEAD, "image/jpeg"), 401, "signed_out");
    // An API key is not a person: it has no profile.
    await expectError(await as({ key: t.apiKey }, "PUT", "/api/auth/me/photo", JPEG_HEAD, "image/jpeg"), 401, "signed_out");

    const cleared = await json(await as(t.host.browser, "DELETE", "/api/auth/me/photo"));
    expect(cleared.profile.photoUrl).toBeNull();
    expect((await call(photo.profile.photoUrl)).status).toBe(404);
  });
});
