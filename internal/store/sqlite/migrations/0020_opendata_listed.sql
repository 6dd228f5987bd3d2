-- PostgreSQL's 0020 adds an index to count listed datasets; SQLite keeps
-- those counts in opendata_listed_counts (0016), so nothing changes here.
SELECT 1;
