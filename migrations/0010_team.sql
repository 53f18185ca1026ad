-- A shop's team: invites by link (each with the role it gives), and the
-- members with the host role assigned to each show. An invite's token is
-- stored only as its SHA-256 hash, hex.

CREATE TABLE invites (
  id          TEXT PRIMARY KEY,
  shop_id     TEXT NOT NULL REFERENCES shops(id),
  token_hash  TEXT NOT NULL UNIQUE,
  role        TEXT NOT NULL CHECK (role IN ('manager', 'host', 'moderator')),
  -- Who it is meant for, as the owner typed it (shown in the team list; optional).
  name        TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 80),
  email       TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
  created_by  TEXT NOT NULL REFERENCES accounts(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  -- Single use: once accepted (or revoked) the link opens nothing.
  accepted_at INTEGER,
  accepted_by TEXT REFERENCES accounts(id),
  revoked_at  INTEGER
);
CREATE INDEX invites_by_shop ON invites (shop_id, created_at);

-- Which members host which show. Only members whose role is `host` need it
-- (owners and managers run every show of their shop); it is dropped when the
-- member leaves the shop or stops being a host.
CREATE TABLE show_hosts (
  room_id     TEXT NOT NULL REFERENCES rooms(id),
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  shop_id     TEXT NOT NULL REFERENCES shops(id),
  assigned_at INTEGER NOT NULL,
  PRIMARY KEY (room_id, account_id)
);
CREATE INDEX show_hosts_by_member ON show_hosts (shop_id, account_id);
