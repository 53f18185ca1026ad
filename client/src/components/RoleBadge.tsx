import type { Role } from "../../../durable-objects/protocol.ts";
import { t } from "../i18n.ts";

const LABELS = { host: "roleHost", guest: "roleGuest", moderator: "roleModerator" } as const;

/** "Host" / "Guest" / "Mod" next to a chat name; viewers get no badge. */
export function RoleBadge({ role }: { role: Role }) {
  if (role === "viewer") return null;
  return <span class={`role-badge role-${role}`}>{t(LABELS[role])}</span>;
}
