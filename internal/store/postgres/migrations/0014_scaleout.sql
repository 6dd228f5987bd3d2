-- The audit chain is sealed in batches: a seal stores the links of every
-- entry it covers (their ids in chain order and their hashes), so an entry
-- is written once and never rewritten. The id of the transaction that
-- appended an entry orders the entries to seal (see audit_log.tx). Entries
-- linked in their own rows before this stay as they are; the first seal
-- continues after them and takes the entries still waiting (tx 0).
CREATE TABLE audit_seals (
    first_seq  bigint PRIMARY KEY,  -- chain position of its first entry
    min_id     bigint NOT NULL,
    max_id     bigint NOT NULL,
    through_tx bigint NOT NULL,     -- the mark of its last entry
    through_id bigint NOT NULL,
    ids        bytea NOT NULL,      -- 8 bytes per entry, big-endian, chain order
    prev_hash  bytea NOT NULL,
    hashes     bytea NOT NULL,      -- 32 bytes (SM3) per entry
    sealed_at  timestamptz NOT NULL
);
CREATE INDEX audit_seals_ids ON audit_seals(max_id, min_id);
ALTER TABLE audit_head ADD COLUMN mark_tx bigint NOT NULL DEFAULT 0,
                       ADD COLUMN mark_id bigint NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN tx bigint;
UPDATE audit_log SET tx = 0 WHERE seq IS NULL;
ALTER TABLE audit_log ALTER COLUMN tx SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX audit_log_mark ON audit_log(tx, id) WHERE tx IS NOT NULL;
DROP INDEX audit_log_unsealed;
-- New entries have no seq of their own: only the old ones are indexed by it.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_seq_key;
CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq) WHERE seq IS NOT NULL;

-- A case names its procedure by content key (SHA-256 of its JSON); each
-- distinct procedure is stored once, instead of with every case. Cases
-- filed before keep theirs in cases.procedure (procedure_key NULL).
CREATE TABLE case_procedures (
    key       bytea PRIMARY KEY,
    procedure jsonb NOT NULL
);
ALTER TABLE cases ADD COLUMN procedure_key bytea;
ALTER TABLE cases ALTER COLUMN procedure DROP NOT NULL;

-- A conditional update queued in a pipelined transaction cannot be checked
-- before the commit is sent with it: instead the statement ends with this
-- call, which fails the transaction unless exactly one row was found.
CREATE FUNCTION openhall_expect_one(n bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    IF n <> 1 THEN
        RAISE EXCEPTION 'expected one row, found %', n USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN n;
END $$;
