CREATE TABLE stock (
  room_id    TEXT NOT NULL,
  product_id TEXT NOT NULL,
  left       INTEGER NOT NULL CHECK (left >= 0),
  PRIMARY KEY (room_id, product_id)
);
CREATE TABLE orders (
  id              TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL, -- not unique: the naive path does not know about retries
  room_id         TEXT NOT NULL,
  product_id      TEXT NOT NULL,
  quantity        INTEGER NOT NULL,
  buyer_email     TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);
