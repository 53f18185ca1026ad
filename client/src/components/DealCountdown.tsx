import { useEffect, useState } from "preact/hooks";
import type { FlashDeal } from "../../../durable-objects/protocol.ts";
import { serverNow, useServerNow } from "../server-clock.ts";

/**
 * The deal on `productId` while it runs by the room's clock, else null. The
 * component re-renders when the deal ends, so prices revert at 0:00 even
 * before the room's `deal: null` event arrives. Its start is not checked:
 * the room announces a deal as it starts, and our estimate of the room's
 * clock runs behind by the travel time of a frame, which must not hide it.
 */
export function useActiveDeal(deal: FlashDeal | null | undefined, productId?: string): FlashDeal | null {
  const [, rerender] = useState(0);
  const mine = deal && (productId === undefined || deal.productId === productId) ? deal : null;
  const running = mine && serverNow() < mine.endsAt ? mine : null;

  useEffect(() => {
    if (!mine) return;
    const left = mine.endsAt - serverNow();
    if (left <= 0) return;
    const timer = setTimeout(() => rerender((n) => n + 1), left + 15);
    return () => clearTimeout(timer);
  }, [mine?.id, mine?.endsAt]);

  return running;
}

/** "1:05" for 65 seconds; whole seconds rounded up, so it reads 0:00 only at the end. */
export function dealClock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** Time left on a running deal, with a bar that empties as it runs out; on the room's clock. */
export function DealCountdown({ deal, label }: { deal: FlashDeal; label?: string }) {
  // A quarter second keeps the digits within 250 ms of the room's clock.
  const now = useServerNow(250);
  const length = Math.max(1, deal.endsAt - deal.startsAt);
  // Our reading of the room's clock may lag by a frame's travel time; a deal never has more left than its length.
  const left = Math.min(length, Math.max(0, deal.endsAt - now));
  const share = left / length;
  return (
    <span class="deal-clock">
      {label && <span class="deal-clock-label">{label}</span>}
      <span class="deal-countdown" data-testid="deal-countdown" role="timer">
        {dealClock(left)}
      </span>
      <span class="deal-progress" aria-hidden="true">
        <span style={{ transform: `scaleX(${share})` }} />
      </span>
    </span>
  );
}
