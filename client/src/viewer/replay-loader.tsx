/**
 * The replay player (replay/), fetched only for a visitor who arrives after
 * the show ended: a live show's viewers never download it. Those who were
 * watching when it ended keep the ended note (a reload brings the replay).
 */
import { lazyPage } from "./lazy-page.tsx";

export const useReplayPage = lazyPage(() => import("./shop.ts").then((module) => module.ReplayPage));
