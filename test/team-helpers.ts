/** People of a shop's team for tests: browsers with their session cookie, the owner of a show, invited members. */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE, createShow, json } from "./helpers.ts";

let nextIp = 1;
/** A browser: its cookie, kept from Set-Cookie; its writes carry this site's Origin, as the console's do. */
export type Browser = { cookie: string | null; ip: string };
export const browser = (): Browser => ({ cookie: null, ip: `198.51.100.${nextIp++ % 250}` });

export async function send(who: Browser, path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const method = init.method ?? (init.json === undefined ? "GET" : "POST");
  const headers = new Headers({ "CF-Connecting-IP": who.ip, ...init.headers });
  if (method !== "GET" && !headers.has("Origin")) headers.set("Origin", BASE);
  if (who.cookie) headers.set("Cookie", who.cookie);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) }));
  const set = res.headers.getSetCookie().at(-1);
  if (set) who.cookie = set.split(";")[0]!;
  return res;
}

/** The owner of a new shop with a show, signed in (the shop is claimed with its API key). */
export async function ownedShow() {
  const show = await createShow();
  const owner = browser();
  const res = await send(owner, "/api/auth/claim", { json: {}, headers: { Authorization: `Bearer ${show.apiKey}` } });
  expect(res.status).toBe(201);
  return { ...show, owner, ownerId: (await json(res)).account.id as string };
}

export async function invite(owner: Browser, shopId: string, role: string, extra: Record<string, string> = {}) {
  const res = await send(owner, `/api/shops/${shopId}/team/invites`, { json: { role, ...extra } });
  expect(res.status).toBe(201);
  const body = await json(res);
  const [, shop, token] = /#invite=(s_\w+)\.(iv_\w+)$/.exec(body.link)!;
  expect(shop).toBe(shopId);
  return { ...body, token: token! };
}

/** A new person who accepts an invite with this role, signed out: their account is made and signed in. */
export async function member(owner: Browser, shopId: string, role: string, name = `A ${role}`) {
  const { token } = await invite(owner, shopId, role);
  const who = browser();
  const res = await send(who, `/api/shops/${shopId}/team/invites/accept`, { json: { token, displayName: name } });
  expect(res.status).toBe(201);
  expect(who.cookie).toMatch(/^session=ss_/);
  return Object.assign(who, { accountId: (await json(res)).accountId as string });
}

