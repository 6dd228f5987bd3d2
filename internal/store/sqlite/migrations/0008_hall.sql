-- The service hall: what a case keeps beside its row (the sealed 查询密码
-- the applicant can read again, the 行政许可法 Art 32 intake due date the
-- queues sort by), 一件事 bundles and their applications, appointments at
-- the window, and favourite items.

CREATE TABLE case_details (
    case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
    query_code BLOB NOT NULL,            -- sealed with the deployment's key
    intake_due TEXT NOT NULL DEFAULT ''  -- YYYY-MM-DD while a receipt waits for an answer
);
CREATE INDEX case_details_intake ON case_details(intake_due) WHERE intake_due <> '';

CREATE TABLE bundles (
    id         INTEGER PRIMARY KEY,
    region_id  INTEGER NOT NULL REFERENCES regions(id),
    name       TEXT NOT NULL,
    audience   TEXT NOT NULL CHECK (audience IN ('person', 'legal')),
    status     TEXT NOT NULL CHECK (status IN ('draft', 'active', 'retired')),
    definition TEXT NOT NULL,            -- JSON: summary, items, fields
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (region_id, name)
);

CREATE TABLE bundle_applications (
    id                INTEGER PRIMARY KEY,
    bundle_id         INTEGER NOT NULL REFERENCES bundles(id),
    number            TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    applicant_user_id INTEGER,
    agent_id          INTEGER,
    applicant_name    TEXT NOT NULL,
    form              TEXT NOT NULL,     -- JSON: the shared answers
    query_code_hash   BLOB NOT NULL,
    query_code        BLOB NOT NULL,     -- sealed
    idempotency_key   TEXT NOT NULL UNIQUE,
    created_at        INTEGER NOT NULL
);
CREATE INDEX bundle_applications_applicant ON bundle_applications(applicant_user_id, created_at);

CREATE TABLE bundle_cases (
    application_id INTEGER NOT NULL REFERENCES bundle_applications(id),
    position       INTEGER NOT NULL,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    impl_code      TEXT NOT NULL,
    PRIMARY KEY (application_id, position)
) WITHOUT ROWID;
CREATE UNIQUE INDEX bundle_cases_case ON bundle_cases(case_id);

CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES catalog_items(id),
    region_path   TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    day           TEXT NOT NULL,
    slot          TEXT NOT NULL CHECK (slot IN ('am', 'pm')),
    note          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'declined', 'cancelled')),
    answer        TEXT NOT NULL DEFAULT '',
    decided_by    INTEGER,
    decided_at    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX appointments_user ON appointments(user_id, created_at);
CREATE INDEX appointments_queue ON appointments(status, region_path, day);

CREATE TABLE favourites (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    item_id    INTEGER NOT NULL REFERENCES catalog_items(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, item_id)
) WITHOUT ROWID;
