/**
 * The shows created in this browser, with their links, kept in localStorage
 * until the brand has a console to sign in to: the host link is the only way
 * into a studio, so neither a reload, another tab nor a second show may lose
 * it. Nothing here is sent anywhere.
 */
import { forgetRoomKey } from "../room-address.ts";
import type { CreatedShow } from "./create-show.ts";

const SHOWS_KEY = "shop-along:shows";
/** The room id of the show whose links the landing page shows, until "Create another show". */
const OPEN_KEY = "shop-along:shows:open";
const MAX_SHOWS = 20;

export function savedShows(): CreatedShow[] {
  try {
    const saved = JSON.parse(localStorage.getItem(SHOWS_KEY) ?? "[]") as CreatedShow[];
    return Array.isArray(saved) ? saved.filter((show) => show?.room?.id && show.links?.host) : [];
  } catch {
    return [];
  }
}

function write(shows: CreatedShow[]): CreatedShow[] {
  try {
    localStorage.setItem(SHOWS_KEY, JSON.stringify(shows));
  } catch {
    // Storage blocked or full: the links are still on screen.
  }
  return shows;
}

/** Newest first; the same room once. Returns the list as saved. */
export function saveShow(show: CreatedShow): CreatedShow[] {
  return write([show, ...savedShows().filter((other) => other.room.id !== show.room.id)].slice(0, MAX_SHOWS));
}

/** Forgets a show's links here, and the host key the studio kept in this browser. */
export function forgetShow(roomId: string): CreatedShow[] {
  if (openShowId() === roomId) setOpenShow(null);
  forgetRoomKey(roomId);
  return write(savedShows().filter((show) => show.room.id !== roomId));
}

export function openShowId(): string | null {
  try {
    return localStorage.getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

export function setOpenShow(roomId: string | null): void {
  try {
    if (roomId) localStorage.setItem(OPEN_KEY, roomId);
    else localStorage.removeItem(OPEN_KEY);
  } catch {
    // The choice then lasts for this page only.
  }
}
