-- A search entry's text is stored uncompressed out of line: an excerpt and
-- a term check read the texts of a page of entries (a law runs to 30,000
-- characters), and decompressing each whole text on every search cost more
-- than the search. Rows written from now on; older ones keep their form
-- until rewritten.
ALTER TABLE search_entries ALTER COLUMN text SET STORAGE EXTERNAL;
