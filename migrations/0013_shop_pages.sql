-- The shop's public page, /s/{slug}: a readable name the brand chooses
-- (lowercase ascii letters, digits and hyphens, 3-40 characters; the rules
-- and the reserved words are in worker/shop-page/slugs.ts). Existing shops
-- get `shop-` and their id, lowercased, until the brand picks one.
ALTER TABLE shops ADD COLUMN slug TEXT CHECK (slug IS NULL OR (length(slug) BETWEEN 3 AND 40 AND slug = lower(slug)));
UPDATE shops SET slug = 'shop-' || lower(substr(id, 3)) WHERE slug IS NULL;
CREATE UNIQUE INDEX shops_by_slug ON shops (slug);

-- A slug the shop gave up: its page still answers there (301 to the new
-- slug) for 90 days, and no other shop may take it in that time, so links
-- already shared keep working. The shop itself may take it back.
CREATE TABLE shop_old_slugs (
  slug       TEXT PRIMARY KEY CHECK (length(slug) BETWEEN 3 AND 40 AND slug = lower(slug)),
  shop_id    TEXT NOT NULL REFERENCES shops(id),
  retired_at INTEGER NOT NULL
);
