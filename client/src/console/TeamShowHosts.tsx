import { useState } from "preact/hooks";
import { tConsole as t } from "./i18n-console.ts";
import { teamProblem } from "./TeamSection.tsx";
import { assignHost, teams, unassignHost } from "./team.ts";

/** Who hosts one show (owners and managers): the assigned hosts, each to take off, and a choice of the team's other hosts to add. */
export function TeamShowHosts({ shopId, roomId }: { shopId: string; roomId: string }) {
  const [error, setError] = useState<string | null>(null);
  const team = teams.value[shopId];
  if (!team) return null;
  const hosts = team.members.filter((member) => member.role === "host");
  const assigned = hosts.filter((member) => member.shows.includes(roomId));
  const free = hosts.filter((member) => !member.shows.includes(roomId));

  const attempt = (work: () => Promise<unknown>) => {
    setError(null);
    work().catch((caught) => setError(teamProblem(caught)));
  };

  return (
    <div class="show-hosts" data-testid="show-hosts">
      <p class="muted small">
        {t("showHosts")}: {assigned.length === 0 && t("showHostsNone")}
      </p>
      {assigned.length > 0 && (
        <ul class="show-host-list">
          {assigned.map((member) => (
            <li key={member.accountId} class="tag show-host" data-testid="show-host">
              <span>{member.displayName}</span>
              <button
                type="button"
                class="show-host-remove"
                aria-label={`${t("unassign")}: ${member.displayName}`}
                data-testid="show-host-remove"
                onClick={() => attempt(() => unassignHost(shopId, roomId, member.accountId))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {free.length > 0 && (
        <select
          class="team-select"
          aria-label={t("assignHost")}
          data-testid="assign-host"
          value=""
          onChange={(event) => {
            const accountId = event.currentTarget.value;
            if (accountId) attempt(() => assignHost(shopId, roomId, accountId));
          }}
        >
          <option value="">{t("assignHostChoose")}</option>
          {free.map((member) => (
            <option key={member.accountId} value={member.accountId}>
              {member.displayName}
            </option>
          ))}
        </select>
      )}
      {error && <p class="console-error">{error}</p>}
    </div>
  );
}
