-- The catalogue search: every dataset's search text as its distinct bigrams
-- in a GIN-indexed array. A query of two or more characters reads the
-- datasets holding all its bigrams through the index.
ALTER TABLE opendata_datasets ADD COLUMN grams text[] NOT NULL DEFAULT '{}';

UPDATE opendata_datasets SET grams = ARRAY(SELECT DISTINCT substr(search_text, i, 2)
                                           FROM generate_series(1, char_length(search_text) - 1) AS i);

CREATE INDEX opendata_datasets_grams ON opendata_datasets USING gin (grams);

-- A publisher's listed datasets (CKAN's fq=organization:…), counted and
-- paged newest first from the index alone.
CREATE INDEX opendata_datasets_publisher_listing ON opendata_datasets(status, publisher_id, modified_at, id, tier);
