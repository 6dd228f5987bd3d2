-- The pages a fee notice charges for when it is computed by volume (按量计收,
-- 国办函〔2020〕109号); 0 when computed per request (按件).
ALTER TABLE disclosure_events ADD COLUMN pages INTEGER NOT NULL DEFAULT 0;
