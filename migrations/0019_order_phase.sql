-- When in a show's life an order was placed: before it went live, live, or from its replay after the end.
-- Orders from before this column have none (NULL); the numbers count them by their time instead.
ALTER TABLE orders ADD COLUMN phase TEXT CHECK (phase IN ('prelive', 'live', 'replay'));
