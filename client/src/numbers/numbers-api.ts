/** A show's figures from the API (GET /api/rooms/{id}/numbers), asked for again every `everyMs` while shown. */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.ts";
import type { ShowFigures } from "../../../worker/numbers/figure-types.ts";

export type { ShowFigures };

export const numbersPath = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}/numbers`;

export function useNumbers(roomId: string, key: string | null, everyMs: number | null) {
  const [numbers, setNumbers] = useState<ShowFigures | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let gone = false;
    const load = () =>
      api<{ numbers: ShowFigures }>(numbersPath(roomId), { key }).then(
        (answer) => !gone && (setNumbers(answer.numbers), setError(null)),
        (caught: Error) => !gone && setError(caught.message),
      );
    void load();
    const timer = everyMs ? setInterval(load, everyMs) : null;
    return () => {
      gone = true;
      if (timer) clearInterval(timer);
    };
  }, [roomId, key, everyMs]);
  return { numbers, error };
}
