/**
 * The console's calls for a shop's team (/api/shops/{id}/team/…): its
 * members and pending invites (kept per shop in a signal that the team card
 * and the show list both read), inviting, roles, removing, hosts of shows;
 * and the invite link this browser was opened with (`#invite={shopId}.{token}`,
 * taken out of the address bar at once).
 */
import { signal } from "@preact/signals";
import { api } from "../api.ts";
import type { Role } from "./account.ts";
import type { ConsoleKey } from "./i18n-console.ts";

export type InviteRole = Exclude<Role, "owner">;
export const ROLES: Role[] = ["owner", "manager", "host", "moderator"];
export const ROLE_WORDS: Record<Role, ConsoleKey> = { owner: "roleOwner", manager: "roleManager", host: "roleHost", moderator: "roleModerator" };
export type Member = { accountId: string; displayName: string; email: string | null; role: Role; since: number; shows: string[] };
export type Invite = { id: string; role: InviteRole; name: string | null; email: string | null; createdAt: number; expiresAt: number };
export type Team = { members: Member[]; invites: Invite[] };
export type InvitePreview = { shop: { id: string; name: string }; role: InviteRole; name: string | null; expiresAt: number };
/** An invite link's shop and token. */
export type InviteTicket = { shopId: string; token: string };

/** Each shop's team, once loaded (owners and managers only). */
export const teams = signal<Record<string, Team>>({});

const base = (shopId: string) => `/api/shops/${encodeURIComponent(shopId)}/team`;
const post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: "POST", body });

export async function loadTeam(shopId: string): Promise<Team> {
  const team = await api<Team>(base(shopId));
  teams.value = { ...teams.value, [shopId]: team };
  return team;
}

/** Makes an invite and answers its link (shown once); the team is loaded again. */
export async function invite(shopId: string, fields: { role: InviteRole; name?: string; email?: string }): Promise<string> {
  const { link } = await post<{ link: string }>(`${base(shopId)}/invites`, fields);
  await loadTeam(shopId);
  return link;
}

/** A change to the team, then the team as it is now. */
const change = async (shopId: string, path: string, body: unknown = {}) => {
  await post(`${base(shopId)}/${path}`, body);
  await loadTeam(shopId);
};
export const revokeInvite = (shopId: string, inviteId: string) => change(shopId, `invites/${encodeURIComponent(inviteId)}/revoke`);
export const changeRole = (shopId: string, accountId: string, role: Role) => change(shopId, `members/${encodeURIComponent(accountId)}/role`, { role });
export const removeMember = (shopId: string, accountId: string) => change(shopId, `members/${encodeURIComponent(accountId)}/remove`);
export const assignHost = (shopId: string, roomId: string, accountId: string) => change(shopId, `shows/${encodeURIComponent(roomId)}/hosts`, { accountId });
export const unassignHost = (shopId: string, roomId: string, accountId: string) =>
  change(shopId, `shows/${encodeURIComponent(roomId)}/hosts/${encodeURIComponent(accountId)}/remove`);

export const previewInvite = ({ shopId, token }: InviteTicket) => post<InvitePreview>(`${base(shopId)}/invites/preview`, { token });
/** Accepts the invite: signed in, as this account; signed out, as a new account named `displayName` (then signed in). */
export const acceptInvite = ({ shopId, token }: InviteTicket, displayName?: string) =>
  post<{ shop: { id: string; name: string }; role: InviteRole; newAccount: boolean }>(`${base(shopId)}/invites/accept`, { token, displayName });

/** `#invite=s_….iv_…` from an invite link, taken out of the address bar at once. */
export function takeInvite(): InviteTicket | null {
  const match = /^#invite=(s_[0-9A-Za-z]{16})\.(iv_[0-9A-Za-z]{32})$/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, "", location.pathname + location.search);
  return { shopId: match[1]!, token: match[2]! };
}
