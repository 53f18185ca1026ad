-- A show's numbers, aggregated by its Room as they happen (durable-objects/numbers.ts) and
-- written here through its outbox. Every row holds absolute figures and the version that
-- wrote it: a retried write is the same upsert, never a second `+=`.
-- phase: prelive (before the show went live), live, replay (after it ended).

-- Per minute (its start, room clock ms) and phase.
CREATE TABLE show_minutes (
  room_id         TEXT NOT NULL,
  minute          INTEGER NOT NULL,
  phase           TEXT NOT NULL CHECK (phase IN ('prelive', 'live', 'replay')),
  peak_viewers    INTEGER NOT NULL DEFAULT 0,
  viewer_ms       INTEGER NOT NULL DEFAULT 0,  -- concurrent viewers integrated over the minute: average = viewer_ms / 60000
  unique_viewers  INTEGER NOT NULL DEFAULT 0,
  visits          INTEGER NOT NULL DEFAULT 0,
  chat_messages   INTEGER NOT NULL DEFAULT 0,
  hearts          INTEGER NOT NULL DEFAULT 0,
  orders          INTEGER NOT NULL DEFAULT 0,
  units           INTEGER NOT NULL DEFAULT 0,
  revenue_cents   INTEGER NOT NULL DEFAULT 0,
  version         INTEGER NOT NULL,
  PRIMARY KEY (room_id, minute, phase)
);

-- Per product, minute and phase.
CREATE TABLE show_product_minutes (
  room_id         TEXT NOT NULL,
  minute          INTEGER NOT NULL,
  phase           TEXT NOT NULL CHECK (phase IN ('prelive', 'live', 'replay')),
  product_id      TEXT NOT NULL,
  pinned_ms       INTEGER NOT NULL DEFAULT 0,
  card_views      INTEGER NOT NULL DEFAULT 0,
  checkout_opens  INTEGER NOT NULL DEFAULT 0,
  orders          INTEGER NOT NULL DEFAULT 0,
  units           INTEGER NOT NULL DEFAULT 0,
  revenue_cents   INTEGER NOT NULL DEFAULT 0,
  version         INTEGER NOT NULL,
  PRIMARY KEY (room_id, minute, phase, product_id)
);

-- Per phase, and 'total' for the whole show: what cannot be summed from minutes
-- (distinct viewers and buyers, watch time per viewer).
CREATE TABLE show_phases (
  room_id         TEXT NOT NULL,
  phase           TEXT NOT NULL CHECK (phase IN ('prelive', 'live', 'replay', 'total')),
  unique_viewers  INTEGER NOT NULL DEFAULT 0,
  watch_ms        INTEGER NOT NULL DEFAULT 0,
  peak_viewers    INTEGER NOT NULL DEFAULT 0,
  visits          INTEGER NOT NULL DEFAULT 0,
  buyers          INTEGER NOT NULL DEFAULT 0,
  version         INTEGER NOT NULL,
  PRIMARY KEY (room_id, phase)
);

-- Per referral code (lower case) of the show's links.
CREATE TABLE show_referrals (
  room_id         TEXT NOT NULL,
  code            TEXT NOT NULL,
  visits          INTEGER NOT NULL DEFAULT 0,
  orders          INTEGER NOT NULL DEFAULT 0,
  units           INTEGER NOT NULL DEFAULT 0,
  revenue_cents   INTEGER NOT NULL DEFAULT 0,
  version         INTEGER NOT NULL,
  PRIMARY KEY (room_id, code)
);
