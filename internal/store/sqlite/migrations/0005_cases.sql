-- Cases (办件): the projection of each case's events, the events themselves,
-- per-department branches for 并联审批, and the materials handed in.

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    number              TEXT UNIQUE,
    status              TEXT NOT NULL,
    decision            TEXT NOT NULL DEFAULT '',
    completion          TEXT NOT NULL DEFAULT '',
    item_version_id     INTEGER NOT NULL,
    item_code           TEXT NOT NULL,
    item_name           TEXT NOT NULL,
    region_path         TEXT NOT NULL,
    department_id       INTEGER NOT NULL,
    applicant_user_id   INTEGER,
    applicant           TEXT NOT NULL,  -- JSON: kind, name, id_number, credit_code, phone
    applicant_name      TEXT NOT NULL,
    agent_id            INTEGER,
    channel             TEXT NOT NULL,
    procedure           TEXT NOT NULL,  -- JSON snapshot of the item version
    form                TEXT NOT NULL,  -- JSON
    fee_due             INTEGER NOT NULL DEFAULT 0,
    fee_paid            INTEGER NOT NULL DEFAULT 0,
    fee_receipt         TEXT NOT NULL DEFAULT '',
    rounds              INTEGER NOT NULL DEFAULT 0,
    certificate         TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL,
    idempotency_key     TEXT UNIQUE,
    query_code_hash     BLOB NOT NULL,
    promised_due        TEXT NOT NULL DEFAULT '',
    legal_due           TEXT NOT NULL DEFAULT '',
    created_at          INTEGER NOT NULL,
    submitted_at        INTEGER NOT NULL DEFAULT 0,
    accepted_at         INTEGER NOT NULL DEFAULT 0,
    closed_at           INTEGER NOT NULL DEFAULT 0,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX cases_applicant ON cases(applicant_user_id, created_at);
CREATE INDEX cases_agent ON cases(agent_id, created_at) WHERE agent_id IS NOT NULL;
CREATE INDEX cases_intake ON cases(status, region_path, submitted_at);

CREATE TABLE case_events (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_label TEXT NOT NULL,
    branch      INTEGER NOT NULL,
    detail      TEXT NOT NULL, -- JSON: step, to_step, reason, items, days, code, decision, ref
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;

CREATE TABLE case_branches (
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    idx           INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    step          INTEGER NOT NULL,
    step_role     TEXT NOT NULL,
    done          INTEGER NOT NULL,
    state         TEXT NOT NULL, -- JSON of the branch state
    due           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, idx)
) WITHOUT ROWID;
CREATE INDEX case_branches_queue ON case_branches(department_id, done, due);

CREATE TABLE case_materials (
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    seq       INTEGER NOT NULL,
    code      TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    size      INTEGER NOT NULL,
    mime      TEXT NOT NULL,
    round     INTEGER NOT NULL,
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
CREATE INDEX case_materials_blob ON case_materials(sha256);
