/**
 * A room's four links. Keys ride in the fragment, which browsers never send
 * to a server. Without the host key (a signed-in host), the studio link has
 * none: it opens with the session.
 */
export function roomLinks(origin: string, roomId: string, keys: { host: string | null; guest: string; moderator: string }) {
  return {
    viewer: `${origin}/r/${roomId}`,
    host: keys.host ? `${origin}/studio/${roomId}#key=${keys.host}` : `${origin}/studio/${roomId}`,
    guest: `${origin}/guest/${roomId}#key=${keys.guest}`,
    moderator: `${origin}/mod/${roomId}#key=${keys.moderator}`,
  };
}
