/**
 * The Room's storage over time: versioned migrations (a room created before
 * versioning, or at version 2, is upgraded in place), the show's full event history with the
 * room clock's times (beyond the reconnect window), and hearts and presence
 * kept per second.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { audienceSchema } from "../durable-objects/audience.ts";
import { chatSchema } from "../durable-objects/chat.ts";
import { eventLogSchema, history } from "../durable-objects/event-log.ts";
import { flashDealsSchema } from "../durable-objects/flash-deals.ts";
import { migrate } from "../durable-objects/migrations.ts";
import { moderationSchema } from "../durable-objects/moderation.ts";
import { ordersSchema } from "../durable-objects/orders.ts";
import { outboxSchema } from "../durable-objects/outbox.ts";
import { LIMITS } from "../durable-objects/protocol.ts";
import type { Room } from "../durable-objects/room.ts";
import { showSchema } from "../durable-objects/show.ts";
import { stageSchema } from "../durable-objects/stage.ts";
import { ticketsSchema } from "../durable-objects/tickets.ts";
import { SCHEMA_BEFORE_VERSIONING } from "./fixtures/room-schema-v1.ts";
import { call, createShow, json, open, warmUp } from "./helpers.ts";

// Warm-up: the first socket in a file pays for starting the runtime.
beforeAll(warmUp);

describe("storage migrations", () => {
  it("upgrades a room created with the schema from before versioning, keeping its show, log and queued orders", async () => {
    const stub = env.Room.getByName("r_LegacyRoom00001");
    const at = Date.now() - 60_000;
    await runInDurableObject(stub, (_room, state) => {
      const sql = state.storage.sql;
      sql.exec(SCHEMA_BEFORE_VERSIONING);
      sql.exec(
        `INSERT INTO room (id, room_id, shop_id, shop_name, title, starts_at, status, pinned_product_id, reactions, head_seq, host_key_hash, guest_key_hash)
         VALUES (1, 'r_LegacyRoom00001', 's_LegacyShop00001', 'Old Tea', 'Before versions', NULL, 'live', 'p_LegacyProduct01', 7, 2, 'h', 'g')`,
      );
      sql.exec(
        `INSERT INTO products (id, position, title, description, price_cents, currency, image_url, listed, available, held, sold)
         VALUES ('p_LegacyProduct01', 0, 'Oolong', NULL, 1200, 'EUR', NULL, 5, 4, 0, 1)`,
      );
      const chat = { id: "m1", seq: 1, name: "Mei", role: "viewer", text: "hi", at };
      sql.exec("INSERT INTO events (seq, body) VALUES (1, ?), (2, ?)", JSON.stringify({ type: "chat", seq: 1, message: chat }), JSON.stringify({ type: "pin", seq: 2, productId: "p_LegacyProduct01" }));
      sql.exec("INSERT INTO messages (id, seq, name, role, text, at) VALUES ('m1', 1, 'Mei', 'viewer', 'hi', ?)", at);
      sql.exec(
        `INSERT INTO orders (id, number, idempotency_key, request_hash, token, product_id, title, quantity, unit_price_cents, total_cents, currency,
           status, payment, buyer_name, buyer_email, fulfilment, created_at, updated_at, version)
         VALUES ('o_LegacyRoom00001aaaaaaaaaa', 1, 'key-legacy-1', 'x', 'ot_legacy', 'p_LegacyProduct01', 'Oolong', 1, 1200, 1200, 'EUR',
           'confirmed', 'offline', 'Mei', 'mei@example.com', 'pickup', ?, ?, 1)`,
        at, at,
      );
      sql.exec("INSERT INTO outbox (order_id, version, attempts, next_at) VALUES ('o_LegacyRoom00001aaaaaaaaaa', 1, 3, 0)");
      sql.exec("INSERT INTO calls_sessions (id, role, token_hash, created_at) VALUES ('sess-old', 'host', 't', ?)", at);
      sql.exec("INSERT INTO session_owners (session_id, connection_id) VALUES ('sess-old', 'page-1')");
    });

    // The next start of the Room (as after a deploy) migrates it.
    await evictDurableObject(stub);
    await runInDurableObject(stub, (room: Room, state) => {
      const sql = state.storage.sql;
      expect(sql.exec("SELECT version FROM schema_version").one().version).toBe(15);
      // Version 3: stage tracks can be turned off (camera off); an old room's tracks are on.
      expect(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('stage_tracks')").toArray().map((r) => r.name)).toContain("paused");
      expect(history(sql).map((e) => [e.seq, e.event.type, e.at])).toEqual([[1, "chat", at], [2, "pin", null]]);
      // Version 5: the log keeps who took a moderation decision; what came before was nobody's.
      expect(history(sql).map((e) => e.by)).toEqual([null, null]);
      expect(sql.exec("SELECT topic, key, version, attempts FROM outbox").toArray()).toEqual([
        { topic: "order", key: "o_LegacyRoom00001aaaaaaaaaa", version: 1, attempts: 3 },
      ]);
      expect(sql.exec("SELECT owner FROM session_owners").one().owner).toBe("page-1");
      const tables = sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(["tallies", "socket_tickets", "schema_version", "chat_rules", "restrictions", "chat_pace"]));
      expect(tables).not.toContain("socket_tickets_next");
      expect(tables).not.toContain("outbox_orders_v1");
      const stateNow = room.getState()!;
      expect(stateNow).toMatchObject({ status: "live", pinnedProductId: "p_LegacyProduct01", reactions: 7 });
      expect(stateNow.products[0]).toMatchObject({ id: "p_LegacyProduct01", left: 4 });
    });
    // What it had queued for D1 still gets there (the alarm the restart armed may already be writing it).
    const inD1 = () => env.DB.prepare("SELECT status, room_id FROM orders WHERE id = 'o_LegacyRoom00001aaaaaaaaaa'").first();
    for (let i = 0; i < 20 && !(await inD1()); i++) {
      await runDurableObjectAlarm(stub);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await inD1()).toEqual({ status: "confirmed", room_id: "r_LegacyRoom00001" });
    // And it keeps working: a new event continues its numbering.
    await runInDurableObject(stub, (room: Room) => {
      room.pin(null);
    });
    await runInDurableObject(stub, (_room, state) => {
      expect(history(state.storage.sql).map((e) => e.seq)).toEqual([1, 2, 3]);
    });
  });

  it("upgrades a version-2 room to 3: its unused socket tickets still open, its chat has rules, old messages no author", async () => {
    const stub = env.Room.getByName("r_VersionTwoRoom1");
    const at = Date.now();
    await runInDurableObject(stub, (_room, state) => {
      // The room as version 2 left it: every feature's steps up to 2.
      const upTo2 = [showSchema, eventLogSchema, chatSchema, moderationSchema, audienceSchema, ordersSchema, flashDealsSchema, stageSchema, outboxSchema, ticketsSchema]
        .map((schema) => ({ schema: Object.fromEntries(Object.entries(schema ?? {}).filter(([version]) => Number(version) <= 2)) }));
      expect(migrate(state.storage, upTo2)).toEqual([1, 2]);
      const sql = state.storage.sql;
      sql.exec(
        `INSERT INTO room (id, room_id, shop_id, shop_name, title, starts_at, status, host_key_hash, guest_key_hash)
         VALUES (1, 'r_VersionTwoRoom1', 's_VersionTwoShop1', 'Tea', 'Version two', NULL, 'live', 'h', 'g')`,
      );
      sql.exec("INSERT INTO messages (id, seq, name, role, text, at) VALUES ('m1', 1, 'Mei', 'viewer', 'hi', ?)", at);
      sql.exec("INSERT INTO socket_tickets (hash, role, viewer_id, expires_at) VALUES ('ticket-hash', 'viewer', 'v_0000000000000001', ?)", at + 30_000);
    });
    await evictDurableObject(stub);
    await runInDurableObject(stub, (room: Room, state) => {
      expect(state.storage.sql.exec("SELECT version FROM schema_version").one().version).toBe(15);
      expect(room.redeemTicket("ticket-hash")).toEqual({ role: "viewer", viewerId: "v_0000000000000001", shard: null });
      room.issueTicket("moderator-ticket", { role: "moderator", viewerId: "v_0000000000000002" });
      expect(room.redeemTicket("moderator-ticket")).toEqual({ role: "moderator", viewerId: "v_0000000000000002", shard: null });
      expect(room.moderation()).toEqual({ chat: { slowModeSeconds: 0, pinned: null }, moderation: { blockedWords: [], restricted: [] } });
      expect(room.moderate({ type: "pin_message", messageId: "m1" }, { role: "shop", viewerId: null })).toMatchObject({ chat: { pinned: { id: "m1", author: null } } });
    });
  });

  it("a new room is created at the latest version", async () => {
    const show = await createShow();
    const version = await runInDurableObject(env.Room.getByName(show.room.id), (_room, state) => state.storage.sql.exec("SELECT version FROM schema_version").one().version);
    expect(version).toBe(15);
  });
});

describe("the show's history", () => {
  it("keeps every event with the room clock's time, beyond the reconnect window", async () => {
    const show = await createShow();
    const stub = env.Room.getByName(show.room.id);
    const before = Date.now();
    const total = LIMITS.replayWindow + 20;
    await runInDurableObject(stub, (room: Room) => {
      for (let i = 0; i < total; i++) room.pin(i % 2 === 0 ? show.products[0].id : null);
    });
    const log = await runInDurableObject(stub, (_room, state) => history(state.storage.sql, 0, 5000));
    expect(log).toHaveLength(total);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(log.every((e) => e.at !== null && e.at >= before && e.at <= Date.now())).toBe(true);
    // A client that was away longer than the window gets the whole state; one within it, the events.
    expect((await (await open(show.room.id, { since: "5" })).next("sync")).seq).toBe(total);
    expect((await (await open(show.room.id, { since: String(total - 3) })).next("replay")).events).toHaveLength(3);
  });

  it("keeps hearts and viewers per second", async () => {
    const show = await createShow();
    const a = await open(show.room.id);
    const b = await open(show.room.id);
    await a.next("sync");
    await b.next("sync");
    for (let i = 0; i < 4; i++) a.send({ type: "react" });
    let total = 0;
    while (total < 4) total = (await b.next("reactions")).total;
    await b.next("presence");
    const tallies = await runInDurableObject(env.Room.getByName(show.room.id), (_room, state) =>
      state.storage.sql.exec<{ second: number; hearts: number; viewers: number | null }>("SELECT * FROM tallies ORDER BY second").toArray(),
    );
    expect(tallies.reduce((sum, t) => sum + t.hearts, 0)).toBe(4);
    expect(tallies.some((t) => t.viewers === 2)).toBe(true);
    expect(tallies.every((t) => Math.abs(t.second * 1000 - Date.now()) < 60_000)).toBe(true);
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.reactions).toBe(4);
  });
});
