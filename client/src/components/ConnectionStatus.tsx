import type { ConnectionState } from "../room-model.ts";
import { t, type CommonKey } from "../i18n.ts";

const labels: Record<ConnectionState, CommonKey> = {
  connecting: "connectionConnecting",
  online: "connectionOnline",
  reconnecting: "connectionReconnecting",
};

/** A dot that is quiet while connected and says so in words while it is not. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <span class="connection" data-testid="connection-status" data-state={state} role="status">
      <span class="connection-dot" aria-hidden="true" />
      <span class={state === "online" ? "visually-hidden" : "connection-label"}>{t(labels[state])}</span>
    </span>
  );
}
