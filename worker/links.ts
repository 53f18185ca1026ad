/** A room's four links. Keys ride in the fragment, which browsers never send to a server. */
export function roomLinks(origin: string, roomId: string, keys: { host: string; guest: string; moderator: string }) {
  return {
    viewer: `${origin}/r/${roomId}`,
    host: `${origin}/studio/${roomId}#key=${keys.host}`,
    guest: `${origin}/guest/${roomId}#key=${keys.guest}`,
    moderator: `${origin}/mod/${roomId}#key=${keys.moderator}`,
  };
}
