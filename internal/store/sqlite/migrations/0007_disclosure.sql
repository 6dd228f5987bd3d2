-- Government information disclosure, second part: request numbers that
-- carry the agency's code.

-- One counter per request number prefix ("YSQ-<agency code>-<year>"), so
-- that agencies sharing a code still never issue the same number. Numbers
-- issued before ("YSQ-<year>-<seq>") are left as they are.
CREATE TABLE disclosure_number_seq (
    prefix TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
) WITHOUT ROWID;

-- The portal's search is answered from an in-memory index each node builds
-- from search_entries and keeps current by following search_log (see
-- internal/disclosure/search): the gram tables are no longer read.
DROP TABLE search_grams;
DROP TABLE search_title_grams;
CREATE TABLE search_log (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref  INTEGER NOT NULL
);
