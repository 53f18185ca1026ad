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

-- Orders placed in this show. The room is their truth while it runs; the
-- outbox below carries every change to D1. A hold is an order awaiting
-- payment: its units count as held until it is paid (sold) or expires.
CREATE TABLE IF NOT EXISTS orders (
  id               TEXT PRIMARY KEY,
  number           INTEGER NOT NULL UNIQUE,
  idempotency_key  TEXT NOT NULL UNIQUE,
  request_hash     TEXT NOT NULL,
  token            TEXT NOT NULL,
  product_id       TEXT NOT NULL REFERENCES products(id),
  title            TEXT NOT NULL,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  total_cents      INTEGER NOT NULL CHECK (total_cents = unit_price_cents * quantity),
  currency         TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('awaiting_payment', 'confirmed', 'expired', 'cancelled')),
  payment          TEXT NOT NULL CHECK (payment IN ('offline', 'stripe')),
  checkout_id      TEXT,
  checkout_url     TEXT,
  buyer_name       TEXT NOT NULL,
  buyer_email      TEXT NOT NULL,
  buyer_phone      TEXT,
  fulfilment       TEXT NOT NULL CHECK (fulfilment IN ('shipping', 'pickup')),
  address          TEXT,
  ref              TEXT,
  deal_id          TEXT,
  hold_expires_at  INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_awaiting ON orders (hold_expires_at) WHERE status = 'awaiting_payment';

-- Order changes not yet written to D1, retried with backoff until they are.
CREATE TABLE IF NOT EXISTS outbox (
  order_id TEXT PRIMARY KEY REFERENCES orders(id),
  version  INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at  INTEGER NOT NULL
);

-- Flash deals; at most one is running (not ended and before ends_at).
CREATE TABLE IF NOT EXISTS deals (
  id              TEXT PRIMARY KEY,
  product_id      TEXT NOT NULL REFERENCES products(id),
  price_cents     INTEGER NOT NULL CHECK (price_cents >= 0),
  starts_at       INTEGER NOT NULL,
  ends_at         INTEGER NOT NULL CHECK (ends_at > starts_at),
  per_buyer_limit INTEGER CHECK (per_buyer_limit > 0),
  ended           INTEGER NOT NULL DEFAULT 0
);

-- Units each buyer (by email) holds or bought at a deal's price.
CREATE TABLE IF NOT EXISTS deal_buyers (
  deal_id  TEXT NOT NULL REFERENCES deals(id),
  email    TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (deal_id, email)
);

-- Calls (Realtime SFU) sessions opened through this room's proxy, with the
-- role of whoever opened them; a session's token proves it is yours.
CREATE TABLE IF NOT EXISTS calls_sessions (
  id         TEXT PRIMARY KEY,
  role       TEXT NOT NULL CHECK (role IN ('host', 'guest', 'viewer')),
  token_hash TEXT NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

-- The stage: tracks the host and guests publish; the only ones viewers may pull.
CREATE TABLE IF NOT EXISTS stage_tracks (
  session_id TEXT NOT NULL REFERENCES calls_sessions(id),
  mid        TEXT NOT NULL,
  track_name TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
  source     TEXT NOT NULL CHECK (source IN ('camera', 'screen')),
  role       TEXT NOT NULL CHECK (role IN ('host', 'guest')),
  added_at   INTEGER NOT NULL,
  PRIMARY KEY (session_id, track_name)
);

-- Which room connection (the publisher's page) owns a session. When that
-- page goes away and does not come back within a grace period, its tracks
-- leave the stage, so viewers are never left pulling a dead camera.
CREATE TABLE IF NOT EXISTS session_owners (
  session_id    TEXT PRIMARY KEY REFERENCES calls_sessions(id),
  connection_id TEXT NOT NULL,
  gone_since    INTEGER
);
CREATE INDEX IF NOT EXISTS session_owners_by_connection ON session_owners (connection_id);

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
