-- The catalogue search: every dataset's search text as its distinct bigrams
-- (each written as the hex of its UTF-8 bytes, so that no tokenizer rule
-- splits or drops one), keyed by the dataset's id. A query of two or more
-- characters reads the datasets holding all its bigrams from here.
CREATE VIRTUAL TABLE opendata_grams USING fts5(grams, content='', contentless_delete=1, detail=none);

INSERT INTO opendata_grams (rowid, grams)
SELECT d.id, (WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < length(d.search_text) - 1)
              SELECT group_concat(DISTINCT hex(substr(d.search_text, n, 2))) FROM i)
FROM opendata_datasets d;

-- A publisher's listed datasets (CKAN's fq=organization:…), counted and
-- paged newest first from the index alone.
CREATE INDEX opendata_datasets_publisher_listing ON opendata_datasets(status, publisher_id, modified_at, id, tier);
