-- The key a complaint was filed with (the form's hidden key, the API's
-- Idempotency-Key): a second request with the same key finds the first
-- complaint instead of filing another. NULL for complaints filed without
-- one (the 12345 hand-off, which its ticket number keeps single).
ALTER TABLE complaints ADD COLUMN submit_key TEXT;
CREATE UNIQUE INDEX complaints_submit_key ON complaints (submit_key);
