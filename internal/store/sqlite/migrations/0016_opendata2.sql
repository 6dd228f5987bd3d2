-- The public catalogue search: every listed dataset (published and not
-- 不予开放) as the distinct bigrams of its search text, each written as the
-- hex of its UTF-8 bytes so that no tokenizer rule splits or drops one.
-- The FTS rowid is the dataset's search key: the seconds from 2020 to its
-- modification in the high bits and its id in the low 32, so the newest
-- matches come first in rowid order and a page is read from the FTS index
-- alone.
ALTER TABLE opendata_datasets ADD COLUMN search_key INTEGER NOT NULL DEFAULT 0;

UPDATE opendata_datasets SET search_key = (max(modified_at / 1000000 - 1577836800, 0) << 32) | id
WHERE status = 'published' AND tier <> 'closed';

CREATE VIRTUAL TABLE opendata_grams USING fts5(grams, content='', contentless_delete=1, detail=none);

INSERT INTO opendata_grams (rowid, grams)
SELECT d.search_key, (WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < length(d.search_text) - 1)
                      SELECT group_concat(DISTINCT hex(substr(d.search_text, n, 2))) FROM i)
FROM opendata_datasets d WHERE d.search_key <> 0;

-- How many datasets each publisher has listed, kept with the search keys:
-- the public catalogue's counts without counting rows.
CREATE TABLE opendata_listed_counts (
    publisher_id INTEGER PRIMARY KEY,
    n            INTEGER NOT NULL
);

INSERT INTO opendata_listed_counts (publisher_id, n)
SELECT publisher_id, count(*) FROM opendata_datasets WHERE search_key <> 0 GROUP BY publisher_id;

-- A publisher's listed datasets (CKAN's fq=organization:…), counted and
-- paged newest first from the index alone.
CREATE INDEX opendata_datasets_publisher_listing ON opendata_datasets(status, publisher_id, modified_at, id, tier);
