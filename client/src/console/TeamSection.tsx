import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { formatStartTime } from "../format.ts";
import { lang } from "../i18n.ts";
import { me, type Role } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { problemText } from "./SignIn.tsx";
import { changeRole, invite, loadTeam, removeMember, revokeInvite, ROLE_WORDS, ROLES, teams, type InviteRole } from "./team.ts";

const when = (at: number) => formatStartTime(new Date(at).toISOString(), lang.value);

/** The team's refusals in the page's words. */
export function teamProblem(error: unknown): string {
  if (error instanceof ApiError && error.code === "last_owner") return t("errLastOwner");
  if (error instanceof ApiError && error.code === "not_a_host") return t("errNotHost");
  return problemText(error);
}

/** A shop's team: its members and invites; the owner invites, changes roles, removes, revokes (managers read). */
export function TeamSection({ shopId, role }: { shopId: string; role: Role }) {
  const team = teams.value[shopId];
  const owner = role === "owner";
  const [error, setError] = useState<string | null>(null);
  const [inviteRole, setInviteRole] = useState<InviteRole>("host");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [link, setLink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => void loadTeam(shopId).catch((caught) => setError(teamProblem(caught))), [shopId]);

  async function attempt(work: () => Promise<unknown>) {
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(teamProblem(caught));
    }
  }

  async function create(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    await attempt(async () => {
      setLink(await invite(shopId, { role: inviteRole, name: name.trim() || undefined, email: email.trim() || undefined }));
      setName("");
      setEmail("");
    });
    setBusy(false);
  }

  return (
    <section class="console-team" aria-label={t("teamTitle")} data-testid="team">
      <h3 class="link-label">{t("teamTitle")}</h3>
      <p class="muted small">{t("teamLead")}</p>
      {error && (
        <p class="console-error" role="alert" data-testid="team-error">
          {error}
        </p>
      )}
      <ul class="plain-list">
        {(team?.members ?? []).map((member) => {
          const self = member.accountId === me.value?.account.id;
          return (
            <li key={member.accountId} class="plain-row team-row" data-testid="team-member" data-role={member.role}>
              <div>
                <p class="plain-row-title">
                  <span data-testid="team-member-name">{member.displayName}</span>
                  {self && <span class="tag">{t("you")}</span>}
                </p>
                <p class="muted small">{t("memberSince", { date: when(member.since) })}</p>
              </div>
              {owner ? (
                <div class="team-actions">
                  <select
                    class="team-select"
                    aria-label={t("roleLabel")}
                    data-testid="team-member-role"
                    value={member.role}
                    onChange={(event) => attempt(() => changeRole(shopId, member.accountId, event.currentTarget.value as Role))}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(ROLE_WORDS[r])}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    class="button button-quiet copy-button"
                    data-testid="team-member-remove"
                    onClick={() => window.confirm(t("removeMemberConfirm", { name: member.displayName })) && attempt(() => removeMember(shopId, member.accountId))}
                  >
                    {t("removeMember")}
                  </button>
                </div>
              ) : (
                <span class="tag">{t(ROLE_WORDS[member.role])}</span>
              )}
            </li>
          );
        })}
      </ul>
      {team && team.invites.length > 0 && (
        <>
          <h3 class="link-label">{t("pendingInvites")}</h3>
          <ul class="plain-list">
            {team.invites.map((pending) => (
              <li key={pending.id} class="plain-row" data-testid="team-invite">
                <div>
                  <p class="plain-row-title">
                    {pending.name ? t("inviteFor", { name: pending.name }) : t("inviteAnyone")} <span class="tag">{t(ROLE_WORDS[pending.role])}</span>
                  </p>
                  <p class="muted small">
                    {pending.email ? `${pending.email} · ` : ""}
                    {t("inviteExpires", { date: when(pending.expiresAt) })}
                  </p>
                </div>
                {owner && (
                  <button type="button" class="button button-quiet copy-button" data-testid="team-invite-revoke" onClick={() => attempt(() => revokeInvite(shopId, pending.id))}>
                    {t("revokeInvite")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {owner && (
        <form class="sign-in-form" onSubmit={create} data-testid="invite-form">
          <h3 class="link-label">{t("inviteTitle")}</h3>
          <label class="field">
            <span class="field-label">{t("roleLabel")}</span>
            <select data-testid="invite-role" value={inviteRole} onChange={(event) => setInviteRole(event.currentTarget.value as InviteRole)}>
              {ROLES.filter((r): r is InviteRole => r !== "owner").map((r) => (
                <option key={r} value={r}>
                  {t(ROLE_WORDS[r])}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field-label">{t("inviteName")}</span>
            <input data-testid="invite-name" maxLength={80} value={name} onInput={(event) => setName(event.currentTarget.value)} />
          </label>
          <label class="field">
            <span class="field-label">{t("inviteEmail")}</span>
            <input type="email" inputMode="email" data-testid="invite-email" value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
          </label>
          <button type="submit" class="button button-primary button-wide" data-testid="invite-create" disabled={busy}>
            {t("inviteCreate")}
          </button>
          {link && (
            <div class="team-invite-link" role="status">
              <p class="small">{t("inviteLinkReady")}</p>
              <input readOnly class="team-link-input" data-testid="invite-link" value={link} onFocus={(event) => event.currentTarget.select()} />
              <CopyButton text={link} testId="copy-invite-link" label={t("copyInviteLink")} />
            </div>
          )}
        </form>
      )}
    </section>
  );
}
