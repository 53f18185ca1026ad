-- Secrets the Worker makes for itself on first use (no setup step for a new
-- deployment): the key that signs viewers' identity tokens.
CREATE TABLE server_secrets (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
