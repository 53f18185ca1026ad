import type { Account } from "./accounts/accounts.ts";
import type { Session } from "./accounts/sessions.ts";
import type { KnownRoom } from "./room-directory.ts";
import type { Shop } from "./schemas.ts";

/** The typed Hono context of every route: bindings and per-request variables. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** The shop whose API key authenticated this request (set by `requireShopKey`), or that `requireShopAccess` let in. */
    shop: Shop;
    /** The signed-in account, when a session cookie authenticated the request (`requireSession`, `requireShopAccess`). */
    account: Account;
    /** Its session. */
    session: Session;
    /** The room named in the path, known to D1 (set by `requireRoom` and `requireHost`). */
    room: KnownRoom;
    /** Who holds the Bearer key of a room control (set by `requireHost` and `requireModerator`). */
    actor: import("../durable-objects/protocol.ts").Actor;
    /** Who is recording (set by `requirePublisher`, worker/recording/publisher.ts). */
    publisher: import("./recording/publisher.ts").Publisher;
    /** Its Durable Object. */
    roomStub: DurableObjectStub<import("../durable-objects/room.ts").Room>;
  };
};
