-- A room's moderator key (mk_…), derived from its host key like the guest key,
-- stored as its SHA-256 hash. Rooms created before it have none until the host
-- asks for the room's links again (GET /api/rooms/{id}/links), which records it.
ALTER TABLE rooms ADD COLUMN moderator_key_hash TEXT;
CREATE UNIQUE INDEX rooms_by_moderator_key ON rooms (moderator_key_hash);
