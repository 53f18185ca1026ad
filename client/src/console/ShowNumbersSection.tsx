/**
 * In a past show's card: "Numbers" opens the show's numbers page (loaded
 * on that tap); the console's address `#numbers={roomId}` (the studio's
 * end-of-show link) opens it at once and brings it into view.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ShowNumbers } from "../numbers/loader.tsx";
import { numbersAsked } from "../numbers/numbers-link.ts";
import { tConsole as t } from "./i18n-console.ts";

export function ShowNumbersSection({ roomId }: { roomId: string }) {
  const [open, setOpen] = useState(() => numbersAsked() === roomId);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open && numbersAsked() === roomId) box.current?.scrollIntoView({ block: "start" });
  }, []);
  return (
    <div class="show-numbers" ref={box}>
      <button type="button" class="button button-quiet copy-button" aria-expanded={open} data-testid="console-show-numbers" onClick={() => setOpen(!open)}>
        {t(open ? "hideNumbers" : "showNumbers")}
      </button>
      {open && <ShowNumbers roomId={roomId} />}
    </div>
  );
}
