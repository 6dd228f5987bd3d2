-- PostgreSQL's 0021 adds a table of catalogue search grams to count a
-- public search from an index; SQLite counts from its FTS index (0016), so
-- nothing changes here.
SELECT 1;
