-- The brand's account: who may come back to a shop after creating it.
-- Every secret here (session tokens, recovery codes, email sign-in tokens,
-- API keys) is stored only as its SHA-256 hash, hex; passkeys are public keys.

CREATE TABLE accounts (
  id           TEXT PRIMARY KEY,
  -- Set once the owner has confirmed it by following a link sent to it.
  email        TEXT UNIQUE,
  display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
  created_at   INTEGER NOT NULL
);

-- WebAuthn credentials: only the public key and what verification needs.
CREATE TABLE passkeys (
  -- The credential id (base64url), as the authenticator gives it.
  id           TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL REFERENCES accounts(id),
  -- The COSE public key, base64url.
  public_key   TEXT NOT NULL,
  counter      INTEGER NOT NULL DEFAULT 0 CHECK (counter >= 0),
  -- JSON array of transports ("internal", "hybrid", "usb", ...).
  transports   TEXT NOT NULL DEFAULT '[]',
  device_name  TEXT NOT NULL CHECK (length(device_name) BETWEEN 1 AND 60),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX passkeys_by_account ON passkeys (account_id, created_at);

CREATE TABLE sessions (
  -- A public id (to list and revoke); the token itself is only hashed.
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  account_id   TEXT NOT NULL REFERENCES accounts(id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  user_agent   TEXT NOT NULL DEFAULT '',
  revoked_at   INTEGER
);
CREATE INDEX sessions_by_account ON sessions (account_id, created_at);

-- Who may do what in a shop. Only `owner` is given today (the shop's creator);
-- the other roles are for the team to come.
CREATE TABLE memberships (
  shop_id    TEXT NOT NULL REFERENCES shops(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  role       TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'host', 'moderator')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, account_id)
);
CREATE INDEX memberships_by_account ON memberships (account_id);

-- One live recovery code per account: it signs in once, then a new one replaces it.
CREATE TABLE recovery_codes (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  code_hash  TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- Email sign-in links (and the link that confirms an owner's email): single use, 15 minutes.
CREATE TABLE email_tokens (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  email      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);

-- WebAuthn challenges: single use, a few minutes. Registration ones belong to an account.
CREATE TABLE webauthn_challenges (
  id         TEXT PRIMARY KEY,
  challenge  TEXT NOT NULL,
  purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'authenticate')),
  account_id TEXT REFERENCES accounts(id),
  expires_at INTEGER NOT NULL
);

-- Sign-in attempts counted per IP and per email in fixed windows (worker/accounts/rate-limit.ts).
CREATE TABLE sign_in_attempts (
  bucket       TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

-- A shop's API keys. A shop may have several, each revocable.
CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  shop_id      TEXT NOT NULL REFERENCES shops(id),
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  key_hash     TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_keys_by_shop ON api_keys (shop_id, created_at);

-- Every shop's existing key becomes its first key. shops.api_key_hash stays
-- (POST /api/shops writes both) so an older Worker still reads it.
INSERT INTO api_keys (id, shop_id, name, key_hash, created_at)
SELECT 'ak_' || lower(hex(randomblob(12))), id, 'Created with the shop', api_key_hash, created_at FROM shops;
