/**
 * What a rehearsal's viewer page adds (its badge; "not public yet" for
 * everyone outside the team), fetched only on a rehearsal's address
 * (`/r/r_….rehearsal`): the show's own viewers never download it.
 */
import { useEffect, useState } from "preact/hooks";

type Parts = typeof import("../rehearsal/RehearsalViewer.tsx");

export const isRehearsalAddress = (roomId: string) => roomId.endsWith(".rehearsal");

export function useRehearsal(roomId: string): Parts | null {
  const [parts, setParts] = useState<Parts | null>(null);
  useEffect(() => {
    if (isRehearsalAddress(roomId)) import("../rehearsal/RehearsalViewer.tsx").then(setParts, () => {});
  }, [roomId]);
  return parts;
}
