/**
 * A shop's team: invites by link with a role, the members (their role
 * changed, removed), and the hosts assigned to each show. Mounted at
 * /api/shops. Only a signed-in owner changes the team; owners and managers
 * assign hosts to shows. The invitee accepts signed in, or signed out with a
 * name (the account is made and signed in; the console then adds a passkey).
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { findAccount } from "../accounts/accounts.ts";
import { clientIp, countAttempt } from "../accounts/rate-limit.ts";
import { siteOrigin } from "../accounts/relying-party.ts";
import { currentSession, startSession } from "../accounts/sessions.ts";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import {
  AcceptInvite,
  AssignHost,
  ChangeRole,
  CreateInvite,
  Done,
  ErrorBody,
  InviteAccepted,
  InviteCreated,
  InviteParams,
  InvitePreview,
  InviteTokenBody,
  MemberParams,
  ShopParams,
  ShowHostMemberParams,
  ShowHostParams,
  ShowHosts,
  Team,
} from "../schemas.ts";
import { acceptInvite, createInvite, emailInvite, findInvite, inviteLink, pendingInvites, revokeInvite } from "../team/invites.ts";
import { changeRole, listMembers, removeMember, type Change } from "../team/members.ts";
import { assignHost, unassignHost } from "../team/show-hosts.ts";
import { validationHook } from "../validation.ts";

export const team = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const TAG = ["Team"];
const signedIn = [{ session: [] }];

/** The signed-in owner who changes the team (an API key alone may not: the team is people, and invites record who made them). */
function ownerAccount(c: Context<AppEnv>): string {
  const account = c.get("account");
  if (!account) throw new ApiError(403, "forbidden", "The team is changed from the console, signed in as one of the shop's owners.");
  return account.id;
}

function answerChange(change: Change) {
  if (change === "not_member") throw notFound("This member");
  if (change === "last_owner") throw new ApiError(409, "last_owner", "A shop always keeps at least one owner: make someone else an owner first.");
}

team.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/team",
    tags: TAG,
    summary: "The shop's team",
    description: "Members (name, role, since, shows assigned to hosts) and the invites not yet accepted. Owners and managers.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams },
    responses: { 200: jsonContent(Team, "The team"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const shopId = c.get("shop").id;
    c.header("Cache-Control", "no-store");
    return c.json({ members: await listMembers(c.env.DB, shopId), invites: await pendingInvites(c.env.DB, shopId) }, 200);
  },
);

team.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/team/invites",
    tags: TAG,
    summary: "Invite someone (owner)",
    description: "A single-use link, valid 7 days, that makes whoever accepts it a member with this role. Emailed too when an email is given.",
    security: signedIn,
    middleware: [requireShopAccess("owner")] as const,
    request: { params: ShopParams, body: jsonBody(CreateInvite) },
    responses: { 201: jsonContent(InviteCreated, "The invite and its link (shown once)"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const accountId = ownerAccount(c);
    const shop = c.get("shop");
    const { invite, token } = await createInvite(c.env.DB, shop.id, accountId, c.req.valid("json"));
    const link = inviteLink(siteOrigin(c.env, c.req.url), shop.id, token);
    if (invite.email) await emailInvite(c.env, invite.email, shop.name, invite.role, link);
    c.header("Cache-Control", "no-store");
    return c.json({ invite, link }, 201);
  },
);

team.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/team/invites/{inviteId}/revoke",
    tags: TAG,
    summary: "Revoke an invite (owner)",
    security: signedIn,
    middleware: [requireShopAccess("owner")] as const,
    request: { params: InviteParams },
    responses: { 200: jsonContent(Done, "Revoked: its link opens nothing"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    ownerAccount(c);
    if (!(await revokeInvite(c.env.DB, c.get("shop").id, c.req.valid("param").inviteId))) throw notFound("This invite (or it was already used or revoked)");
    return c.json({ ok: true as const }, 200);
  },
);

/** An invitee's browser must be on this site's own page (no other site may sign a visitor in to an account it chose). */
function refuseOtherSites(c: Context<AppEnv>) {
  const origin = c.req.header("Origin");
  const site = c.req.header("Sec-Fetch-Site");
  const own = siteOrigin(c.env, c.req.url);
  if ((origin && origin !== own && origin !== new URL(c.req.url).origin) || (!origin && site && site !== "same-origin")) {
    throw new ApiError(403, "cross_site_request", "Invites are accepted from this site's own console page.");
  }
}

const liveInvite = async (c: Context<AppEnv>, shopId: string, token: string) => {
  const invite = await findInvite(c.env.DB, shopId, token);
  if (!invite) throw new ApiError(404, "invite_expired", "This invite link has expired, was already used or was revoked. Ask the shop's owner for a new one.");
  return invite;
};

team.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/team/invites/preview",
    tags: TAG,
    summary: "Read an invite before accepting it",
    description: "Anyone with the link: the shop, the role it gives and who it is for. The token goes in the body, never the URL.",
    request: { params: ShopParams, body: jsonBody(InviteTokenBody) },
    responses: { 200: jsonContent(InvitePreview, "The invite"), ...errorResponses(400, 403, 404, 413) },
  }),
  async (c) => {
    const { shopId } = c.req.valid("param");
    const invite = await liveInvite(c, shopId, c.req.valid("json").token);
    c.header("Cache-Control", "no-store");
    return c.json({ shop: { id: shopId, name: invite.shopName }, role: invite.role, name: invite.name, expiresAt: invite.expiresAt }, 200);
  },
);

team.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/team/invites/accept",
    tags: TAG,
    summary: "Accept an invite",
    description:
      "Signed in: the account joins the shop with the invite's role. Signed out: send `displayName`; an account is made, joins, and is signed in " +
      "(add a passkey next, POST /api/auth/passkeys/register). The invite works once.",
    request: { params: ShopParams, body: jsonBody(AcceptInvite) },
    responses: {
      201: jsonContent(InviteAccepted, "Joined"),
      ...errorResponses(400, 403, 404, 409, 413),
      429: jsonContent(ErrorBody, "Too many sign-in attempts from this IP; try again later"),
    },
  }),
  async (c) => {
    refuseOtherSites(c);
    // Accepting signs in (and may make an account): it counts as a sign-in attempt.
    await countAttempt(c.env.DB, { ip: clientIp(c.req) });
    const { shopId } = c.req.valid("param");
    const { token, displayName } = c.req.valid("json");
    const invite = await liveInvite(c, shopId, token);
    const session = await currentSession(c);
    const account = session ? await findAccount(c.env.DB, session.accountId) : null;
    if (account) {
      const { results } = await c.env.DB.prepare("SELECT 1 FROM memberships WHERE shop_id = ? AND account_id = ?").bind(shopId, account.id).all();
      if (results.length) throw new ApiError(409, "already_member", "You are already a member of this shop; this invite is left for someone else.");
    } else if (!displayName) {
      throw new ApiError(400, "invalid_request", "displayName: sign in first, or give your name to create an account.");
    }
    const joined = await acceptInvite(c.env.DB, shopId, token, account ? { accountId: account.id } : { newAccountName: displayName! });
    if (!joined) throw new ApiError(404, "invite_expired", "This invite link has just been used or revoked. Ask the shop's owner for a new one.");
    if (!account) await startSession(c, joined);
    c.header("Cache-Control", "no-store");
    return c.json({ shop: { id: shopId, name: invite.shopName }, role: invite.role, accountId: joined, newAccount: !account }, 201);
  },
);

team.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/team/members/{accountId}/role",
    tags: TAG,
    summary: "Change a member's role (owner)",
    description: "A host who stops being one is no longer assigned to any show. The shop's last owner stays an owner (409).",
    security: signedIn,
    middleware: [requireShopAccess("owner")] as const,
    request: { params: MemberParams, body: jsonBody(ChangeRole) },
    responses: { 200: jsonContent(Done, "Changed"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    ownerAccount(c);
    answerChange(await changeRole(c.env.DB, c.get("shop").id, c.req.valid("param").accountId, c.req.valid("json").role));
    return c.json({ ok: true as const }, 200);
  },
);

team.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/team/members/{accountId}/remove",
    tags: TAG,
    summary: "Remove a member (owner)",
    description: "At once: their next request to the shop or its rooms is refused. The shop's last owner cannot be removed (409).",
    security: signedIn,
    middleware: [requireShopAccess("owner")] as const,
    request: { params: MemberParams },
    responses: { 200: jsonContent(Done, "Removed"), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    ownerAccount(c);
    answerChange(await removeMember(c.env.DB, c.get("shop").id, c.req.valid("param").accountId));
    return c.json({ ok: true as const }, 200);
  },
);

async function roomOfShop(c: Context<AppEnv>, roomId: string) {
  const room = await c.env.DB.prepare("SELECT id FROM rooms WHERE id = ? AND shop_id = ?").bind(roomId, c.get("shop").id).first();
  if (!room) throw notFound(`Show ${roomId}`);
}

const showHosts = async (db: D1Database, roomId: string) =>
  (await db.prepare("SELECT account_id AS id FROM show_hosts WHERE room_id = ? ORDER BY assigned_at").bind(roomId).all<{ id: string }>()).results.map((r) => r.id);

team.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/team/shows/{roomId}/hosts",
    tags: TAG,
    summary: "Assign a host to a show (owner, manager)",
    description: "The member must have the host role; they then see this show in their console and may run its studio.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShowHostParams, body: jsonBody(AssignHost) },
    responses: { 200: jsonContent(ShowHosts, "The show's hosts now"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    await roomOfShop(c, roomId);
    if (!(await assignHost(c.env.DB, c.get("shop").id, roomId, c.req.valid("json").accountId))) {
      throw new ApiError(409, "not_a_host", "Only members with the host role are assigned to shows (owners and managers run every show).");
    }
    // Assigned less than 10 minutes before the start: the host's reminder already went, to the hosts of then; it goes to this one too.
    await c.env.Room.getByName(roomId).hostAssigned();
    return c.json({ roomId, hosts: await showHosts(c.env.DB, roomId) }, 200);
  },
);

team.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/team/shows/{roomId}/hosts/{accountId}/remove",
    tags: TAG,
    summary: "Take a host off a show (owner, manager)",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShowHostMemberParams },
    responses: { 200: jsonContent(ShowHosts, "The show's hosts now"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { roomId, accountId } = c.req.valid("param");
    await roomOfShop(c, roomId);
    await unassignHost(c.env.DB, roomId, accountId);
    return c.json({ roomId, hosts: await showHosts(c.env.DB, roomId) }, 200);
  },
);
