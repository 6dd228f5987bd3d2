-- The public progress lookup (办件进度查询) reads one row: everything it
-- shows, kept in the same transaction as every change of the case. The
-- procedure is named by its content key (SHA-256 of the JSON stored in
-- cases.procedure), which the server decodes once per distinct procedure.
-- Cases filed before this table existed have no row and are looked up
-- from their events.
CREATE TABLE case_progress (
    number          text PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES cases(id),
    query_code_hash bytea NOT NULL,
    procedure_key   bytea NOT NULL,
    applicant_name  text NOT NULL,
    events          bytea NOT NULL  -- every event, in order (cases.AppendEvents)
);
