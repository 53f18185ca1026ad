-- Orders, written by each room's outbox (the room is the truth while a show
-- runs; this is the durable, queryable copy across rooms). Rows are upserted
-- by id with a version, so a retried or reordered write never goes backwards.
CREATE TABLE orders (
  id               TEXT PRIMARY KEY,
  number           INTEGER NOT NULL,
  room_id          TEXT NOT NULL,
  shop_id          TEXT NOT NULL,
  product_id       TEXT NOT NULL,
  title            TEXT NOT NULL,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  total_cents      INTEGER NOT NULL CHECK (total_cents >= 0),
  currency         TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('awaiting_payment', 'confirmed', 'expired', 'cancelled')),
  payment          TEXT NOT NULL CHECK (payment IN ('offline', 'stripe')),
  buyer_name       TEXT NOT NULL,
  buyer_email      TEXT NOT NULL,
  buyer_phone      TEXT,
  fulfilment       TEXT NOT NULL CHECK (fulfilment IN ('shipping', 'pickup')),
  address          TEXT,
  ref              TEXT,
  deal_id          TEXT,
  token_hash       TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL
);
CREATE INDEX orders_by_shop ON orders (shop_id, created_at);
CREATE INDEX orders_by_room ON orders (room_id, created_at);
