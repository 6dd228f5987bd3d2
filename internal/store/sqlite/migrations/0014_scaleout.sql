-- The audit chain is sealed in batches: a seal stores the links of every
-- entry it covers (their ids in chain order and their hashes), so an entry
-- is written once and never rewritten. Entries linked in their own rows
-- before this stay as they are; the first seal continues after them.
CREATE TABLE audit_seals (
    first_seq  INTEGER PRIMARY KEY,  -- chain position of its first entry
    min_id     INTEGER NOT NULL,
    max_id     INTEGER NOT NULL,
    through_tx INTEGER NOT NULL,     -- the mark of its last entry
    through_id INTEGER NOT NULL,
    ids        BLOB NOT NULL,        -- 8 bytes per entry, big-endian, chain order
    prev_hash  BLOB NOT NULL,
    hashes     BLOB NOT NULL,        -- 32 bytes (SM3) per entry
    sealed_at  INTEGER NOT NULL
);
CREATE INDEX audit_seals_ids ON audit_seals(max_id, min_id);
ALTER TABLE audit_head ADD COLUMN mark_tx INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN mark_id INTEGER NOT NULL DEFAULT 0;
-- SQLite's one writer commits entries in row order: the mark is the row id.
UPDATE audit_head SET mark_id = (SELECT IFNULL(MAX(id), 0) FROM audit_log WHERE seq IS NOT NULL);
DROP INDEX audit_log_unsealed;

-- A case names its procedure by content key (SHA-256 of its JSON); each
-- distinct procedure is stored once, instead of with every case. Cases
-- filed before keep theirs in cases.procedure (procedure_key NULL); new
-- ones leave that column empty.
CREATE TABLE case_procedures (
    key       BLOB PRIMARY KEY,
    procedure TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE cases ADD COLUMN procedure_key BLOB;
