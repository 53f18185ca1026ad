import { useEffect, useRef, useState } from "preact/hooks";
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { api, ApiError } from "../api.ts";
import { ConnectionStatus } from "../components/ConnectionStatus.tsx";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { TopBar } from "../components/TopBar.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { errorText, tStudio as t } from "../i18n.ts";
import { viewerUrl } from "../room-address.ts";
import type { RoomModel } from "../room-model.ts";
import type { Publisher } from "../video/publisher.ts";
import type { StagePlayer } from "../video/stage-player.ts";
import { ChatModeration } from "./ChatModeration.tsx";
import type { DealRequest } from "./DealControls.tsx";
import { HostCamera } from "./HostCamera.tsx";
import { LiveMode } from "./LiveMode.tsx";
import type { ModerationFeed } from "./moderation-feed.ts";
import { unitsByProduct, type OrdersFeed } from "./orders-feed.ts";
import { isRehearsal, RehearsalBar } from "./Rehearsal.tsx";
import { ShareLink } from "./ShareLink.tsx";
import { ShowControls } from "./ShowControls.tsx";
import { StartBanner } from "./StartBanner.tsx";
import { StageList } from "./StageList.tsx";
import { StudioChat } from "./StudioChat.tsx";
import { StudioOrders } from "./StudioOrders.tsx";
import { StudioProducts } from "./StudioProducts.tsx";
import { StudioRsvps } from "./StudioRsvps.tsx";
import { ShowSummary, StudioNumbers } from "../numbers/loader.tsx";

type StudioPageProps = {
  roomId: string;
  /**
   * "host" on the studio link; "moderator" on the moderator link, where the
   * page is the chat and its moderation only.
   */
  mode: "host" | "moderator";
  /** The host (or moderator) key from the link; null without one: then the signed-in team member's session answers. */
  hostKey: string | null;
  model: RoomModel | null;
  /** The blocked words and who is kept out of the chat. */
  moderation: ModerationFeed;
  /** The show's orders, live; null without a host key. */
  feed: OrdersFeed | null;
  /** The host's camera; null without a host key. */
  publisher: Publisher | null;
  /** The stage as viewers get it (guests' video); null without a host key. */
  player: StagePlayer | null;
};

/** Screens on which the studio turns into its live mode once the show is live: phones, upright or sideways. */
const PHONE = "(max-width: 700px), (max-height: 500px)";

/** What the host sees while running the show (and a moderator, of its chat). */
export function StudioPage({ roomId, mode, hostKey, model, moderation, feed, publisher, player }: StudioPageProps) {
  const [actionError, setActionError] = useState<string | null>(null);
  const [links, setLinks] = useRoomLinks(roomId, mode === "host", hostKey);
  const [keyRejected, setKeyRejected] = useState(false);
  const [statusBusy, setStatusBusy] = useState(false);
  const [pendingPin, setPendingPin] = useState<string | null>(null);

  const room = model?.room.value ?? null;
  const you = model?.you.value;
  // The room also tells us who it thinks we are: a key it did not accept makes us a viewer.
  const rejected = keyRejected || model?.refused.value || (you !== undefined && you !== null && you.role !== mode);
  const ready = !!(model && room && !rejected && !model.notFound.value);

  // The camera starts with the studio, once, whichever view shows it (the live mode or the studio's card).
  const cameraStarted = useRef(false);
  useEffect(() => {
    if (!publisher || !ready || room?.status == "ended" || cameraStarted.current) return;
    cameraStarted.current = true;
    void publisher.start();
  }, [ready, room?.status]);

  // On a phone, going live (or opening the studio of a live show) turns on the live mode, once; the host may leave it.
  const phone = useMediaQuery(PHONE);
  const [liveMode, setLiveMode] = useState(false);
  const enteredByItself = useRef(false);
  useEffect(() => {
    if (ready && mode === "host" && phone && room?.status == "live" && !enteredByItself.current) {
      enteredByItself.current = true;
      setLiveMode(true);
    }
  }, [ready, phone, room?.status]);

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
  if (model?.notFound.value) problem = t("studioNotFound");
  else if (rejected && !hostKey) problem = t(mode === "host" ? "keyMissing" : "modKeyMissing");
  else if (rejected) problem = t(mode === "host" ? "keyRejected" : "modKeyRejected");
  else problem = actionError;

  // One chat box for every view of the studio: its card, the live mode, the moderator's page.
  const chatBox = model && (
    <StudioChat
      messages={model.messages.value}
      chat={model.chat.value}
      moderation={moderation.state.value}
      placeholder={t(mode === "host" ? "hostChatPlaceholder" : "moderatorChatPlaceholder")}
      onSend={(text) => model.sendChat(text)}
      onModerate={model.moderate}
    />
  );
  const chat = model && (
    <>
      {chatBox}
      {moderation.state.value && <ChatModeration chat={model.chat.value} moderation={moderation.state.value} onModerate={model.moderate} />}
    </>
  );

  if (liveMode && ready && publisher && room && model && room.status != "ended") {
    return (
      <>
        <LiveMode
          room={room}
          connection={model.connection.value}
          publisher={publisher}
          busy={statusBusy}
          pending={pendingPin}
          problem={problem}
          onPin={pin}
          onStartDeal={startDeal}
          onEndDeal={() => call("deals/end", {})}
          onStatus={changeStatus}
          onExit={() => setLiveMode(false)}
          chat={chatBox}
          numbers={room.status === "live" && !isRehearsal(roomId) ? <StudioNumbers roomId={roomId} hostKey={hostKey} viewersNow={room.viewers} inSheet /> : null}
        />
        <Toasts />
      </>
    );
  }

  return (
    <>
      <TopBar sub={t(mode === "host" ? "studioTitle" : "moderatorPage")}>
        <div class="topbar-end">
          {model && !rejected && !model.notFound.value && <ConnectionStatus state={model.connection.value} />}
          <LangSwitch class="chip chip-light" />
        </div>
      </TopBar>
      <main class="studio">
        {problem && (
          <p class="studio-error" data-testid="studio-error" role="alert">
            {problem}
          </p>
        )}
        {mode === "moderator" && ready && room && (
          <div class="studio-moderator">
            <h1 class="studio-moderator-title">{room.title}</h1>
            {chat}
            <ShareLink url={viewerUrl(roomId)} guestUrl={null} moderatorUrl={null} studioUrl={null} />
          </div>
        )}
        {mode === "host" && room && <StartBanner room={room} />}
        {mode === "host" && model && room && ready && (
          // Three panels on a laptop's screen, each scrolling inside itself: the stage, the products, the audience's talk and orders.
          <div class="studio-grid">
            <div class="studio-column studio-stage-column">
              <RehearsalBar roomId={roomId} hostKey={hostKey} status={room.status} />
              <ShowControls room={room} busy={statusBusy} onStatus={changeStatus} />
              {publisher && room.status != "ended" && <HostCamera room={room} publisher={publisher} onLiveMode={() => setLiveMode(true)} />}
              {room.status === "scheduled" && !isRehearsal(roomId) && <StudioRsvps roomId={roomId} hostKey={hostKey} />}
              {room.status === "ended" && !isRehearsal(roomId) && <ShowSummary roomId={roomId} hostKey={hostKey} />}
              {room.status != "ended" && (
                <StageList
                  stage={room.stage}
                  ownSession={publisher?.sessionId.value ?? null}
                  tiles={player?.tiles.value ?? []}
                  publisher={publisher}
                  onRemove={(sessionId) => call("stage/remove", { sessionId })}
                />
              )}
              {room.status === "live" && !isRehearsal(roomId) && <StudioNumbers roomId={roomId} hostKey={hostKey} viewersNow={room.viewers} />}
              <ShareLink
                url={viewerUrl(roomId)}
                guestUrl={links?.guest ?? null}
                moderatorUrl={links?.moderator ?? null}
                studioUrl={links?.host ?? null}
                onReplaceGuest={async () => {
                  try {
                    const answer = await api<{ links: RoomLinks }>(`/api/rooms/${encodeURIComponent(roomId)}/guest-link`, { method: "POST", key: hostKey });
                    setLinks(answer.links);
                    return true;
                  } catch (error) {
                    const refusal = error instanceof ApiError ? error : new ApiError(0, "network", String(error));
                    setActionError(t("actionFailed", { message: errorText(refusal.code, refusal.message) }));
                    return false;
                  }
                }}
              />
            </div>
            <div class="studio-column studio-products-column">
              <StudioProducts
                room={room}
                pending={pendingPin}
                onPin={pin}
                units={unitsByProduct(orders)}
                onStartDeal={startDeal}
                onEndDeal={() => call("deals/end", {})}
              />
            </div>
            <div class="studio-column studio-talk-column">
              <StudioOrders orders={orders} loadError={feed?.loadError.value ?? null} test={isRehearsal(roomId)} />
              {chat}
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

/** Whether the screen matches a media query, kept up to date (a phone turned sideways). */
function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const update = () => setMatches(list.matches);
    list.addEventListener("change", update);
    return () => list.removeEventListener("change", update);
  }, [query]);
  return matches;
}

/**
 * The guest, moderator and studio links, rebuilt by the server (it stores
 * none of the keys) for the host key or a signed-in host's session, so the
 * host can invite a guest or a moderator at any time and take the studio to
 * another device. Null until known, or for rooms whose links cannot be
 * rebuilt (shows made before the server made their keys, opened without the
 * host key).
 */
type RoomLinks = { guest: string; moderator: string; host: string };
function useRoomLinks(roomId: string, host: boolean, hostKey: string | null) {
  const [links, setLinks] = useState<RoomLinks | null>(null);
  useEffect(() => {
    if (!host) return;
    api<{ links: RoomLinks }>(`/api/rooms/${encodeURIComponent(roomId)}/links`, { key: hostKey })
      .then((answer) => setLinks(answer.links))
      .catch(() => setLinks(null));
  }, [roomId, host, hostKey]);
  return [links, setLinks] as const;
}
