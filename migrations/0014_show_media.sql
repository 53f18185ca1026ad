-- A show's page before it starts: a short trailer video (in R2, served at
-- /photos/{key} with range requests), and each team member's photo, shown
-- beside their name on the shows they host. Both are R2 keys, never URLs a
-- client typed; a new upload gets a new key, so what is served is immutable.
ALTER TABLE rooms ADD COLUMN trailer_r2_key TEXT;
ALTER TABLE accounts ADD COLUMN photo_r2_key TEXT;
