/**
 * A shop's team: invites (single use, 7 days, only hashed), roles, members
 * removed, hosts assigned to shows; and who may run a room with a session
 * instead of a key. The authorization matrix: every team action and room
 * control against owner, manager, host assigned, host not assigned,
 * moderator, another shop's member, signed out, expired session, removed
 * member. Passkeys need a real authenticator: e2e/team.test.ts does them.
 */
import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../worker/digests.ts";
import worker from "../worker/index.ts";
import { BASE, createShow, json, warmUp } from "./helpers.ts";
import { browser, invite, member, ownedShow, send, type Browser } from "./team-helpers.ts";

async function expectError(res: Response, status: number, code?: string) {
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  if (code) expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
}

/** Everyone in the matrix, for one shop and its show. */
async function cast() {
  const show = await ownedShow();
  const { owner, shop, room } = show;
  const manager = await member(owner, shop.id, "manager");
  const host = await member(owner, shop.id, "host");
  const otherHost = await member(owner, shop.id, "host", "Another host");
  const moderator = await member(owner, shop.id, "moderator");
  const removed = await member(owner, shop.id, "host", "Gone host");
  const expired = await member(owner, shop.id, "host", "Expired host");
  for (const who of [host, removed, expired]) {
    expect((await send(owner, `/api/shops/${shop.id}/team/shows/${room.id}/hosts`, { json: { accountId: who.accountId } })).status).toBe(200);
  }
  expect((await send(owner, `/api/shops/${shop.id}/team/members/${removed.accountId}/remove`, { json: {} })).status).toBe(200);
  await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE account_id = ?").bind(Date.now() - 1, expired.accountId).run();
  const other = await ownedShow();
  return {
    show,
    people: { owner, manager, host, otherHost, moderator, stranger: other.owner, signedOut: browser(), expired, removed },
  };
}

type Name = "owner" | "manager" | "host" | "otherHost" | "moderator" | "stranger" | "signedOut" | "expired" | "removed";
type Cast = Awaited<ReturnType<typeof cast>>;
const NAMES: Name[] = ["owner", "manager", "host", "otherHost", "moderator", "stranger", "signedOut", "expired", "removed"];

/** What each person gets: a status, and for refusals the error code. */
async function matrix(people: Cast["people"], request: (who: Browser) => Promise<Response>, expected: Record<Name, number | [number, string]>) {
  for (const name of NAMES) {
    const res = await request(people[name]);
    const want = expected[name];
    const [status, code] = Array.isArray(want) ? want : [want, undefined];
    const body = await res.json<any>();
    expect([name, res.status], `${name}: ${JSON.stringify(body)}`).toEqual([name, status]);
    if (code) expect([name, body.error.code]).toEqual([name, code]);
  }
}

const refusedOutsiders: Record<"stranger" | "signedOut" | "expired" | "removed", [number, string]> = {
  stranger: [403, "forbidden"],
  signedOut: [401, "unauthorized"],
  expired: [401, "signed_out"],
  removed: [403, "forbidden"],
};

beforeAll(warmUp, 20_000);

describe("invites", () => {
  it("are single-use links whose token only the link holds: D1 keeps its hash, and the link carries it in the fragment", async () => {
    const { owner, shop } = await ownedShow();
    const created = await invite(owner, shop.id, "host", { name: "Mei" });
    expect(created.invite).toMatchObject({ role: "host", name: "Mei", email: null });
    expect(created.invite.expiresAt - created.invite.createdAt).toBe(7 * 24 * 3600_000);
    expect(new URL(created.link).search).toBe("");
    const row = await env.DB.prepare("SELECT * FROM invites WHERE id = ?").bind(created.invite.id).first<Record<string, unknown>>();
    expect(row!.token_hash).toBe(await sha256Hex(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const invitee = browser();
    const preview = await send(invitee, `/api/shops/${shop.id}/team/invites/preview`, { json: { token: created.token } });
    expect(await json(preview)).toEqual({ shop: { id: shop.id, name: shop.name }, role: "host", name: "Mei", expiresAt: created.invite.expiresAt });
    const accepted = await send(invitee, `/api/shops/${shop.id}/team/invites/accept`, { json: { token: created.token, displayName: "Mei Lin" } });
    expect(accepted.status).toBe(201);
    expect(await json(accepted)).toMatchObject({ role: "host", newAccount: true, shop: { id: shop.id } });
    const me = await json(await send(invitee, "/api/auth/me"));
    expect(me.account.displayName).toBe("Mei Lin");
    expect(me.shops).toEqual([expect.objectContaining({ id: shop.id, role: "host" })]);

    // Used up: neither a second person nor the first again gets in with it.
    await expectError(await send(browser(), `/api/shops/${shop.id}/team/invites/accept`, { json: { token: created.token, displayName: "Eve" } }), 404, "invite_expired");
    await expectError(await send(browser(), `/api/shops/${shop.id}/team/invites/preview`, { json: { token: created.token } }), 404, "invite_expired");
    const accounts = await env.DB.prepare("SELECT count(*) AS n FROM accounts WHERE display_name = 'Eve'").first<{ n: number }>();
    expect(accounts!.n).toBe(0);
  });

  it("let a signed-in person join with their own account; a member already there is refused and the invite stays", async () => {
    const { owner, shop } = await ownedShow();
    const elsewhere = await ownedShow();
    const { token } = await invite(owner, shop.id, "moderator");
    await expectError(await send(owner, `/api/shops/${shop.id}/team/invites/accept`, { json: { token } }), 409, "already_member");
    const res = await send(elsewhere.owner, `/api/shops/${shop.id}/team/invites/accept`, { json: { token } });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ accountId: elsewhere.ownerId, newAccount: false, role: "moderator" });
    const me = await json(await send(elsewhere.owner, "/api/auth/me"));
    expect(me.shops.map((s: { id: string; role: string }) => [s.id, s.role])).toEqual([
      [elsewhere.shop.id, "owner"],
      [shop.id, "moderator"],
    ]);
  });

  it("stop working once expired or revoked; a signed-out accept needs a name; bad tokens are 400s", async () => {
    const { owner, shop } = await ownedShow();
    const old = await invite(owner, shop.id, "host");
    await env.DB.prepare("UPDATE invites SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, old.invite.id).run();
    await expectError(await send(browser(), `/api/shops/${shop.id}/team/invites/accept`, { json: { token: old.token, displayName: "Late" } }), 404, "invite_expired");

    const revoked = await invite(owner, shop.id, "host");
    expect((await send(owner, `/api/shops/${shop.id}/team/invites/${revoked.invite.id}/revoke`, { json: {} })).status).toBe(200);
    await expectError(await send(browser(), `/api/shops/${shop.id}/team/invites/accept`, { json: { token: revoked.token, displayName: "Late" } }), 404, "invite_expired");
    await expectError(await send(owner, `/api/shops/${shop.id}/team/invites/${revoked.invite.id}/revoke`, { json: {} }), 404, "not_found");

    const live = await invite(owner, shop.id, "host");
    await expectError(await send(browser(), `/api/shops/${shop.id}/team/invites/accept`, { json: { token: live.token } }), 400, "invalid_request");
    await expectError(await send(browser(), `/api/shops/${shop.id}/team/invites/accept`, { json: { token: "iv_short", displayName: "X" } }), 400, "invalid_request");
    // A token of this shop does not open another.
    const other = await ownedShow();
    await expectError(await send(browser(), `/api/shops/${other.shop.id}/team/invites/accept`, { json: { token: live.token, displayName: "X" } }), 404, "invite_expired");
    // Another site cannot sign a visitor in to an account it chose.
    await expectError(
      await send(browser(), `/api/shops/${shop.id}/team/invites/accept`, { json: { token: live.token, displayName: "X" }, headers: { Origin: "https://evil.example" } }),
      403,
      "cross_site_request",
    );
    const team = await json(await send(owner, `/api/shops/${shop.id}/team`));
    expect(team.invites.map((i: { id: string }) => i.id)).toEqual([live.invite.id]);
  });

  it("with an email, queue the link to that address", async () => {
    const { owner, shop } = await ownedShow();
    const sent: any[] = [];
    const queue = { send: (message: any, options?: QueueSendOptions) => (sent.push(message), env.EMAIL_QUEUE.send(message, options)) };
    const res = await worker.fetch(
      new Request(`${BASE}/api/shops/${shop.id}/team/invites`, {
        method: "POST",
        headers: { Cookie: owner.cookie!, Origin: BASE, "Content-Type": "application/json" },
        body: JSON.stringify({ role: "host", email: "Mei@Example.com" }),
      }),
      { ...env, EMAIL_QUEUE: queue } as unknown as Env,
      createExecutionContext(),
    );
    expect(res.status).toBe(201);
    const { link } = await json(res);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: "mei@example.com", subject: `You are invited to ${shop.name} on shop-along` });
    expect(sent[0].text).toContain(link);
  });
});

describe("team actions: only owners change the team", () => {
  let c: Cast;
  beforeAll(async () => {
    c = await cast();
  }, 30_000);
  const shopPath = () => `/api/shops/${c.show.shop.id}/team`;

  it("create an invite", async () => {
    await matrix(c.people, (who) => send(who, `${shopPath()}/invites`, { json: { role: "host" } }), {
      owner: 201, manager: [403, "forbidden"], host: [403, "forbidden"], otherHost: [403, "forbidden"], moderator: [403, "forbidden"], ...refusedOutsiders,
    });
    // The shop's API key alone may not: invites record who made them.
    const res = await exports.default.fetch(
      new Request(`${BASE}${shopPath()}/invites`, { method: "POST", headers: { Authorization: `Bearer ${c.show.apiKey}`, "Content-Type": "application/json" }, body: '{"role":"host"}' }),
    );
    await expectError(res, 403, "forbidden");
  });

  it("list the team (owners and managers), with each host's shows", async () => {
    await matrix(c.people, (who) => send(who, shopPath()), {
      owner: 200, manager: 200, host: [403, "forbidden"], otherHost: [403, "forbidden"], moderator: [403, "forbidden"], ...refusedOutsiders,
    });
    const team = await json(await send(c.people.owner, shopPath()));
    expect(team.members.map((m: any) => [m.displayName, m.role, m.shows])).toEqual([
      ["Lotus Tea", "owner", []],
      ["A manager", "manager", []],
      ["A host", "host", [c.show.room.id]],
      ["Another host", "host", []],
      ["A moderator", "moderator", []],
      ["Expired host", "host", [c.show.room.id]],
    ]);
    expect(team.members.every((m: any) => typeof m.since === "number")).toBe(true);
  });

  it("change a role, and remove a member", async () => {
    const target = await member(c.people.owner, c.show.shop.id, "moderator", "Target");
    await matrix(c.people, (who) => send(who, `${shopPath()}/members/${target.accountId}/role`, { json: { role: "host" } }), {
      owner: 200, manager: [403, "forbidden"], host: [403, "forbidden"], otherHost: [403, "forbidden"], moderator: [403, "forbidden"], ...refusedOutsiders,
    });
    expect((await json(await send(target, "/api/auth/me"))).shops[0].role).toBe("host");
    await matrix(c.people, (who) => send(who, `${shopPath()}/members/${target.accountId}/remove`, { json: {} }), {
      owner: 200, manager: [403, "forbidden"], host: [403, "forbidden"], otherHost: [403, "forbidden"], moderator: [403, "forbidden"], ...refusedOutsiders,
    });
    expect((await json(await send(target, "/api/auth/me"))).shops).toEqual([]);
  });

  it("assign a host to a show (owners and managers); only members with the host role", async () => {
    const { shop, room } = c.show;
    await matrix(c.people, (who) => send(who, `${shopPath()}/shows/${room.id}/hosts`, { json: { accountId: c.people.otherHost.accountId } }), {
      owner: 200, manager: 200, host: [403, "forbidden"], otherHost: [403, "forbidden"], moderator: [403, "forbidden"], ...refusedOutsiders,
    });
    await matrix(c.people, (who) => send(who, `${shopPath()}/shows/${room.id}/hosts/${c.people.otherHost.accountId}/remove`, { json: {} }), {
      owner: 200, manager: 200, host: [403, "forbidden"], otherHost: [403, "forbidden"], moderator: [403, "forbidden"], ...refusedOutsiders,
    });
    await expectError(await send(c.people.owner, `${shopPath()}/shows/${room.id}/hosts`, { json: { accountId: c.people.moderator.accountId } }), 409, "not_a_host");
    const elsewhere = await createShow();
    await expectError(await send(c.people.owner, `${shopPath()}/shows/${elsewhere.room.id}/hosts`, { json: { accountId: c.people.host.accountId } }), 404, "not_found");
    expect(shop.id).toMatch(/^s_/);
  });

  it("a host sees only the shows assigned to them; owners, managers and moderators see all", async () => {
    const { shop, apiKey, room } = c.show;
    const second = await exports.default.fetch(
      new Request(`${BASE}/api/shops/${shop.id}/rooms`, {
        method: "POST",
        headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ title: "Second show", products: [{ productId: c.show.products[0].id, stock: 1 }] }),
      }),
    );
    expect(second.status).toBe(201);
    const ids = async (who: Browser) => (await json(await send(who, `/api/shops/${shop.id}/rooms`))).shows.map((s: { id: string }) => s.id);
    expect(await ids(c.people.host)).toEqual([room.id]);
    expect(await ids(c.people.otherHost)).toEqual([]);
    for (const who of [c.people.owner, c.people.manager, c.people.moderator]) expect(await ids(who)).toHaveLength(2);
  });
});

describe("a shop keeps at least one owner", () => {
  it("its last owner cannot step down or be removed; with a second owner, one can", async () => {
    const { owner, ownerId, shop } = await ownedShow();
    await expectError(await send(owner, `/api/shops/${shop.id}/team/members/${ownerId}/role`, { json: { role: "manager" } }), 409, "last_owner");
    await expectError(await send(owner, `/api/shops/${shop.id}/team/members/${ownerId}/remove`, { json: {} }), 409, "last_owner");
    const second = await member(owner, shop.id, "manager", "Second");
    expect((await send(owner, `/api/shops/${shop.id}/team/members/${second.accountId}/role`, { json: { role: "owner" } })).status).toBe(200);
    expect((await send(second, `/api/shops/${shop.id}/team/members/${ownerId}/remove`, { json: {} })).status).toBe(200);
    await expectError(await send(second, `/api/shops/${shop.id}/team/members/${second.accountId}/role`, { json: { role: "host" } }), 409, "last_owner");
    const owners = await env.DB.prepare("SELECT account_id AS id FROM memberships WHERE shop_id = ? AND role = 'owner'").bind(shop.id).all();
    expect(owners.results).toEqual([{ id: second.accountId }]);
  });
});

describe("room controls with a session instead of a key", () => {
  let c: Cast;
  beforeAll(async () => {
    c = await cast();
  }, 30_000);
  const room = (path: string) => `/api/rooms/${c.show.room.id}${path}`;
  const asHost = { "X-Room-Role": "host" };

  it("a socket ticket as host: owners, managers and the show's hosts", async () => {
    await matrix(c.people, (who) => send(who, room("/tickets"), { method: "POST", headers: asHost }), {
      owner: 201, manager: 201, host: 201, otherHost: [403, "forbidden"], moderator: [403, "forbidden"],
      stranger: [403, "forbidden"], signedOut: [401, "signed_out"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
    const ticket = await json(await send(c.people.host, room("/tickets"), { method: "POST", headers: asHost }));
    expect(ticket.role).toBe("host");
  });

  it("a socket ticket as moderator: anyone who may moderate; without asking, a signed-in page is a viewer", async () => {
    await matrix(c.people, (who) => send(who, room("/tickets"), { method: "POST", headers: { "X-Room-Role": "moderator" } }), {
      owner: 201, manager: 201, host: 201, otherHost: [403, "forbidden"], moderator: 201,
      stranger: [403, "forbidden"], signedOut: [401, "signed_out"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
    expect((await json(await send(c.people.moderator, room("/tickets"), { method: "POST", headers: { "X-Room-Role": "moderator" } }))).role).toBe("moderator");
    expect((await json(await send(c.people.owner, room("/tickets"), { method: "POST" }))).role).toBe("viewer");
    await expectError(await send(c.people.owner, room("/tickets"), { method: "POST", headers: { "X-Room-Role": "guest" } }), 400, "invalid_request");
  });

  it("pin a product", async () => {
    const productId = c.show.products[0].id;
    await matrix(c.people, (who) => send(who, room("/pin"), { json: { productId } }), {
      owner: 200, manager: 200, host: 200, otherHost: [403, "forbidden"], moderator: [403, "forbidden"],
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
    const state = await json(await send(c.people.signedOut, room("")));
    expect(state.room.pinnedProductId).toBe(productId);
  });

  it("go live (status), then run a flash deal", async () => {
    await matrix(c.people, (who) => send(who, room("/status"), { json: { status: "live" } }), {
      owner: 200, manager: 200, host: 200, otherHost: [403, "forbidden"], moderator: [403, "forbidden"],
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
    const deal = { productId: c.show.products[0].id, priceCents: 999, durationSeconds: 60 };
    await matrix(c.people, (who) => send(who, room("/deals"), { json: deal }), {
      owner: 201, manager: [409, "deal_running"], host: [409, "deal_running"], otherHost: [403, "forbidden"], moderator: [403, "forbidden"],
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
    await matrix(c.people, (who) => send(who, room("/deals/end"), { json: {} }), {
      owner: 200, manager: 200, host: 200, otherHost: [403, "forbidden"], moderator: [403, "forbidden"],
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
  });

  it("moderate the chat", async () => {
    await matrix(c.people, (who) => send(who, room("/moderation")), {
      owner: 200, manager: 200, host: 200, otherHost: [403, "forbidden"], moderator: 200,
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
    await matrix(c.people, (who) => send(who, room("/moderation"), { json: { action: "slow_mode", seconds: 5 } }), {
      owner: 200, manager: 200, host: 200, otherHost: [403, "forbidden"], moderator: 200,
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
  });

  it("the show's orders, for the studio", async () => {
    await matrix(c.people, (who) => send(who, room("/orders")), {
      owner: 200, manager: 200, host: 200, otherHost: [403, "forbidden"], moderator: [403, "forbidden"],
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
  });

  it("the links go to the show's hosts, signed in or with the host key; a session's studio link carries no key", async () => {
    await matrix(c.people, (who) => send(who, room("/links")), {
      owner: 200, manager: 200, host: 200, otherHost: [403, "forbidden"], moderator: [403, "forbidden"],
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
    const bySession = (await json(await send(c.people.host, room("/links")))).links;
    const byKey = (await json(await send(c.people.signedOut, room("/links"), { headers: { Authorization: `Bearer ${c.show.hostKey}` } }))).links;
    expect(byKey).toEqual({ ...bySession, host: `${bySession.host}#key=${c.show.hostKey}` });
    expect(bySession.host).not.toContain("#");
    expect(bySession.guest).toBe(c.show.links.guest);
    expect(bySession.moderator).toBe(c.show.links.moderator);
    // The links work: the guest key opens the stage, the moderator key the chat's tools.
    const roleOf = async (link: string) => {
      const res = await send(c.people.signedOut, room("/role"), { headers: { Authorization: `Bearer ${new URL(link).hash.slice("#key=".length)}` } });
      return res.status === 200 ? (await json(res)).role : res.status;
    };
    expect([await roleOf(bySession.guest), await roleOf(bySession.moderator)]).toEqual(["guest", "moderator"]);

    await matrix(c.people, (who) => send(who, room("/guest-link"), { json: {} }), {
      owner: 200, manager: 200, host: 200, otherHost: [403, "forbidden"], moderator: [403, "forbidden"],
      stranger: [403, "forbidden"], signedOut: [401, "unauthorized"], expired: [401, "signed_out"], removed: [403, "forbidden"],
    });
    // Replaced three times: the first guest link no longer works, the newest does, and the host key sees the same.
    const now = (await json(await send(c.people.owner, room("/links")))).links;
    expect(await roleOf(bySession.guest)).toBe(401);
    expect(await roleOf(now.guest)).toBe("guest");
    expect((await json(await send(c.people.signedOut, room("/links"), { headers: { Authorization: `Bearer ${c.show.hostKey}` } }))).links.guest).toBe(now.guest);
  });

  it("a show made before its keys came from the server: a session gets a clear refusal, the host key is still asked for", async () => {
    const { room: made, owner } = await ownedShow();
    await env.DB.prepare("UPDATE rooms SET keys_by_server = 0 WHERE id = ?").bind(made.id).run();
    await expectError(await send(owner, `/api/rooms/${made.id}/links`), 403, "host_key_needed");
    await expectError(await send(owner, `/api/rooms/${made.id}/guest-link`, { json: {} }), 403, "host_key_needed");
  });

  it("cookie writes from another site are refused before anything changes; the host key path is unchanged", async () => {
    await expectError(await send(c.people.owner, room("/pin"), { json: { productId: null }, headers: { Origin: "https://evil.example" } }), 403, "cross_site_request");
    const before = await json(await send(c.people.signedOut, room("")));
    expect(before.room.pinnedProductId).toBe(c.show.products[0].id);
    const res = await send(c.people.signedOut, room("/pin"), { json: { productId: null }, headers: { Authorization: `Bearer ${c.show.hostKey}` } });
    expect(res.status).toBe(200);
    expect((await send(c.people.signedOut, room("/tickets"), { method: "POST", headers: { Authorization: `Bearer ${c.show.hostKey}` } })).status).toBe(201);
  });

  it("a role change takes effect at once: a host made moderator no longer runs the show", async () => {
    const { shop } = c.show;
    expect((await send(c.people.owner, `/api/shops/${shop.id}/team/members/${c.people.host.accountId}/role`, { json: { role: "moderator" } })).status).toBe(200);
    await expectError(await send(c.people.host, room("/pin"), { json: { productId: null } }), 403, "forbidden");
    expect((await send(c.people.host, room("/moderation"))).status).toBe(200);
    // Back to host: the old assignment went with the role, so the show must be assigned again.
    expect((await send(c.people.owner, `/api/shops/${shop.id}/team/members/${c.people.host.accountId}/role`, { json: { role: "host" } })).status).toBe(200);
    await expectError(await send(c.people.host, room("/pin"), { json: { productId: null } }), 403, "forbidden");
  });
});
