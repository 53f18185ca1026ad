-- A shop's named referral codes: one per KOL, KOC or staff member (e.g.
-- `mei`, `store-42`). Orders already carry the code of the link the buyer
-- came from (orders.ref, from `?ref=` on the viewer link); a code is stored
-- lowercase and orders are matched to it case-insensitively, so `?ref=MEI`
-- counts for `mei`. Deleting a code keeps its orders' ref as it was.
CREATE TABLE referral_codes (
  shop_id    TEXT NOT NULL REFERENCES shops(id),
  code       TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40 AND code = lower(code)),
  name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, code)
);
CREATE INDEX orders_by_shop_ref ON orders (shop_id, ref);
