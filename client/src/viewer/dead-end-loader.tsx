/**
 * The viewer link's dead ends (no such show, a refused guest link), fetched
 * only when the page meets one: a show's viewers never download them. The
 * page stays blank for the moment the small chunk takes.
 */
import { useEffect, useState } from "preact/hooks";
import { LangSwitch } from "../components/LangSwitch.tsx";

type DeadEnds = typeof import("./NotFound.tsx");

let loaded: DeadEnds | null = null;

export function LazyDeadEnd({ which }: { which: "NotFound" | "GuestKeyRejected" }) {
  const [parts, setParts] = useState(loaded);
  useEffect(() => {
    if (!parts) import("./NotFound.tsx").then((module) => setParts((loaded = module)), () => {});
  }, []);
  const DeadEnd = parts?.[which];
  return DeadEnd ? <DeadEnd langSwitch={<LangSwitch class="chip not-found-lang" />} /> : null;
}
