-- The console's shows: what a show's page says about it (a description and a
-- cover image, both optional), and when it was cancelled before it started.
-- The Room keeps the live title, start and status; a cancelled show's Room
-- has ended, and this column says why.
ALTER TABLE rooms ADD COLUMN description TEXT;
ALTER TABLE rooms ADD COLUMN cover_image_url TEXT;
ALTER TABLE rooms ADD COLUMN cancelled_at INTEGER;
