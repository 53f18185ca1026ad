-- Webhooks (worker/webhooks/): a shop's endpoints, the events it emits, one
-- delivery per (event, endpoint) and every attempt of each.

CREATE TABLE webhook_endpoints (
  id              TEXT PRIMARY KEY,
  shop_id         TEXT NOT NULL REFERENCES shops(id),
  url             TEXT NOT NULL,
  description     TEXT,
  -- JSON array of event types.
  events          TEXT NOT NULL,
  -- The signing secret (whsec_…), encrypted with a server secret: the consumer must sign with it, so not a hash.
  secret          TEXT NOT NULL,
  -- After a rotation the old secret keeps signing alongside the new one until previous_until.
  previous_secret TEXT,
  previous_until  INTEGER,
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  -- 'failing' when it was disabled automatically.
  disabled_reason TEXT,
  -- When the current run of failed attempts began (NULL after a success).
  failing_since   INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_by_shop ON webhook_endpoints (shop_id);

-- An event, written in the same batch as the change it reports (or by a room's outbox).
CREATE TABLE webhook_events (
  id          TEXT PRIMARY KEY,
  shop_id     TEXT NOT NULL,
  room_id     TEXT,
  type        TEXT NOT NULL,
  -- The JSON body receivers get: {type, timestamp, data}.
  payload     TEXT NOT NULL,
  -- When it happened (ms): deliveries of one show go in this order.
  occurred_at INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
  id           TEXT PRIMARY KEY,
  event_id     TEXT NOT NULL REFERENCES webhook_events(id),
  endpoint_id  TEXT NOT NULL REFERENCES webhook_endpoints(id),
  room_id      TEXT,
  occurred_at  INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  -- Attempts in this round (a manual redelivery starts a new round).
  attempts     INTEGER NOT NULL DEFAULT 0,
  -- When it was last handed to the queue; NULL: not (or no longer) on it, the sweep hands it over.
  queued_at    INTEGER,
  created_at   INTEGER NOT NULL,
  delivered_at INTEGER,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (endpoint_id, room_id, status, occurred_at);
CREATE INDEX webhook_deliveries_unqueued ON webhook_deliveries (status, queued_at);

CREATE TABLE webhook_attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
  endpoint_id TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  -- The HTTP status, NULL when no answer came (timeout, refused, blocked address).
  status      INTEGER,
  ok          INTEGER NOT NULL,
  latency_ms  INTEGER NOT NULL,
  -- The first 500 characters of the answer, or what went wrong.
  response    TEXT,
  at          INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, attempt);
