-- Government information disclosure, second part: request numbers that
-- carry the agency's code.

-- One counter per request number prefix ("YSQ-<agency code>-<year>"), so
-- that agencies sharing a code still never issue the same number. Numbers
-- issued before ("YSQ-<year>-<seq>") are left as they are.
CREATE TABLE disclosure_number_seq (
    prefix text PRIMARY KEY,
    last   integer NOT NULL
);

-- The portal's search is answered from an in-memory index each node builds
-- from search_entries and keeps current by following search_log (see
-- internal/disclosure/search): the gram arrays are no longer read.
ALTER TABLE search_entries DROP COLUMN grams, DROP COLUMN title_grams;
CREATE TABLE search_log (
    seq  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    ref  bigint NOT NULL
);
