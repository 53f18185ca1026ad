-- When the buyer was told of a fulfilment step (the shipped or ready-for-
-- pickup email was queued). NULL on a step that tells the buyer means the
-- email is still owed: repeating the step sends it, so an email whose queue
-- send failed after the step was recorded is not lost. Steps recorded before
-- this column existed were told at the time.
ALTER TABLE order_fulfilment_history ADD COLUMN buyer_told_at INTEGER;
UPDATE order_fulfilment_history SET buyer_told_at = at WHERE status IN ('packed', 'shipped');
