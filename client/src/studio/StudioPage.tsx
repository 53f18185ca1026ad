import { useEffect, useState } from "preact/hooks";
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { api, ApiError } from "../api.ts";
import { ConnectionStatus } from "../components/ConnectionStatus.tsx";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { errorText, tStudio as t } from "../i18n.ts";
import { viewerUrl } from "../room-address.ts";
import type { RoomModel } from "../room-model.ts";
import type { Publisher } from "../video/publisher.ts";
import type { DealRequest } from "./DealControls.tsx";
import { HostCamera } from "./HostCamera.tsx";
import { unitsByProduct, type OrdersFeed } from "./orders-feed.ts";
import { ShareLink } from "./ShareLink.tsx";
import { ShowControls } from "./ShowControls.tsx";
import { StageList } from "./StageList.tsx";
import { StudioChat } from "./StudioChat.tsx";
import { StudioOrders } from "./StudioOrders.tsx";
import { StudioProducts } from "./StudioProducts.tsx";

type StudioPageProps = {
  roomId: string;
  /** The host key from the link; null when the link came without one. */
  hostKey: string | null;
  model: RoomModel | null;
  /** The show's orders, live; null without a host key. */
  feed: OrdersFeed | null;
  /** The host's camera; null without a host key. */
  publisher: Publisher | null;
};

/** What the host sees while running the show. */
export function StudioPage({ roomId, hostKey, model, feed, publisher }: StudioPageProps) {
  const [actionError, setActionError] = useState<string | null>(null);
  const guestUrl = useGuestLink(roomId, hostKey);
  const [keyRejected, setKeyRejected] = useState(false);
  const [statusBusy, setStatusBusy] = useState(false);
  const [pendingPin, setPendingPin] = useState<string | null>(null);

  const room = model?.room.value ?? null;
  const you = model?.you.value;
  // The room also tells us who it thinks we are: a host key it did not accept makes us a viewer.
  const rejected = keyRejected || model?.refused.value || (you !== undefined && you !== null && you.role !== "host");

  /**
   * Pin, status and deals go through the HTTP API with the host key, so they
   * work like any integration's calls. No need to apply the answer: the room
   * sends the change over the socket, in order. Returns the refusal, if any.
   */
  async function request(path: string, body: unknown): Promise<ApiError | null> {
    setActionError(null);
    try {
      await api<{ room: RoomState }>(`/api/rooms/${encodeURIComponent(roomId)}/${path}`, { method: "POST", key: hostKey, body });
      return null;
    } catch (error) {
      const refusal = error instanceof ApiError ? error : new ApiError(0, "network", String(error));
      if (refusal.status === 401 || refusal.status === 403) setKeyRejected(true);
      return refusal;
    }
  }

  async function call(path: string, body: unknown) {
    const refusal = await request(path, body);
    if (refusal && !keyRefusal(refusal)) setActionError(t("actionFailed", { message: errorText(refusal.code, refusal.message) }));
  }

  /** Starts a flash deal; a refusal comes back in words, for the deal form to show. */
  async function startDeal(deal: DealRequest): Promise<string | null> {
    const refusal = await request("deals", deal);
    if (!refusal || keyRefusal(refusal)) return null;
    if (refusal.code === "deal_running") return t("errDealRunning");
    if (refusal.code === "show_not_live") return t("dealNeedsLive");
    return t("actionFailed", { message: errorText(refusal.code, refusal.message) });
  }

  /**
   * Going live puts the camera on the stage first, so viewers see the host as
   * the show starts (a relay that cannot be reached does not hold the show
   * back: the camera keeps trying). Ending takes it off the stage.
   */
  async function changeStatus(status: "live" | "ended") {
    setStatusBusy(true);
    await (status == "live" ? publisher?.join() : publisher?.stop());
    await call("status", { status });
    setStatusBusy(false);
  }

  async function pin(productId: string | null) {
    setPendingPin(productId ?? "");
    await call("pin", { productId });
    setPendingPin(null);
  }

  const orders = feed?.orders.value ?? [];

  let problem: string | null = null;
  if (!hostKey) problem = t("keyMissing");
  else if (model?.notFound.value) problem = t("studioNotFound");
  else if (rejected) problem = t("keyRejected");
  else problem = actionError;

  return (
    <>
      <header class="topbar">
        <a class="logo" href="/">
          <span class="logo-mark" aria-hidden="true" />
          {t("brand")}
          <span class="logo-sub">{t("studioTitle")}</span>
        </a>
        <div class="topbar-end">
          {model && !rejected && !model.notFound.value && <ConnectionStatus state={model.connection.value} />}
          <LangSwitch class="chip chip-light" />
        </div>
      </header>
      <main class="studio">
        {problem && (
          <p class="studio-error" data-testid="studio-error" role="alert">
            {problem}
          </p>
        )}
        {model && room && !rejected && !model.notFound.value && (
          <div class="studio-grid">
            <div class="studio-column">
              <ShowControls room={room} busy={statusBusy} onStatus={changeStatus} />
              {publisher && room.status != "ended" && <HostCamera room={room} publisher={publisher} />}
              {room.status != "ended" && (
                <StageList stage={room.stage} ownSession={publisher?.sessionId.value ?? null} onRemove={(sessionId) => call("stage/remove", { sessionId })} />
              )}
              <ShareLink url={viewerUrl(roomId)} guestUrl={guestUrl} />
              <StudioProducts
                room={room}
                pending={pendingPin}
                onPin={pin}
                units={unitsByProduct(orders)}
                onStartDeal={startDeal}
                onEndDeal={() => call("deals/end", {})}
              />
            </div>
            <div class="studio-column">
              <StudioOrders orders={orders} loadError={feed?.loadError.value ?? null} />
              <StudioChat
                messages={model.messages.value}
                onSend={(text) => model.sendChat(text)}
                onDelete={model.deleteMessage}
              />
            </div>
          </div>
        )}
        {model && !room && !problem && (
          <p class="studio-loading">
            <span class="spinner spinner-dark" aria-hidden="true" />
            {t("studioLoading")}
          </p>
        )}
      </main>
      <Toasts />
    </>
  );
}

const keyRefusal = (error: ApiError) => error.status === 401 || error.status === 403;

/**
 * The guest link, rebuilt by the server from the host key (it stores
 * neither), so the host can invite a guest at any time. Null until known, or
 * for rooms whose guest link cannot be rebuilt.
 */
function useGuestLink(roomId: string, hostKey: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!hostKey) return;
    api<{ links: { guest: string } }>(`/api/rooms/${encodeURIComponent(roomId)}/links`, { key: hostKey })
      .then(({ links }) => setUrl(links.guest))
      .catch(() => setUrl(null));
  }, [roomId, hostKey]);
  return url;
}
