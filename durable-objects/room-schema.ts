/**
 * The Room's SQLite schema. CHECK constraints make the database itself refuse
 * an impossible state (a negative stock, units that don't add up), so a bug
 * in the code fails a transaction instead of selling what isn't there.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS room (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  room_id           TEXT NOT NULL,
  shop_id           TEXT NOT NULL,
  shop_name         TEXT NOT NULL,
  title             TEXT NOT NULL,
  starts_at         TEXT,
  status            TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'ended')),
  pinned_product_id TEXT,
  reactions         INTEGER NOT NULL DEFAULT 0 CHECK (reactions >= 0),
  head_seq          INTEGER NOT NULL DEFAULT 0,
  host_key_hash     TEXT NOT NULL,
  guest_key_hash    TEXT NOT NULL
);

-- Per product in this show: listed = available + held + sold, each >= 0.
CREATE TABLE IF NOT EXISTS products (
  id          TEXT PRIMARY KEY,
  position    INTEGER NOT NULL,
  title       TEXT NOT NULL,
  description TEXT,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  currency    TEXT NOT NULL,
  image_url   TEXT,
  listed      INTEGER NOT NULL CHECK (listed >= 0),
  available   INTEGER NOT NULL CHECK (available >= 0),
  held        INTEGER NOT NULL CHECK (held >= 0),
  sold        INTEGER NOT NULL CHECK (sold >= 0),
  CHECK (listed = available + held + sold)
);

-- The event log: every durable event with its sequence number, bounded.
CREATE TABLE IF NOT EXISTS events (
  seq  INTEGER PRIMARY KEY,
  body TEXT NOT NULL
);

-- The recent chat (bounded); deleted messages are removed.
CREATE TABLE IF NOT EXISTS messages (
  id   TEXT PRIMARY KEY,
  seq  INTEGER NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  text TEXT NOT NULL,
  at   INTEGER NOT NULL
);
`;
