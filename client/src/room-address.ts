/**
 * What a room page learns from its address: the room id from the path
 * (/r/{id}, /guest/{id}, /studio/{id}, /mod/{id}) and the host, guest or
 * moderator key from the fragment (#key=...). Fragments never reach the
 * server's logs, and we also take the key out of the address bar, because
 * hosts screenshare their browser and a visible host key would hand the
 * show to anyone watching.
 */

export type PageKind = "viewer" | "guest" | "studio" | "moderator";

export function pageKind(pathname = location.pathname): PageKind {
  if (pathname.startsWith("/guest/")) return "guest";
  if (pathname.startsWith("/studio/")) return "studio";
  if (pathname.startsWith("/mod/")) return "moderator";
  return "viewer";
}

/** The last path segment of /r/{id}, /guest/{id}, /studio/{id} or /mod/{id}; null when there is none. */
export function roomIdFromPath(pathname = location.pathname): string | null {
  const match = /^\/(?:r|guest|studio|mod)\/([^/]+)\/?$/.exec(pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

const storageKey = (roomId: string) => `shop-along:key:${roomId}`;

/**
 * Reads `#key=...`, keeps it in this browser's localStorage, and only then
 * removes it from the address bar: a reload, a new tab or a bookmark of the
 * bare address still opens the room here (a host who lost the key would be
 * locked out of their own show). Falls back to the stored key.
 */
export function takeRoomKey(roomId: string): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("key");
  if (fromHash) {
    try {
      localStorage.setItem(storageKey(roomId), fromHash);
      history.replaceState(history.state, "", location.pathname + location.search);
    } catch {
      // Private mode without storage: the key stays in the address bar, so a reload still works.
    }
    return fromHash;
  }
  try {
    return localStorage.getItem(storageKey(roomId));
  } catch {
    return null;
  }
}

/** Forgets the key this browser keeps for a room (a show forgotten on a shared computer). */
export function forgetRoomKey(roomId: string): void {
  try {
    localStorage.removeItem(storageKey(roomId));
  } catch {
    // Nothing was kept.
  }
}

/** The public link viewers open. */
export function viewerUrl(roomId: string): string {
  return `${location.origin}/r/${encodeURIComponent(roomId)}`;
}
