-- The public catalogue's listed datasets, whole or one publisher's, counted
-- from this index alone (an index-only scan) rather than from the wide
-- rows: a package_search counted all 10,000 rows on every call.
CREATE INDEX opendata_datasets_listed ON opendata_datasets (publisher_id) WHERE status = 'published' AND tier <> 'closed';
