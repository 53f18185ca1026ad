-- Recording at the publishers (issue 11): each host or guest page records its
-- own camera+mic (and a screen share on its own) and uploads numbered chunks
-- to R2 through the Worker. One recorder start is a take; when the show ends
-- each take is remuxed into one seekable file (worker/recording/).
--
-- rooms.recording: the brand's switch, on unless turned off for the show.
-- The replay_* columns are the library's: hidden from the public, the part
-- kept (replay-time ms; null = all of it) and a chosen thumbnail (R2 key in
-- the photos bucket, served at /photos/{key}).
ALTER TABLE rooms ADD COLUMN recording INTEGER NOT NULL DEFAULT 1 CHECK (recording IN (0, 1));
ALTER TABLE rooms ADD COLUMN replay_hidden INTEGER NOT NULL DEFAULT 0 CHECK (replay_hidden IN (0, 1));
ALTER TABLE rooms ADD COLUMN replay_trim_start_ms INTEGER;
ALTER TABLE rooms ADD COLUMN replay_trim_end_ms INTEGER;
ALTER TABLE rooms ADD COLUMN replay_thumbnail_r2_key TEXT;

-- state: recording (chunks may arrive) → closed (the page stopped, or the show
-- ended) → ready (finalized: file_r2_key plays and seeks) | empty (no chunk) |
-- failed; aborted: the page threw it away (its chunks are gone).
CREATE TABLE recording_takes (
  id            TEXT PRIMARY KEY,
  room_id       TEXT NOT NULL REFERENCES rooms(id),
  publisher     TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('host', 'guest')),
  source        TEXT NOT NULL CHECK (source IN ('camera', 'screen')),
  mime          TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  state         TEXT NOT NULL DEFAULT 'recording' CHECK (state IN ('recording', 'closed', 'ready', 'empty', 'failed', 'aborted')),
  file_r2_key   TEXT,
  file_bytes    INTEGER,
  duration_ms   INTEGER,
  failure       TEXT
);
CREATE INDEX recording_takes_by_room ON recording_takes (room_id, started_at);

-- A chunk is recorded here only after its bytes are durable in R2.
CREATE TABLE recording_chunks (
  take_id TEXT NOT NULL REFERENCES recording_takes(id),
  n       INTEGER NOT NULL CHECK (n >= 0),
  bytes   INTEGER NOT NULL CHECK (bytes > 0),
  at      INTEGER NOT NULL,
  PRIMARY KEY (take_id, n)
);
