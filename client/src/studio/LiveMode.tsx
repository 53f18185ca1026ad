import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { RoomProduct, RoomState, RoomStatus } from "../../../durable-objects/protocol.ts";
import { ConnectionStatus } from "../components/ConnectionStatus.tsx";
import { DealCountdown, dealClock, useActiveDeal } from "../components/DealCountdown.tsx";
import { CloseIcon, EyeIcon, HeartIcon } from "../components/icons.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { Sheet } from "../components/Sheet.tsx";
import { formatCount, formatPrice } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";
import type { ConnectionState } from "../room-model.ts";
import { tRehearsal } from "../i18n-rehearsal.ts";
import { tVideo } from "../i18n-video.ts";
import { CameraPreview, CameraProblem } from "../video/CameraControls.tsx";
import type { Publisher } from "../video/publisher.ts";
import type { DealRequest } from "./DealControls.tsx";
import { isRehearsal } from "./Rehearsal.tsx";
import { StartBanner } from "./StartBanner.tsx";
import { BoltIcon, ChartIcon, FlipCameraIcon, MicIcon, MicOffIcon, PinIcon, VideoIcon, VideoOffIcon } from "./live-icons.tsx";

type LiveModeProps = {
  room: RoomState;
  /** The room's socket: a quiet dot while it is up, the state in words while it is not. */
  connection: ConnectionState;
  publisher: Publisher;
  /** A status change is on its way. */
  busy: boolean;
  /** The product whose pin or unpin is on its way, if any. */
  pending: string | null;
  /** What went wrong with the last action, in words. */
  problem: string | null;
  onPin: (productId: string | null) => Promise<void>;
  onStartDeal: (request: DealRequest) => Promise<string | null>;
  onEndDeal: () => Promise<void>;
  onStatus: (status: Exclude<RoomStatus, "scheduled">) => void;
  onExit: () => void;
  /** The studio's chat, laid over the camera. */
  chat: ComponentChildren;
  /** The show's live numbers, opened from the rail while it is live (none in a rehearsal). */
  numbers: ComponentChildren | null;
};

/**
 * The studio as a phone shows it while the show runs, the way live-shopping
 * apps do it for their hosts: the camera full screen, the chat over it (so a
 * host looking at the lens still reads it), the audience figures at the top,
 * camera buttons at the side, and the products at the bottom, within a thumb:
 * one tap pins, two start a flash deal. The screen stays awake meanwhile.
 */
export function LiveMode({ room, connection, publisher, busy, pending, problem, onPin, onStartDeal, onEndDeal, onStatus, onExit, chat, numbers }: LiveModeProps) {
  useWakeLock();
  const [dealFor, setDealFor] = useState<RoomProduct | null>(null);
  const [numbersOpen, setNumbersOpen] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [endingDeal, setEndingDeal] = useState(false);
  const running = useActiveDeal(room.deal);
  const { micOn, cameraOn, preview } = publisher;
  const state = publisher.state.value;
  const hasVideo = !!preview.value?.getVideoTracks().length;
  const dealProduct = running && room.products.find((product) => product.id === running.productId);

  async function endDeal() {
    setEndingDeal(true);
    await onEndDeal();
    setEndingDeal(false);
  }

  return (
    <section class="live-mode" data-testid="live-mode" data-state={room.status} aria-label={t("liveMode")}>
      <CameraPreview publisher={publisher} />
      {hasVideo && !cameraOn.value && <p class="live-camera-off">{tVideo("cameraIsOff")}</p>}
      <div class="live-shade" aria-hidden="true" />

      <header class="live-top">
        {connection === "online" && <ConnectionStatus state={connection} />}
        <span class="live-pill" data-state={room.status}>
          {t(room.status == "live" ? "statusLive" : room.status == "ended" ? "statusEnded" : "statusScheduled")}
        </span>
        {isRehearsal(room.id) && (
          <span class="rehearsal-badge" data-testid="live-rehearsal-badge">
            {tRehearsal("rehearsalBadge")}
          </span>
        )}
        <span class="live-stat" data-testid="live-viewers" title={t("statWatching")}>
          <EyeIcon size={15} />
          <span class="visually-hidden">{t("statWatching")}</span>
          {formatCount(room.viewers, lang.value)}
        </span>
        <span class="live-stat" data-testid="live-hearts" title={t("statHearts")}>
          <HeartIcon size={14} />
          <span class="visually-hidden">{t("statHearts")}</span>
          {formatCount(room.reactions, lang.value)}
        </span>
        <span class="live-top-end">
          {room.status == "scheduled" && (
            <button type="button" class="button button-primary live-top-button" data-testid="live-go-live" disabled={busy} onClick={() => onStatus("live")}>
              {t("goLive")}
            </button>
          )}
          {room.status == "live" && (
            <button type="button" class="button live-top-button live-end" data-testid="live-end-show" disabled={busy} onClick={() => setConfirmEnd(true)}>
              {t("endShow")}
            </button>
          )}
          <button type="button" class="live-round live-exit" data-testid="live-mode-exit" aria-label={t("leaveLiveMode")} title={t("leaveLiveMode")} onClick={onExit}>
            <CloseIcon size={20} />
          </button>
        </span>
      </header>
      {/*
       * Under the top bar: a lost connection in words (the host's pins and chat wait for it), and, before the show
       * (a phone at the ready), the start's countdown, or how late.
       */}
      <div class="live-start-banner">
        {connection !== "online" && <ConnectionStatus state={connection} />}
        <StartBanner room={room} />
      </div>

      <div class="live-rail">
        {hasVideo && (
          <RailButton testId="live-flip-camera" label={tVideo("flipCamera")} title={tVideo("flipCameraLabel")} onClick={() => void publisher.flip()}>
            <FlipCameraIcon />
          </RailButton>
        )}
        <RailButton
          testId="live-mute"
          label={micOn.value ? tVideo("mute") : tVideo("unmute")}
          pressed={!micOn.value}
          disabled={!preview.value?.getAudioTracks().length}
          onClick={() => publisher.toggle("audio")}
        >
          {micOn.value ? <MicIcon /> : <MicOffIcon />}
        </RailButton>
        {hasVideo && (
          <RailButton testId="live-camera" label={cameraOn.value ? tVideo("cameraOff") : tVideo("cameraOn")} pressed={!cameraOn.value} onClick={() => publisher.toggle("video")}>
            {cameraOn.value ? <VideoIcon /> : <VideoOffIcon />}
          </RailButton>
        )}
        {numbers && (
          <RailButton testId="live-numbers" label={t("liveNumbers")} pressed={numbersOpen} onClick={() => setNumbersOpen(true)}>
            <ChartIcon />
          </RailButton>
        )}
      </div>

      <div class="live-bottom">
        <div class="live-notes">
          <CameraProblem publisher={publisher} />
          {problem && (
            <p class="live-note live-note-error" role="alert">
              {problem}
            </p>
          )}
          {room.status == "live" && state != "on" && publisher.problem.value != "relay" && (
            <p class="live-note" data-testid="live-stage-state">
              {tVideo(state == "joining" ? "joining" : "offStage")}
              {state == "off" && preview.value && (
                <button type="button" class="button button-primary live-note-button" data-testid="live-join-stage" onClick={() => void publisher.join()}>
                  {tVideo("joinStage")}
                </button>
              )}
            </p>
          )}
          {running && (
            <div class="live-note live-deal" data-testid="live-deal-running" data-deal-id={running.id}>
              <BoltIcon size={16} />
              <span class="live-deal-title">{dealProduct ? dealProduct.title : t("dealRunning")}</span>
              <strong>{formatPrice(running.priceCents, dealProduct ? dealProduct.currency : "USD", lang.value)}</strong>
              <DealCountdown deal={running} />
              <button type="button" class="button live-note-button" data-testid="live-deal-end" disabled={endingDeal} onClick={endDeal}>
                {t("endDeal")}
              </button>
            </div>
          )}
        </div>
        <div class="live-chat">{chat}</div>
        <ul class="live-products" data-testid="live-products" aria-label={t("studioProducts")}>
          {room.products.map((product) => {
            const pinned = product.id === room.pinnedProductId;
            const onDeal = running?.productId === product.id;
            return (
              <li
                key={product.id}
                class={`live-product${pinned ? " is-pinned" : ""}${onDeal ? " is-deal" : ""}`}
                data-testid="live-product"
                data-product-id={product.id}
                data-pinned={String(pinned)}
              >
                <button
                  type="button"
                  class="live-product-pin"
                  data-testid="live-pin"
                  aria-pressed={pinned}
                  disabled={pending !== null}
                  onClick={() => void onPin(pinned ? null : product.id)}
                >
                  <ProductImage url={product.imageUrl} title={product.title} size={44} />
                  <span class="live-product-text">
                    <span class="live-product-title">{product.title}</span>
                    <span class="live-product-figures">
                      {formatPrice(onDeal && running ? running.priceCents : product.priceCents, product.currency, lang.value)}
                      {" · "}
                      <span class={product.left > 0 ? "" : "left-none"}>{product.left > 0 ? t("unitsLeft", { count: product.left }) : t("soldOut")}</span>
                    </span>
                    <span class="live-product-action">
                      <PinIcon size={13} />
                      {pinned ? t("unpin") : t("pin")}
                    </span>
                  </span>
                </button>
                <button type="button" class="live-product-deal" data-testid="live-deal" aria-label={`${t("flashDeal")}: ${product.title}`} onClick={() => setDealFor(product)}>
                  <BoltIcon size={16} />
                  <span>{t("flashDeal")}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </div>

      {dealFor && (
        <DealSheet
          product={room.products.find((product) => product.id === dealFor.id) ?? dealFor}
          room={room}
          dealRunning={running !== null}
          onStart={async (request) => {
            const refusal = await onStartDeal(request);
            if (refusal) return refusal;
            // Viewers see a deal's countdown on the pinned product.
            if (room.pinnedProductId !== request.productId) await onPin(request.productId);
            setDealFor(null);
            return null;
          }}
          onClose={() => setDealFor(null)}
        />
      )}
      {numbersOpen && numbers && (
        <Sheet title={t("liveNumbers")} onClose={() => setNumbersOpen(false)}>
          {numbers}
        </Sheet>
      )}
      {confirmEnd && (
        <Sheet title={t("endShow")} onClose={() => setConfirmEnd(false)}>
          <p class="live-sheet-text">{t("confirmEnd")}</p>
          <div class="live-sheet-actions">
            <button
              type="button"
              class="button button-danger button-wide"
              data-testid="live-end-confirm"
              disabled={busy}
              onClick={() => {
                setConfirmEnd(false);
                onStatus("ended");
              }}
            >
              {t("endShow")}
            </button>
            <button type="button" class="button button-quiet button-wide" data-testid="live-end-cancel" onClick={() => setConfirmEnd(false)}>
              {t("keepGoing")}
            </button>
          </div>
        </Sheet>
      )}
    </section>
  );
}

function RailButton(props: { testId: string; label: string; title?: string; pressed?: boolean; disabled?: boolean; onClick: () => void; children: ComponentChildren }) {
  return (
    <button
      type="button"
      class="live-rail-button"
      data-testid={props.testId}
      aria-pressed={props.pressed}
      title={props.title ?? props.label}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <span class="live-round">{props.children}</span>
      <span class="live-rail-label">{props.label}</span>
    </button>
  );
}

/** Off the regular price, and how long: presets a host can pick without typing, the usual ones chosen already. */
const DISCOUNTS = [10, 20, 30, 50];
const DURATIONS = [30, 60, 120, 300];

/** A flash deal from presets: the sheet opens with 20% off for a minute chosen, so one more tap starts it. */
function DealSheet({
  product,
  room,
  dealRunning,
  onStart,
  onClose,
}: {
  product: RoomProduct;
  room: RoomState;
  dealRunning: boolean;
  onStart: (request: DealRequest) => Promise<string | null>;
  onClose: () => void;
}) {
  const [discount, setDiscount] = useState(20);
  const [seconds, setSeconds] = useState(60);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const priceAt = (percent: number) => Math.floor((product.priceCents * (100 - percent)) / 100);
  const price = (percent: number) => formatPrice(priceAt(percent), product.currency, lang.value);
  const time = (s: number) => (s < 60 ? t("dealPresetSeconds", { seconds: s }) : t("dealPresetMinutes", { minutes: s / 60 }));
  const blocked = room.status !== "live" ? t("dealNeedsLive") : dealRunning ? t("dealOneAtATime") : null;

  async function start() {
    setBusy(true);
    setError(await onStart({ productId: product.id, priceCents: priceAt(discount), durationSeconds: seconds }));
    setBusy(false);
  }

  return (
    <Sheet title={t("dealSheetTitle")} onClose={onClose}>
      <div class="deal-sheet" data-testid="live-deal-sheet" data-product-id={product.id}>
        <div class="deal-sheet-product">
          <ProductImage url={product.imageUrl} title={product.title} size={48} />
          <div>
            <p class="deal-sheet-title">{product.title}</p>
            <p class="muted small">{formatPrice(product.priceCents, product.currency, lang.value)}</p>
          </div>
        </div>
        <p class="deal-sheet-label">{t("dealPriceShort")}</p>
        <div class="deal-presets" role="radiogroup" aria-label={t("dealPriceShort")}>
          {DISCOUNTS.map((percent) => (
            <button
              key={percent}
              type="button"
              role="radio"
              class="deal-preset"
              data-testid="deal-preset"
              data-percent={percent}
              aria-checked={discount === percent}
              onClick={() => setDiscount(percent)}
            >
              <strong>{price(percent)}</strong>
              <span>{t("dealPresetOff", { percent, zhe: (100 - percent) / 10 })}</span>
            </button>
          ))}
        </div>
        <p class="deal-sheet-label">{t("dealDurationShort")}</p>
        <div class="deal-presets" role="radiogroup" aria-label={t("dealDurationShort")}>
          {DURATIONS.map((s) => (
            <button key={s} type="button" role="radio" class="deal-preset" data-testid="deal-duration-preset" aria-checked={seconds === s} onClick={() => setSeconds(s)}>
              <strong>{dealClock(s * 1000)}</strong>
              <span>{time(s)}</span>
            </button>
          ))}
        </div>
        {room.pinnedProductId !== product.id && !blocked && <p class="card-note">{t("dealPinsToo")}</p>}
        {(error || blocked) && (
          <p class="inline-error" role="alert">
            {error ?? blocked}
          </p>
        )}
        <button type="button" class="button button-primary button-wide" data-testid="live-deal-start" disabled={busy || blocked !== null} onClick={start}>
          {t("startDealNow", { price: price(discount), time: time(seconds) })}
        </button>
      </div>
    </Sheet>
  );
}

/**
 * Keeps the screen on while the live mode is open (Screen Wake Lock API). The
 * browser drops the lock whenever the page is hidden, so it is asked for
 * again each time the page is back in view; where the API is missing or the
 * request is refused (battery saver), the screen simply sleeps as usual.
 */
function useWakeLock() {
  useEffect(() => {
    if (!("wakeLock" in navigator)) return;
    let lock: WakeLockSentinel | null = null;
    let open = true;
    async function acquire() {
      if (document.visibilityState !== "visible" || (lock && !lock.released)) return;
      try {
        const got = await navigator.wakeLock.request("screen");
        if (open) lock = got;
        else void got.release();
      } catch {
        // Refused: nothing to tell the host, the show goes on.
      }
    }
    void acquire();
    document.addEventListener("visibilitychange", acquire);
    return () => {
      open = false;
      document.removeEventListener("visibilitychange", acquire);
      void lock?.release().catch(() => {});
    };
  }, []);
}
