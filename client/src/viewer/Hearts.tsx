import { HeartIcon } from "../components/icons.tsx";
import { formatCount } from "../format.ts";
import { lang, tViewer as t } from "../i18n.ts";
import type { FloatingHeart } from "../room-model.ts";

/** The heart button with the show's running total under it. */
export function ReactButton({ total, onReact }: { total: number; onReact: () => void }) {
  return (
    <div class="react">
      <button type="button" class="round-button react-button" data-testid="react-button" aria-label={t("sendHeart")} onClick={onReact}>
        <HeartIcon size={26} />
      </button>
      {total > 0 && (
        <span class="react-total" aria-hidden="true">
          {formatCount(total, lang.value)}
        </span>
      )}
    </div>
  );
}

const HEART_COLOURS = ["#ff3b6b", "#ff8a3d", "#ffd23f", "#b86bff", "#3dd6ff", "#ff6bd6"];

/** Hearts rising over the right of the stage: ours in red, everyone else's in mixed colours. */
export function FloatingHearts({ hearts }: { hearts: FloatingHeart[] }) {
  return (
    <div class="hearts" aria-hidden="true">
      {hearts.map((heart) => (
        <span
          key={heart.id}
          class="heart"
          data-testid="reaction"
          style={{
            "--drift": String(heart.drift),
            animationDelay: `${heart.delayMs}ms`,
            color: heart.mine ? HEART_COLOURS[0] : HEART_COLOURS[heart.id % HEART_COLOURS.length],
          }}
        >
          <HeartIcon size={28} />
        </span>
      ))}
    </div>
  );
}
