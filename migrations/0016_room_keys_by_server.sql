-- How a room's guest and moderator keys are made. 0: from its host key (rooms
-- made before this column; only the host key's holder can have its links
-- rebuilt). 1: from the server's `room-links` secret and the room's id, so a
-- signed-in host of the show, who has no host key, can be given them too.
-- Neither key is stored, only their hashes, as before.
ALTER TABLE rooms ADD COLUMN keys_by_server INTEGER NOT NULL DEFAULT 0;
