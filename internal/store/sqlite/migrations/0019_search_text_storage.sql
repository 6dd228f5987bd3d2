-- PostgreSQL's 0019 stores search texts uncompressed; SQLite never
-- compresses them, so there is nothing to change here.
SELECT 1;
