import type { ComponentChildren } from "preact";
import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { dealClock } from "../components/DealCountdown.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { tReplay as t } from "../i18n-replay.ts";
import type { Chapter } from "./timeline.ts";

type SeekBarProps = {
  t: number;
  trim: { startMs: number; endMs: number };
  chapters: Chapter[];
  /** For the chapters' photos and names. */
  products: RoomProduct[];
  /** Hearts per second from going live. */
  hearts: number[];
  playing: boolean;
  onSeek: (t: number) => void;
  onPlayPause: () => void;
  stepMs: number;
  /** More controls at the end of the row (chat, share). */
  end: ComponentChildren;
};

/** Bars of the hearts' sparkline. */
const BINS = 60;

/**
 * Play/pause, the seek bar (the hearts as a soft sparkline behind it, a
 * mark at every chapter) and the chapters as a row of products: a tap jumps
 * to the moment the host pinned it.
 */
export function SeekBar({ t: at, trim, chapters, products, hearts, playing, onSeek, onPlayPause, stepMs, end }: SeekBarProps) {
  const length = Math.max(1, trim.endMs - trim.startMs);
  // Where the range's thumb stands at ms: its centre travels from half a thumb in to half a thumb short of the end.
  const share = (ms: number) => `calc(8px + (100% - 16px) * ${((ms - trim.startMs) / length).toFixed(4)})`;
  const productOf = (id: string) => products.find((p) => p.id === id);
  return (
    <div class="replay-controls">
      <div class="seek">
        <Sparkline hearts={hearts} trim={trim} />
        <span class="replay-time" data-testid="replay-time">
          {dealClock(at - trim.startMs)} / {dealClock(length)}
        </span>
        <input
          type="range"
          class="seek-range"
          data-testid="seek"
          min={trim.startMs}
          max={trim.endMs}
          step={100}
          value={at}
          aria-label={t("seekLabel")}
          aria-valuetext={dealClock(at)}
          onInput={(event) => onSeek(Number(event.currentTarget.value))}
        />
        {chapters.map((chapter) => (
          <span key={`${chapter.productId}-${chapter.atMs}`} class="seek-mark" style={{ left: share(chapter.atMs) }} aria-hidden="true" />
        ))}
      </div>
      <div class="replay-row">
        <button type="button" class="chip" data-testid="back-10" aria-label={t("back10")} onClick={() => onSeek(at - stepMs)}>
          −10
        </button>
        <button type="button" class="chip replay-play" data-testid="play-pause" aria-label={t(playing ? "pause" : "play")} onClick={onPlayPause}>
          {playing ? "❚❚" : "▶"}
        </button>
        <button type="button" class="chip" data-testid="forward-10" aria-label={t("forward10")} onClick={() => onSeek(at + stepMs)}>
          +10
        </button>
        <span class="replay-row-end">{end}</span>
      </div>
      {chapters.length > 0 && (
        <ol class="chapters" aria-label={t("chapters")}>
          {chapters.map((chapter) => {
            const product = productOf(chapter.productId);
            const title = product?.title ?? "";
            return (
              <li key={`${chapter.productId}-${chapter.atMs}`}>
                <button
                  type="button"
                  class="chapter"
                  data-testid="chapter"
                  data-product-id={chapter.productId}
                  data-at={chapter.atMs}
                  aria-label={t("chapterAt", { title, time: dealClock(chapter.atMs - trim.startMs) })}
                  onClick={() => onSeek(chapter.atMs)}
                >
                  <ProductImage url={product?.imageUrl ?? null} title={title} size={28} />
                  <span class="chapter-title">{title}</span>
                  <span class="chapter-time">{dealClock(chapter.atMs - trim.startMs)}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

/** The hearts over the show, in BINS bars behind the seek bar. */
function Sparkline({ hearts, trim }: { hearts: number[]; trim: { startMs: number; endMs: number } }) {
  const bins = new Array<number>(BINS).fill(0);
  const from = Math.floor(trim.startMs / 1000);
  const seconds = Math.max(1, Math.ceil(trim.endMs / 1000) - from);
  hearts.forEach((count, second) => {
    const bin = Math.floor(((second - from) / seconds) * BINS);
    if (bin >= 0 && bin < BINS) bins[bin]! += count;
  });
  const top = Math.max(1, ...bins);
  const path = bins.map((count, i) => `M${i + 0.5} 20V${(20 - (count / top) * 18).toFixed(1)}`).join("");
  return (
    <svg class="seek-hearts" viewBox={`0 0 ${BINS} 20`} preserveAspectRatio="none" role="img" aria-label={t("heartsLabel")}>
      <path d={path} />
    </svg>
  );
}
