-- Fulfilment: what the shop does with an order once it is placed.
--
-- The room's outbox owns the columns it upserts (status, updated_at, version:
-- see writeOrders in durable-objects/orders.ts, whose ON CONFLICT sets only
-- those); the shop owns the columns below, which only the shop's routes
-- write (worker/fulfilment/). So a late or retried outbox write can never
-- undo a shop's packed / shipped / picked up / cancelled, and the shop never
-- moves the room's payment status.
--
--   unfulfilled → packed → shipped      (shipping)
--   unfulfilled → packed → picked_up    (pickup; packed = ready for pickup)
--   unfulfilled | packed → cancelled    (by the shop)
ALTER TABLE orders ADD COLUMN fulfilment_status TEXT NOT NULL DEFAULT 'unfulfilled'
  CHECK (fulfilment_status IN ('unfulfilled', 'packed', 'shipped', 'picked_up', 'cancelled'));
ALTER TABLE orders ADD COLUMN carrier TEXT CHECK (carrier IS NULL OR length(carrier) BETWEEN 1 AND 60);
-- https only: the buyer's page opens it as a link.
ALTER TABLE orders ADD COLUMN tracking_url TEXT CHECK (tracking_url IS NULL OR tracking_url LIKE 'https://%');
ALTER TABLE orders ADD COLUMN packed_at INTEGER;
ALTER TABLE orders ADD COLUMN shipped_at INTEGER;
ALTER TABLE orders ADD COLUMN picked_up_at INTEGER;
ALTER TABLE orders ADD COLUMN cancelled_at INTEGER;
CREATE INDEX orders_by_shop_fulfilment ON orders (shop_id, fulfilment_status, created_at);

-- Each fulfilment step: which status, when, and who (for now "api_key"; a
-- signed-in owner's account id once accounts land).
CREATE TABLE order_fulfilment_history (
  order_id     TEXT NOT NULL REFERENCES orders(id),
  at           INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('packed', 'shipped', 'picked_up', 'cancelled')),
  actor        TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 80),
  carrier      TEXT,
  tracking_url TEXT
);
CREATE INDEX order_fulfilment_history_by_order ON order_fulfilment_history (order_id, at);

-- A shop's store for pickup orders, and how its buyers reach the shop.
CREATE TABLE shop_pickup (
  shop_id       TEXT PRIMARY KEY REFERENCES shops(id),
  -- JSON: {line1, line2?, city, postalCode, region?, country}, as buyers' addresses.
  address       TEXT NOT NULL,
  hours         TEXT NOT NULL CHECK (length(hours) BETWEEN 1 AND 500),
  contact_email TEXT,
  contact_phone TEXT,
  updated_at    INTEGER NOT NULL
);
