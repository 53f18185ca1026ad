-- The catalogue a shop reuses across shows: photos per product, variants
-- (up to two options, e.g. Size × Colour), and a show's units per variant.
-- A product without variants is sold exactly as before.

-- A deleted product is archived, not removed: past shows and orders still
-- name it, and a show that is running sells its own copy (the Room's).
ALTER TABLE products ADD COLUMN archived_at INTEGER;
-- The names of the product's options, as a JSON array of 0–2 strings (["Size", "Colour"]); NULL = none.
ALTER TABLE products ADD COLUMN option_names TEXT;

-- Ordered photos: bytes in R2 (r2_key, served at /photos/{r2_key}) or an external https URL.
CREATE TABLE product_photos (
  id           TEXT PRIMARY KEY,
  product_id   TEXT NOT NULL REFERENCES products(id),
  position     INTEGER NOT NULL,
  r2_key       TEXT UNIQUE,
  url          TEXT,
  content_type TEXT,
  width        INTEGER CHECK (width > 0),
  height       INTEGER CHECK (height > 0),
  created_at   INTEGER NOT NULL,
  CHECK ((r2_key IS NULL) <> (url IS NULL))
);
CREATE INDEX product_photos_by_product ON product_photos (product_id, position);

-- One sellable combination of a product's option values, with its own SKU
-- and optionally its own price (NULL: the product's price).
CREATE TABLE product_variants (
  id           TEXT PRIMARY KEY,
  product_id   TEXT NOT NULL REFERENCES products(id),
  position     INTEGER NOT NULL,
  -- JSON array with one value per option name, e.g. ["M", "Red"].
  option_values TEXT NOT NULL,
  sku          TEXT,
  price_cents  INTEGER CHECK (price_cents >= 0),
  created_at   INTEGER NOT NULL,
  archived_at  INTEGER
);
CREATE INDEX product_variants_by_product ON product_variants (product_id, position);
-- The same values twice would be two variants nobody can tell apart (archived ones aside).
CREATE UNIQUE INDEX product_variants_unique_values ON product_variants (product_id, option_values) WHERE archived_at IS NULL;
CREATE UNIQUE INDEX product_variants_unique_sku ON product_variants (product_id, sku) WHERE archived_at IS NULL AND sku IS NOT NULL;

-- The units each variant was listed with for a show (room_products keeps the product's total).
CREATE TABLE room_variants (
  room_id    TEXT NOT NULL REFERENCES rooms(id),
  variant_id TEXT NOT NULL REFERENCES product_variants(id),
  product_id TEXT NOT NULL REFERENCES products(id),
  position   INTEGER NOT NULL,
  listed     INTEGER NOT NULL CHECK (listed >= 0),
  PRIMARY KEY (room_id, variant_id)
);

-- Which variant an order is for: its id, option values (JSON array) and SKU as they were when bought.
ALTER TABLE orders ADD COLUMN variant_id TEXT;
ALTER TABLE orders ADD COLUMN variant_options TEXT;
ALTER TABLE orders ADD COLUMN sku TEXT;
