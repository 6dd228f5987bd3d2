-- Open data (开放数据) and budget disclosure (预决算公开).
--
-- A dataset is described once (opendata_datasets) and its data kept in
-- versions: each regeneration or upload that changes the content adds a
-- version whose rows are stored one JSON array of strings per row, so a
-- download streams them in order. Conditional access (有条件开放) has
-- applications decided by the publishing agency, API keys (stored as their
-- SHA-256) and a usage log that also enforces each key's rate limit.
--
-- A budget set is one agency's 预算 or 决算 of a year: its lines (one row per
-- table row, amounts in 0.01 万元) and the disclosure document it is
-- published as. Civil dates are 'YYYY-MM-DD' text ('' = none).

CREATE TABLE opendata_datasets (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    publisher_id   INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    theme          TEXT NOT NULL,
    keywords       TEXT NOT NULL DEFAULT '[]',
    frequency      TEXT NOT NULL,
    temporal_from  TEXT NOT NULL DEFAULT '',
    temporal_to    TEXT NOT NULL DEFAULT '',
    spatial        TEXT NOT NULL DEFAULT '',
    license        TEXT NOT NULL,
    contact_name   TEXT NOT NULL DEFAULT '',
    contact_email  TEXT NOT NULL DEFAULT '',
    contact_phone  TEXT NOT NULL DEFAULT '',
    tier           TEXT NOT NULL,
    tier_reason    TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL,
    generator      TEXT NOT NULL DEFAULT '',
    columns        TEXT NOT NULL DEFAULT '[]',
    search_text    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    downloads      INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 0,
    row_count      INTEGER NOT NULL DEFAULT 0,
    checked_at     INTEGER NOT NULL DEFAULT 0,
    issued_at      INTEGER NOT NULL DEFAULT 0,
    modified_at    INTEGER NOT NULL DEFAULT 0,
    created_by     INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX opendata_datasets_generator ON opendata_datasets(generator) WHERE generator <> '';
CREATE INDEX opendata_datasets_publisher ON opendata_datasets(publisher_id, status);
CREATE INDEX opendata_datasets_listing ON opendata_datasets(status, modified_at, id, tier);
-- A catalogue search reads this narrow index (name, title, keywords and the
-- start of the description, lower-cased) instead of the wide rows.
CREATE INDEX opendata_datasets_search ON opendata_datasets(status, search_text, modified_at, id, tier);
-- CKAN harvesters page by id (ckanext-harvest sorts "id asc"), people by name.
CREATE INDEX opendata_datasets_by_id ON opendata_datasets(status, id, tier);
CREATE INDEX opendata_datasets_by_name ON opendata_datasets(status, name, tier);

CREATE TABLE opendata_versions (
    id          INTEGER PRIMARY KEY,
    dataset_id  INTEGER NOT NULL REFERENCES opendata_datasets(id),
    number      INTEGER NOT NULL,
    row_count   INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    pruned      INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    UNIQUE (dataset_id, number)
);

CREATE TABLE opendata_rows (
    version_id INTEGER NOT NULL REFERENCES opendata_versions(id),
    seq        INTEGER NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (version_id, seq)
) WITHOUT ROWID;

CREATE TABLE opendata_applications (
    id              INTEGER PRIMARY KEY,
    dataset_id      INTEGER NOT NULL REFERENCES opendata_datasets(id),
    user_id         INTEGER NOT NULL REFERENCES users(id),
    applicant       TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    fields          TEXT NOT NULL DEFAULT '[]',
    period_from     TEXT NOT NULL,
    period_to       TEXT NOT NULL,
    status          TEXT NOT NULL,
    submitted_on    TEXT NOT NULL,
    decided_on      TEXT NOT NULL DEFAULT '',
    decided_by      INTEGER NOT NULL DEFAULT 0,
    decision_reason TEXT NOT NULL DEFAULT '',
    rate_limit      INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX opendata_applications_user ON opendata_applications(user_id, id);
CREATE INDEX opendata_applications_dataset ON opendata_applications(dataset_id, status);

CREATE TABLE opendata_keys (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES opendata_applications(id),
    prefix         TEXT NOT NULL,
    hash           BLOB NOT NULL UNIQUE,
    revoked_at     INTEGER NOT NULL DEFAULT 0,
    revoked_by     INTEGER NOT NULL DEFAULT 0,
    last_used_at   INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);
CREATE INDEX opendata_keys_application ON opendata_keys(application_id);

CREATE TABLE opendata_key_log (
    id       INTEGER PRIMARY KEY,
    key_id   INTEGER NOT NULL REFERENCES opendata_keys(id),
    at       INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    status   INTEGER NOT NULL
);
CREATE INDEX opendata_key_log_key ON opendata_key_log(key_id, at);

-- Case volumes and on-time rates per department and month are one indexed
-- GROUP BY over this covering index, never a scan of the wide case rows.
CREATE INDEX opendata_case_stats ON cases(department_id, submitted_at, closed_at, promised_due);
-- Granted licences (双公示) are read in id order from this index.
CREATE INDEX opendata_case_licences ON cases(decision, id);

CREATE TABLE budget_sets (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    year         INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    approved_on  TEXT NOT NULL,
    explanation  TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    doc_id       INTEGER REFERENCES disclosure_docs(id),
    imported_at  INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (agency_id, year, kind)
);

CREATE TABLE budget_lines (
    set_id   INTEGER NOT NULL REFERENCES budget_sets(id),
    tbl      TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    amounts  TEXT NOT NULL,
    PRIMARY KEY (set_id, tbl, seq)
) WITHOUT ROWID;
