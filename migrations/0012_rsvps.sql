-- "Remind me": a viewer's email reminder for a show (or for one of its
-- products: "tell me when this is on"), with double opt-in, and the send
-- state of every reminder per recipient, so that a retried queue message,
-- a re-fired alarm or a restarted runtime never sends one twice.

CREATE TABLE rsvps (
  id               TEXT PRIMARY KEY,
  room_id          TEXT NOT NULL REFERENCES rooms(id),
  -- Lower-cased; one RSVP per address, show and product (or the show itself).
  email            TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  product_id       TEXT,
  locale           TEXT NOT NULL CHECK (locale IN ('en', 'zh-CN')),
  -- The viewer's IANA time zone, for the times written in its emails (null: UTC).
  time_zone        TEXT CHECK (time_zone IS NULL OR length(time_zone) <= 64),
  status           TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
  -- SHA-256 (hex) of the confirmation token sent by email; cleared once used.
  confirm_hash     TEXT UNIQUE,
  -- Where the links in its emails point (PUBLIC_URL, or the origin it was asked from).
  origin           TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  confirmed_at     INTEGER,
  unsubscribed_at  INTEGER
);
CREATE UNIQUE INDEX rsvps_by_address ON rsvps (room_id, email, coalesce(product_id, ''));
CREATE INDEX rsvps_by_room ON rsvps (room_id, status, confirmed_at);

-- One row per reminder and recipient: `recipient` is an RSVP's id, or
-- `host:` and an account id for the host's own reminder. Recorded before it
-- is queued (`queued_at`), claimed by the email queue's consumer while it
-- sends (`claimed_at`, a lease), and marked sent once the Email Service took it.
CREATE TABLE reminder_sends (
  room_id     TEXT NOT NULL REFERENCES rooms(id),
  recipient   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  queued_at   INTEGER,
  claimed_at  INTEGER,
  sent_at     INTEGER,
  PRIMARY KEY (recipient, kind)
);
CREATE INDEX reminder_sends_by_room ON reminder_sends (room_id, kind, queued_at);
