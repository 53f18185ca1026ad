/**
 * The room's clock as this device can know it. Countdowns (a flash deal's
 * end) must agree with the room, which decides who gets the deal price, and
 * a phone's clock can be minutes off. Sync and replay frames carry the room's
 * `now`, and a deal event its start: each is a sample of the room's clock.
 *
 * Samples are kept against performance.now(), which no change of the
 * device's clock moves. A sample is late by the frame's travel time (and by
 * however long a busy page took to read it), never early, so the largest
 * offset seen is the closest to the truth.
 */
import { useEffect, useState } from "preact/hooks";

let offset: number | null = null;

/** Records a time read off the room's clock, just received. */
export function observeServerTime(serverTime: number): void {
  const sample = serverTime - performance.now();
  if (offset === null || sample > offset) offset = sample;
}

/** Milliseconds since the epoch on the room's clock (the device's until the room has spoken). */
export function serverNow(): number {
  return offset === null ? Date.now() : performance.now() + offset;
}

/** The room's clock, read again every `everyMs`: for countdowns that must agree with the room, not with this device. */
export function useServerNow(everyMs = 1000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
