/**
 * Signing in to the console: claiming a new shop, passkeys, email sign-in
 * links, recovery codes, and the account's sessions. Mounted at /api/auth.
 * Every attempt to sign in is rate-limited (accounts/rate-limit.ts); every
 * cookie-authenticated write passes the CSRF check first (accounts/csrf.ts).
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { becomeOwnerStatement, accountByEmail, createAccountStatement, findAccount, membershipsOf, type Account } from "../accounts/accounts.ts";
import { consumeEmailToken, emailSignInLink } from "../accounts/email-links.ts";
import { authenticatePasskey, authenticationOptions, listPasskeys, registerPasskey, registrationOptions, removePasskey } from "../accounts/passkeys.ts";
import { clientIp, countAttempt } from "../accounts/rate-limit.ts";
import { hasRecoveryCode, newRecoveryCodeFor, useRecoveryCode } from "../accounts/recovery-codes.ts";
import { relyingParty, siteOrigin } from "../accounts/relying-party.ts";
import { currentSession, endSession, listSessions, revokeOwnSession, revokeSession, startSession, type Session } from "../accounts/sessions.ts";
import type { AppEnv } from "../app-env.ts";
import { bearerKey, requireSession, shopForKey } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { IDS } from "../openapi-examples.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import {
  AccountBody,
  ClaimShop,
  ConsumeEmailLink,
  Done,
  EmailBody,
  ErrorBody,
  EmailLinkSent,
  PasskeyAdded,
  PasskeyList,
  PasskeyOptions,
  PasskeyParams,
  RecoveryCodeBody,
  RegisterPasskey,
  SessionList,
  SessionParams,
  SignedInWithCode,
  SignInWithPasskey,
} from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const auth = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const TAG = ["Sign-in"];
const rateLimited = { 429: jsonContent(ErrorBody, "Too many sign-in attempts from this IP or for this email; try again later") };
const signedIn = [{ session: [] }];

/**
 * The two option routes' examples, whole: one schema (a challenge and
 * SimpleWebAuthn's options, passed through) answers both, so its fields
 * cannot show either. As SimpleWebAuthn makes them for shop-along.example.
 */
const CHALLENGE = "r4XkC2v9Q0mTzS7yLp1bWgH8dN3fJ6sA";
const REGISTRATION_OPTIONS = {
  challengeId: IDS.challenge,
  options: {
    challenge: CHALLENGE,
    rp: { name: "shop-along", id: "shop-along.example" },
    user: { id: btoa(IDS.account).replaceAll("=", ""), name: "owner@lotus-tea.example", displayName: "Mei" },
    pubKeyCredParams: [-8, -7, -257].map((alg) => ({ alg, type: "public-key" })),
    timeout: 60000,
    attestation: "none",
    excludeCredentials: [],
    authenticatorSelection: { residentKey: "required", userVerification: "preferred", requireResidentKey: true },
    extensions: { credProps: true },
    hints: [],
  },
};
const SIGN_IN_OPTIONS = { challengeId: IDS.challenge, options: { rpId: "shop-along.example", challenge: CHALLENGE, timeout: 60000, userVerification: "preferred" } };

async function me(db: D1Database, account: Account, session: Session) {
  return { account, shops: await membershipsOf(db, account.id), session: { id: session.id, expiresAt: session.expiresAt } };
}

/** Starts a session for the account (ending the browser's previous one) and answers who is signed in. */
async function signIn(c: Context<AppEnv>, accountId: string) {
  const account = await findAccount(c.env.DB, accountId);
  if (!account) throw new ApiError(401, "signed_out", "This account no longer exists.");
  await revokeOwnSession(c);
  const session = await startSession(c, account.id);
  c.header("Cache-Control", "no-store");
  return me(c.env.DB, account, session);
}

auth.openapi(
  createRoute({
    method: "post",
    path: "/claim",
    tags: TAG,
    summary: "Become the owner of a new shop",
    description:
      "With the shop's API key (as returned by POST /api/shops): makes the owner's account (or, when this browser is signed in, uses its account), " +
      "makes it the shop's owner and signs this browser in. A shop has one owner: once claimed, it answers 409. " +
      "With `email`, a link to confirm it is sent; following it signs in too.",
    security: [{ bearer: [] }],
    request: { body: jsonBody(ClaimShop) },
    responses: {
      201: jsonContent(AccountBody, "Signed in as the shop's owner"),
      ...errorResponses(400, 401, 409, 413),
    },
  }),
  async (c) => {
    const key = bearerKey(c);
    const shop = key ? await shopForKey(c.env.DB, key) : null;
    if (!shop) throw new ApiError(401, "unauthorized", "Send the new shop's API key as `Authorization: Bearer sk_...`.");
    const { email } = c.req.valid("json");
    const db = c.env.DB;
    if (email) await countAttempt(db, { ip: clientIp(c.req), email });
    const current = await currentSession(c);
    let accountId = current?.accountId ?? null;
    if (accountId) {
      const made = await becomeOwnerStatement(db, shop.id, accountId).run();
      if (made.meta.changes === 0 && (await ownerOf(db, shop.id)) !== accountId) throw alreadyClaimed();
    } else {
      const account = createAccountStatement(db, shop.name);
      const [, made] = await db.batch([account.statement, becomeOwnerStatement(db, shop.id, account.id)]);
      if (made!.meta.changes === 0) {
        await db.prepare("DELETE FROM accounts WHERE id = ?").bind(account.id).run();
        throw alreadyClaimed();
      }
      accountId = account.id;
    }
    if (email) await emailSignInLink(c.env, siteOrigin(c.env, c.req.url), accountId, email, true);
    return c.json(await signIn(c, accountId), 201);
  },
);

const alreadyClaimed = () => new ApiError(409, "already_claimed", "This shop already has an owner. Its owner signs in at /console.");

async function ownerOf(db: D1Database, shopId: string): Promise<string | null> {
  const row = await db.prepare("SELECT account_id AS accountId FROM memberships WHERE shop_id = ? AND role = 'owner'").bind(shopId).first<{ accountId: string }>();
  return row?.accountId ?? null;
}

auth.openapi(
  createRoute({
    method: "get",
    path: "/me",
    tags: TAG,
    summary: "Who is signed in",
    security: signedIn,
    middleware: [requireSession()] as const,
    responses: { 200: jsonContent(AccountBody, "The account, its shops and roles"), ...errorResponses(401) },
  }),
  async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await me(c.env.DB, c.get("account"), c.get("session")), 200);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/sign-out",
    tags: TAG,
    summary: "Sign this browser out",
    description: "Ends this session and clears its cookie (answers the same when signed out already).",
    responses: { 200: jsonContent(Done, "Signed out"), ...errorResponses(403) },
  }),
  async (c) => {
    await endSession(c);
    return c.json({ ok: true as const }, 200);
  },
);

auth.openapi(
  createRoute({
    method: "get",
    path: "/sessions",
    tags: TAG,
    summary: "The account's signed-in browsers",
    security: signedIn,
    middleware: [requireSession()] as const,
    responses: { 200: jsonContent(SessionList, "Live sessions, newest first; `current` is this one"), ...errorResponses(401) },
  }),
  async (c) => c.json({ sessions: await listSessions(c.env.DB, c.get("account").id, c.get("session").id) }, 200),
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/sessions/{sessionId}/revoke",
    tags: TAG,
    summary: "Sign one of the account's browsers out",
    security: signedIn,
    middleware: [requireSession()] as const,
    request: { params: SessionParams },
    responses: { 200: jsonContent(Done, "Revoked"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { sessionId } = c.req.valid("param");
    if (!(await revokeSession(c.env.DB, c.get("account").id, sessionId))) throw notFound(`Session ${sessionId}`);
    return c.json({ ok: true as const }, 200);
  },
);

auth.openapi(
  createRoute({
    method: "get",
    path: "/passkeys",
    tags: TAG,
    summary: "The account's passkeys",
    security: signedIn,
    middleware: [requireSession()] as const,
    responses: { 200: jsonContent(PasskeyList, "Oldest first"), ...errorResponses(401) },
  }),
  async (c) => c.json({ passkeys: await listPasskeys(c.env.DB, c.get("account").id) }, 200),
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/passkeys/{passkeyId}/revoke",
    tags: TAG,
    summary: "Remove one of the account's passkeys",
    security: signedIn,
    middleware: [requireSession()] as const,
    request: { params: PasskeyParams },
    responses: { 200: jsonContent(Done, "Removed"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { passkeyId } = c.req.valid("param");
    if (!(await removePasskey(c.env.DB, c.get("account").id, passkeyId))) throw notFound("That passkey");
    return c.json({ ok: true as const }, 200);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/passkeys/register/options",
    tags: TAG,
    summary: "Start adding a passkey",
    description: "WebAuthn creation options for this account (discoverable credential), and the id of their single-use challenge.",
    security: signedIn,
    middleware: [requireSession()] as const,
    responses: {
      200: { description: "For startRegistration()", content: { "application/json": { schema: PasskeyOptions, example: REGISTRATION_OPTIONS } } },
      ...errorResponses(401, 403),
    },
  }),
  async (c) => c.json(await registrationOptions(c.env.DB, relyingParty(c.env, c.req.url), c.get("account")), 200),
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/passkeys/register",
    tags: TAG,
    summary: "Add a passkey",
    description: "Verifies the authenticator's answer and keeps the passkey's public key. With the account's first passkey comes its recovery code, shown once.",
    security: signedIn,
    middleware: [requireSession()] as const,
    request: { body: jsonBody(RegisterPasskey) },
    responses: { 201: jsonContent(PasskeyAdded, "The passkey"), ...errorResponses(400, 401, 403, 409, 413) },
  }),
  async (c) => {
    const db = c.env.DB;
    const account = c.get("account");
    const passkey = await registerPasskey(db, relyingParty(c.env, c.req.url), account, c.req.valid("json"));
    const recoveryCode = (await hasRecoveryCode(db, account.id)) ? null : await newRecoveryCodeFor(db, account.id);
    c.header("Cache-Control", "no-store");
    return c.json({ passkey, recoveryCode }, 201);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/passkeys/sign-in/options",
    tags: TAG,
    summary: "Start signing in with a passkey",
    description: "WebAuthn request options without any credential listed: the browser offers the passkeys it has for this site.",
    responses: {
      200: { description: "For startAuthentication()", content: { "application/json": { schema: PasskeyOptions, example: SIGN_IN_OPTIONS } } },
      ...errorResponses(403),
      ...rateLimited,
    },
  }),
  async (c) => c.json(await authenticationOptions(c.env.DB, relyingParty(c.env, c.req.url)), 200),
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/passkeys/sign-in",
    tags: TAG,
    summary: "Sign in with a passkey",
    request: { body: jsonBody(SignInWithPasskey) },
    responses: { 200: jsonContent(AccountBody, "Signed in"), ...errorResponses(400, 401, 403, 413), ...rateLimited },
  }),
  async (c) => {
    await countAttempt(c.env.DB, { ip: clientIp(c.req) });
    const accountId = await authenticatePasskey(c.env.DB, relyingParty(c.env, c.req.url), c.req.valid("json"));
    return c.json(await signIn(c, accountId), 200);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/email-link",
    tags: TAG,
    summary: "Email me a sign-in link",
    description:
      "Sends a single-use link (15 minutes) to the address, if an account has confirmed it. Answers the same either way, so nobody learns which emails have accounts.",
    request: { body: jsonBody(EmailBody) },
    responses: { 202: jsonContent(EmailLinkSent, "Sent, if the email belongs to an account"), ...errorResponses(400, 403, 413), ...rateLimited },
  }),
  async (c) => {
    const { email } = c.req.valid("json");
    await countAttempt(c.env.DB, { ip: clientIp(c.req), email });
    const account = await accountByEmail(c.env.DB, email);
    if (account) await emailSignInLink(c.env, siteOrigin(c.env, c.req.url), account.id, email);
    return c.json({ sent: true as const }, 202);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/email-link/sign-in",
    tags: TAG,
    summary: "Sign in with an emailed link",
    description: "The token from the link's fragment (`/console#token=el_…`). Works once, within 15 minutes of being sent.",
    request: { body: jsonBody(ConsumeEmailLink) },
    responses: { 200: jsonContent(AccountBody, "Signed in"), ...errorResponses(400, 401, 403, 413), ...rateLimited },
  }),
  async (c) => {
    await countAttempt(c.env.DB, { ip: clientIp(c.req) });
    const accountId = await consumeEmailToken(c.env.DB, c.req.valid("json").token);
    if (!accountId) throw new ApiError(401, "link_expired", "This sign-in link has expired or was already used. Ask for a new one.");
    return c.json(await signIn(c, accountId), 200);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/email",
    tags: TAG,
    summary: "Give the account an email",
    description: "Sends a link to confirm the address; once followed, the account has that email and can sign in with links sent to it.",
    security: signedIn,
    middleware: [requireSession()] as const,
    request: { body: jsonBody(EmailBody) },
    responses: { 202: jsonContent(EmailLinkSent, "Confirmation link sent"), ...errorResponses(400, 401, 403, 413), ...rateLimited },
  }),
  async (c) => {
    const { email } = c.req.valid("json");
    await countAttempt(c.env.DB, { ip: clientIp(c.req), email });
    await emailSignInLink(c.env, siteOrigin(c.env, c.req.url), c.get("account").id, email, true);
    return c.json({ sent: true as const }, 202);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/recovery-code",
    tags: TAG,
    summary: "Sign in with the recovery code",
    description: "The code works once: the answer carries the account's new code, shown this once.",
    request: { body: jsonBody(RecoveryCodeBody) },
    responses: { 200: jsonContent(SignedInWithCode, "Signed in, with the new code"), ...errorResponses(400, 401, 403, 413), ...rateLimited },
  }),
  async (c) => {
    await countAttempt(c.env.DB, { ip: clientIp(c.req) });
    const accountId = await useRecoveryCode(c.env.DB, c.req.valid("json").code);
    if (!accountId) throw new ApiError(401, "code_refused", "This recovery code is not valid (each code works once). Check it, or sign in another way.");
    const body = await signIn(c, accountId);
    return c.json({ ...body, recoveryCode: await newRecoveryCodeFor(c.env.DB, accountId) }, 200);
  },
);
