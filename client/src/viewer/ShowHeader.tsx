import type { RoomState } from "../../../durable-objects/protocol.ts";
import { ConnectionStatus } from "../components/ConnectionStatus.tsx";
import { EyeIcon } from "../components/icons.tsx";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { formatCount } from "../format.ts";
import { lang, tViewer as t } from "../i18n.ts";
import type { ConnectionState } from "../room-model.ts";

/** Shop and show at the top left; live badge, audience and connection at the top right. */
export function ShowHeader({ room, connection }: { room: RoomState | null; connection: ConnectionState }) {
  const initial = room ? (Array.from(room.shopName.trim())[0]?.toUpperCase() ?? "") : "";
  return (
    <header class="show-header">
      <div class="show-id">
        <span class="shop-avatar" aria-hidden="true">
          {initial}
        </span>
        <ConnectionStatus state={connection} />
        <div class="show-id-text">
          <p class="shop-name">{room?.shopName ?? "\u00a0"}</p>
          <h1 class="show-title" data-testid="show-title">{room?.title ?? ""}</h1>
        </div>
      </div>
      <div class="show-meta">
        {room?.status === "live" && <span class="live-badge">{t("live")}</span>}
        <span
          class="chip viewer-count"
          data-testid="viewer-count"
          role="img"
          aria-label={t("viewers", { count: room?.viewers ?? 0 })}
        >
          <EyeIcon size={14} />
          {formatCount(room?.viewers ?? 0, lang.value)}
        </span>
        <LangSwitch class="chip" />
      </div>
    </header>
  );
}
