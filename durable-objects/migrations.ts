/**
 * Versioned storage migrations for a Room's SQLite. Each feature owns SQL
 * steps keyed by the room-wide schema version; a room records the version it
 * is at and applies every later step, in version order, in one transaction.
 *
 * Version 1 is the schema rooms had before versioning (every statement
 * `IF NOT EXISTS`), so a room created then is simply at "0 with tables" and
 * takes version 1 as a no-op. `CREATE TABLE IF NOT EXISTS` alone could never
 * add a column to a room that exists; steps from version 2 on can.
 */
import type { RoomFeature } from "./room-kit.ts";

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`;

/** The newest schema version any feature knows. */
export function latestVersion(features: RoomFeature[]): number {
  return Math.max(0, ...features.flatMap((f) => Object.keys(f.schema ?? {}).map(Number)));
}

/** True once a show was set up in this storage (the `room` table exists). Reads only. */
export function isSetUp(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'room'").toArray().length > 0;
}

export function currentVersion(sql: SqlStorage): number {
  const known = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
  if (!known) return 0;
  return sql.exec<{ version: number }>("SELECT version FROM schema_version WHERE id = 1").toArray()[0]?.version ?? 0;
}

/** Brings the storage to the latest version; returns the versions applied. */
export function migrate(storage: DurableObjectStorage, features: RoomFeature[]): number[] {
  const sql = storage.sql;
  const from = currentVersion(sql);
  const target = latestVersion(features);
  if (from >= target) return [];
  const applied: number[] = [];
  storage.transactionSync(() => {
    sql.exec(VERSION_TABLE);
    for (let version = from + 1; version <= target; version++) {
      for (const feature of features) {
        const step = feature.schema?.[version];
        if (step) sql.exec(step);
      }
      applied.push(version);
    }
    sql.exec("INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version", target);
  });
  return applied;
}
