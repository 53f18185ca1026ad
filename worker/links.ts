/** A room's three links. Keys ride in the fragment, which browsers never send to a server. */
export function roomLinks(origin: string, roomId: string, hostKey: string, guestKey: string) {
  return {
    viewer: `${origin}/r/${roomId}`,
    host: `${origin}/studio/${roomId}#key=${hostKey}`,
    guest: `${origin}/guest/${roomId}#key=${guestKey}`,
  };
}
