import type { Role } from "../../../durable-objects/protocol.ts";
import { t } from "../i18n.ts";

/** "Host" / "Guest" next to a chat name; viewers get no badge. */
export function RoleBadge({ role }: { role: Role }) {
  if (role === "viewer") return null;
  return <span class={`role-badge role-${role}`}>{t(role === "host" ? "roleHost" : "roleGuest")}</span>;
}
