-- Shops, their products and their shows (rooms). D1 owns what is durable and
-- queryable across rooms; each room's live state lives in its Durable Object.

CREATE TABLE shops (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  currency     TEXT NOT NULL CHECK (length(currency) = 3),
  -- SHA-256 of the API key, hex. The key itself is shown once and never stored.
  api_key_hash TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL
);

CREATE TABLE products (
  id          TEXT PRIMARY KEY,
  shop_id     TEXT NOT NULL REFERENCES shops(id),
  title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  description TEXT,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  image_url   TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX products_by_shop ON products (shop_id, created_at);

CREATE TABLE rooms (
  id              TEXT PRIMARY KEY,
  shop_id         TEXT NOT NULL REFERENCES shops(id),
  title           TEXT NOT NULL,
  starts_at       TEXT,
  host_key_hash   TEXT NOT NULL UNIQUE,
  guest_key_hash  TEXT NOT NULL UNIQUE,
  created_at      INTEGER NOT NULL
);
CREATE INDEX rooms_by_shop ON rooms (shop_id, created_at);

-- The units each product was listed with for a show. The room's Durable
-- Object owns the live counters; this row records what was listed.
CREATE TABLE room_products (
  room_id    TEXT NOT NULL REFERENCES rooms(id),
  product_id TEXT NOT NULL REFERENCES products(id),
  position   INTEGER NOT NULL,
  listed     INTEGER NOT NULL CHECK (listed >= 0),
  PRIMARY KEY (room_id, product_id)
);
