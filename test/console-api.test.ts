/**
 * The console's API: one show of the shop (to duplicate it), changing or
 * cancelling it before it goes live (the Room tells its viewers at once,
 * and refuses once live), and the shop's API keys. Every route is tried by
 * each kind of caller: owner, manager, host, moderator, another shop's
 * member, signed out, an expired session, the shop's API key.
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, call, claimShop, createShow, json, open, warmUp } from "./helpers.ts";

beforeAll(warmUp);

/** A browser on this site: its session cookie, kept from Set-Cookie. */
type Browser = { cookie: string | null };
type Caller = Browser | { key: string };

let nextIp = 1;

/** A call as the console page makes it (Origin and cookie), or as a script does (the key, no cookie). */
async function as(who: Caller, method: string, path: string, body?: unknown): Promise<Response> {
  const headers = new Headers({ "CF-Connecting-IP": `198.51.100.${nextIp++ % 250}` });
  if ("key" in who) headers.set("Authorization", `Bearer ${who.key}`);
  else if (who.cookie) headers.set("Cookie", who.cookie);
  if (method !== "GET") headers.set("Origin", BASE);
  if (body !== undefined) headers.set("Content-Type", "application/json");
  const res = await exports.default.fetch(new Request(`${BASE}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  const set = res.headers.getSetCookie().at(-1);
  if (set && !("key" in who)) who.cookie = set.split(";")[0]!;
  return res;
}

async function expectError(res: Response, status: number, code: string) {
  const body = await json(res);
  expect({ status: res.status, code: body.error?.code, message: typeof body.error?.message }).toEqual({ status, code, message: "string" });
}

/** A new account, signed in (it claims a shop of its own to get one). */
async function signedIn(): Promise<{ browser: Browser; accountId: string }> {
  const { apiKey } = await json(await call("/api/shops", { method: "POST", json: { name: "Elsewhere", currency: "EUR" } }));
  const browser = await claimWith(apiKey);
  const { account } = await json(await as(browser, "GET", "/auth/me"));
  return { browser, accountId: account.id };
}

const claimWith = async (apiKey: string): Promise<Browser> => ({ cookie: await claimShop(apiKey) });

/** A shop with a show, and one caller of each kind. */
async function team() {
  const show = await createShow({ shopName: "Lotus Tea" });
  const owner = await claimWith(show.apiKey);
  const join = async (role: string) => {
    const { browser, accountId } = await signedIn();
    await env.DB.prepare("INSERT INTO memberships (shop_id, account_id, role, created_at) VALUES (?, ?, ?, ?)").bind(show.shop.id, accountId, role, Date.now()).run();
    return { browser, accountId };
  };
  const manager = (await join("manager")).browser;
  const host = (await join("host")).browser;
  const moderator = (await join("moderator")).browser;
  const outsider = (await signedIn()).browser;
  const expiring = await join("owner");
  await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE account_id = ?").bind(Date.now() - 1000, expiring.accountId).run();
  const callers = {
    owner,
    manager,
    host,
    moderator,
    outsider,
    signedOut: { cookie: null } as Browser,
    expired: expiring.browser,
    apiKey: { key: show.apiKey },
  } satisfies Record<string, Caller>;
  return { ...show, callers };
}

type Who = keyof Awaited<ReturnType<typeof team>>["callers"];
const REFUSED: Partial<Record<Who, [number, string]>> = {
  host: [403, "forbidden"],
  moderator: [403, "forbidden"],
  outsider: [403, "forbidden"],
  signedOut: [401, "unauthorized"],
  expired: [401, "signed_out"],
};

describe("a show in the console", () => {
  it("is read by the owner, a manager and the API key; not by a host, a moderator, another shop's member, signed out or expired", async () => {
    const t = await team();
    for (const [who, caller] of Object.entries(t.callers) as [Who, Caller][]) {
      const res = await as(caller, "GET", `/shops/${t.shop.id}/rooms/${t.room.id}`);
      const refused = REFUSED[who];
      if (refused) await expectError(res, ...refused);
      else {
        expect(res.status, who).toBe(200);
        const { show } = await json(res);
        expect(show).toMatchObject({ id: t.room.id, title: "Spring tasting", status: "scheduled", cancelled: false, orders: 0, revenueCents: 0, description: null });
        expect(show.products).toEqual(t.products.map((p: { id: string }) => ({ productId: p.id, stock: 10 })));
        expect(show.variants).toEqual([]);
      }
    }
  });

  it("is edited by the owner, a manager and the API key; the others change nothing", async () => {
    const t = await team();
    for (const [who, caller] of Object.entries(t.callers) as [Who, Caller][]) {
      const res = await as(caller, "PATCH", `/shops/${t.shop.id}/rooms/${t.room.id}`, { title: `Edited by ${who}` });
      const refused = REFUSED[who];
      if (refused) await expectError(res, ...refused);
      else expect(res.status, who).toBe(200);
    }
    const { room } = await json(await call(`/api/rooms/${t.room.id}`));
    expect(room.title).toBe("Edited by apiKey");
  });

  it("tells every viewer the new title and start at once, and the shop's list and the room agree", async () => {
    const t = await team();
    const viewer = await open(t.room.id);
    await viewer.next("sync");
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await as(t.callers.owner, "PATCH", `/shops/${t.shop.id}/rooms/${t.room.id}`, {
      title: "Autumn tasting",
      startsAt,
      description: "Oolongs from Wuyi",
      coverImageUrl: "https://example.com/cover.jpg",
    });
    expect(res.status).toBe(200);
    expect((await json(res)).show).toMatchObject({ title: "Autumn tasting", startsAt, description: "Oolongs from Wuyi", coverImageUrl: "https://example.com/cover.jpg" });
    expect(await viewer.next("details")).toMatchObject({ title: "Autumn tasting", startsAt });
    expect((await json(await call(`/api/rooms/${t.room.id}`))).room).toMatchObject({ title: "Autumn tasting", startsAt });
    const { shows } = await json(await as(t.callers.manager, "GET", `/shops/${t.shop.id}/rooms`));
    expect(shows[0]).toMatchObject({ id: t.room.id, title: "Autumn tasting", startsAt, status: "scheduled", cancelled: false });
    // A viewer who comes back later gets it from the room's log.
    const later = await open(t.room.id, { since: "0" });
    expect((await later.next("sync")).room.title).toBe("Autumn tasting");
    viewer.ws.close();
    later.ws.close();
  });

  it("refuses bad input with a 4xx and changes nothing", async () => {
    const t = await team();
    const path = `/shops/${t.shop.id}/rooms/${t.room.id}`;
    for (const body of [
      {},
      { title: "" },
      { title: "x".repeat(121) },
      { startsAt: new Date(Date.now() - 3_600_000).toISOString() },
      { startsAt: "tomorrow" },
      { coverImageUrl: "http://example.com/cover.jpg" },
      { description: 42 },
    ]) {
      await expectError(await as(t.callers.owner, "PATCH", path, body), 400, "invalid_request");
    }
    await expectError(await as(t.callers.owner, "PATCH", `/shops/${t.shop.id}/rooms/not-a-room`, { title: "x" }), 400, "invalid_request");
    const other = await createShow();
    await expectError(await as(t.callers.owner, "PATCH", `/shops/${t.shop.id}/rooms/${other.room.id}`, { title: "Mine now" }), 404, "not_found");
    await expectError(await as(t.callers.owner, "POST", `/shops/${t.shop.id}/rooms/${other.room.id}/cancel`), 404, "not_found");
    expect((await json(await call(`/api/rooms/${t.room.id}`))).room.title).toBe("Spring tasting");
    expect((await json(await call(`/api/rooms/${other.room.id}`))).room).toMatchObject({ title: "Spring tasting", status: "scheduled" });
  });

  it("is refused with 409 once live (edit and cancel), and after it ended", async () => {
    const t = await team();
    const path = `/shops/${t.shop.id}/rooms/${t.room.id}`;
    expect((await call(`/api/rooms/${t.room.id}/status`, { method: "POST", key: t.hostKey, json: { status: "live" } })).status).toBe(200);
    await expectError(await as(t.callers.owner, "PATCH", path, { title: "Too late" }), 409, "invalid_transition");
    await expectError(await as(t.callers.owner, "PATCH", path, { description: "Too late" }), 409, "invalid_transition");
    await expectError(await as(t.callers.owner, "POST", `${path}/cancel`), 409, "invalid_transition");
    expect((await call(`/api/rooms/${t.room.id}/status`, { method: "POST", key: t.hostKey, json: { status: "ended" } })).status).toBe(200);
    await expectError(await as(t.callers.owner, "PATCH", path, { title: "Too late" }), 409, "invalid_transition");
    const { show } = await json(await as(t.callers.owner, "GET", path));
    expect(show).toMatchObject({ title: "Spring tasting", description: null, status: "ended", cancelled: false });
    // When it was live, for the past show's duration: by the room's clock, in order.
    expect(show.liveAt).toEqual(expect.any(Number));
    expect(show.endedAt).toBeGreaterThanOrEqual(show.liveAt);
    const listed = (await json(await as(t.callers.owner, "GET", `/shops/${t.shop.id}/rooms`))).shows.find((s: { id: string }) => s.id === t.room.id);
    expect(listed).toMatchObject({ liveAt: show.liveAt, endedAt: show.endedAt });
  });

  it("is cancelled before it starts by the owner, a manager or the API key: viewers see it end; once only", async () => {
    const t = await team();
    for (const [who, caller] of Object.entries(t.callers) as [Who, Caller][]) {
      const made = await call(`/api/shops/${t.shop.id}/rooms`, { method: "POST", key: t.apiKey, json: { title: `For ${who}`, products: [{ productId: t.products[0].id, stock: 2 }] } });
      const { room } = await json(made);
      const viewer = await open(room.id);
      await viewer.next("sync");
      const res = await as(caller, "POST", `/shops/${t.shop.id}/rooms/${room.id}/cancel`);
      const refused = REFUSED[who];
      if (refused) {
        await expectError(res, ...refused);
        expect((await json(await call(`/api/rooms/${room.id}`))).room.status).toBe("scheduled");
      } else {
        expect(res.status, who).toBe(200);
        // Cancelled: it ended without ever being live.
        expect((await json(res)).show).toMatchObject({ status: "ended", cancelled: true, liveAt: null, endedAt: expect.any(Number) });
        expect(await viewer.next("status")).toMatchObject({ status: "ended" });
        await expectError(await as(caller, "POST", `/shops/${t.shop.id}/rooms/${room.id}/cancel`), 409, "invalid_transition");
      }
      viewer.ws.close();
    }
  });

  it("lists what a past show sold, and what it listed (with variants) for a duplicate", async () => {
    const t = await team();
    const base = `/api/shops/${t.shop.id}/products`;
    const tee = (await json(await call(base, { method: "POST", key: t.apiKey, json: { title: "T-shirt", priceCents: 2000, optionNames: ["Size"] } }))).product;
    const small = (await json(await call(`${base}/${tee.id}/variants`, { method: "POST", key: t.apiKey, json: { options: ["S"] } }))).variant;
    const made = await json(
      await call(`/api/shops/${t.shop.id}/rooms`, {
        method: "POST",
        key: t.apiKey,
        json: { title: "Drop", products: [{ productId: t.products[0].id, stock: 3 }], variants: [{ variantId: small.id, stock: 4 }] },
      }),
    );
    const order = await call(`/api/rooms/${made.room.id}/orders`, {
      method: "POST",
      headers: { "Idempotency-Key": `console-${Date.now()}` },
      json: { productId: t.products[0].id, quantity: 2, buyer: { name: "Mei", email: "mei@example.com" }, fulfilment: { type: "pickup" } },
    });
    expect(order.status).toBe(201);
    // The order reaches D1 through the room's outbox: wait for it.
    let show: any;
    for (let i = 0; i < 50; i++) {
      show = (await json(await as(t.callers.owner, "GET", `/shops/${t.shop.id}/rooms/${made.room.id}`))).show;
      if (show.orders > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(show).toMatchObject({ orders: 1, revenueCents: 2 * 1899 });
    expect(show.products).toEqual([{ productId: t.products[0].id, stock: 3 }]);
    expect(show.variants).toEqual([{ variantId: small.id, productId: tee.id, stock: 4 }]);
  });
});

describe("the shop's API keys", () => {
  it("are listed for the owner, a manager and the API key; made and revoked only by the signed-in owner", async () => {
    const t = await team();
    for (const [who, caller] of Object.entries(t.callers) as [Who, Caller][]) {
      const list = await as(caller, "GET", `/shops/${t.shop.id}/api-keys`);
      const made = await as(caller, "POST", `/shops/${t.shop.id}/api-keys`, { name: `by ${who}` });
      const refused = REFUSED[who];
      if (refused) {
        await expectError(list, ...refused);
        await expectError(made, ...refused);
      } else {
        expect(list.status, who).toBe(200);
        if (who === "owner") expect(made.status).toBe(201);
        else await expectError(made, 403, "forbidden");
      }
    }
    const { apiKeys } = await json(await as(t.callers.owner, "GET", `/shops/${t.shop.id}/api-keys`));
    expect(apiKeys.map((k: { name: string }) => k.name)).toEqual(["by owner", "Created with the shop"]);
    const target = apiKeys[0].id;
    for (const who of ["manager", "host", "moderator", "outsider", "signedOut", "expired", "apiKey"] as const) {
      const res = await as(t.callers[who], "POST", `/shops/${t.shop.id}/api-keys/${target}/revoke`, {});
      await expectError(res, ...(REFUSED[who] ?? [403, "forbidden"]));
    }
    expect((await json(await as(t.callers.owner, "GET", `/shops/${t.shop.id}/api-keys`))).apiKeys[0].revokedAt).toBeNull();
  });

  it("shows a new key once; it works at once, records its use, and stops working the moment it is revoked", async () => {
    const t = await team();
    const res = await as(t.callers.owner, "POST", `/shops/${t.shop.id}/api-keys`, { name: "  Order sync  " });
    expect(res.status).toBe(201);
    const { apiKey, key } = await json(res);
    expect(key).toMatch(/^sk_[0-9A-Za-z]{32}$/);
    expect(apiKey).toMatchObject({ name: "Order sync", lastUsedAt: null, revokedAt: null });
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(apiKey.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(key);
    expect((await call(`/api/shops/${t.shop.id}/orders`, { key })).status).toBe(200);
    const listed = (await json(await as(t.callers.manager, "GET", `/shops/${t.shop.id}/api-keys`))).apiKeys;
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed.find((k: { id: string }) => k.id === apiKey.id).lastUsedAt).toEqual(expect.any(Number));
    const revoked = await as(t.callers.owner, "POST", `/shops/${t.shop.id}/api-keys/${apiKey.id}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).apiKeys.find((k: { id: string }) => k.id === apiKey.id).revokedAt).toEqual(expect.any(Number));
    await expectError(await call(`/api/shops/${t.shop.id}/orders`, { key }), 401, "unauthorized");
    // Again: nothing changes.
    expect((await as(t.callers.owner, "POST", `/shops/${t.shop.id}/api-keys/${apiKey.id}/revoke`, {})).status).toBe(200);
  });

  it("revokes the last live key only when the owner confirms", async () => {
    const t = await team();
    const [only] = (await json(await as(t.callers.owner, "GET", `/shops/${t.shop.id}/api-keys`))).apiKeys;
    const path = `/shops/${t.shop.id}/api-keys/${only.id}/revoke`;
    await expectError(await as(t.callers.owner, "POST", path, {}), 409, "last_key");
    expect((await call(`/api/shops/${t.shop.id}/orders`, { key: t.apiKey })).status).toBe(200);
    expect((await as(t.callers.owner, "POST", path, { confirmLast: true })).status).toBe(200);
    await expectError(await call(`/api/shops/${t.shop.id}/orders`, { key: t.apiKey }), 401, "unauthorized");
  });

  it("refuses bad input with a 4xx", async () => {
    const t = await team();
    const base = `/shops/${t.shop.id}/api-keys`;
    for (const body of [{}, { name: "" }, { name: "x".repeat(61) }, { name: "tab\there" }]) await expectError(await as(t.callers.owner, "POST", base, body), 400, "invalid_request");
    await expectError(await as(t.callers.owner, "POST", `${base}/not-a-key/revoke`, {}), 400, "invalid_request");
    await expectError(await as(t.callers.owner, "POST", `${base}/ak_0000000000000000/revoke`, {}), 404, "not_found");
    await expectError(await as(t.callers.owner, "POST", `${base}/ak_0000000000000000/revoke`, { confirmLast: "yes" }), 400, "invalid_request");
    const other = await createShow();
    const [theirs] = (await json(await call(`/api/shops/${other.shop.id}/api-keys`, { key: other.apiKey }))).apiKeys;
    await expectError(await as(t.callers.owner, "POST", `${base}/${theirs.id}/revoke`, { confirmLast: true }), 404, "not_found");
    expect((await call(`/api/shops/${other.shop.id}/orders`, { key: other.apiKey })).status).toBe(200);
  });
});
