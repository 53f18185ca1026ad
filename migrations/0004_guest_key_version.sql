-- The host can replace a room's guest link: the guest key is derived from the
-- host key and this version (1 = the key a room was created with).
ALTER TABLE rooms ADD COLUMN guest_key_version INTEGER NOT NULL DEFAULT 1;
