-- Foundation: organisations, accounts and roles, sessions, the audit chain,
-- the working-day calendar and small settings. Times are Unix microseconds
-- (UTC); civil dates are 'YYYY-MM-DD' text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Administrative regions (GB/T 39046 A.2 levels 1 国家 … 6 村/社区) as a tree.
-- path is the chain of ids from the root, '/1/4/9/', for subtree checks.
CREATE TABLE regions (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES regions(id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 6),
    path       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX regions_parent ON regions(parent_id);
CREATE INDEX regions_path ON regions(path);

-- Service centres: 政务服务中心 (province/city/county), 便民服务中心 (township),
-- 便民服务站 / 代办点 (village).
CREATE TABLE centres (
    id         INTEGER PRIMARY KEY,
    region_id  INTEGER NOT NULL REFERENCES regions(id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    hours      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (region_id, name)
);

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    region_id   INTEGER NOT NULL REFERENCES regions(id),
    centre_id   INTEGER REFERENCES centres(id),
    name        TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    phone       TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (region_id, name)
);
CREATE INDEX departments_centre ON departments(centre_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('person', 'legal', 'staff')),
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    id_number     TEXT NOT NULL DEFAULT '',
    credit_code   TEXT NOT NULL DEFAULT '',
    contact_name  TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_id_number ON users(id_number) WHERE id_number <> '';
CREATE UNIQUE INDEX users_credit_code ON users(credit_code) WHERE credit_code <> '';

-- Windows (专窗 serve one department, 综合窗口 several) in a centre.
CREATE TABLE windows (
    id         INTEGER PRIMARY KEY,
    centre_id  INTEGER NOT NULL REFERENCES centres(id),
    number     TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('dedicated', 'comprehensive')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (centre_id, number)
);
CREATE TABLE window_departments (
    window_id     INTEGER NOT NULL REFERENCES windows(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (window_id, department_id)
);
CREATE TABLE window_staff (
    window_id INTEGER NOT NULL REFERENCES windows(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (window_id, user_id)
);

-- A staff role granted on a scope: a region subtree and/or one department.
CREATE TABLE role_grants (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL,
    region_id     INTEGER REFERENCES regions(id),
    department_id INTEGER REFERENCES departments(id),
    created_by    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX role_grants_user ON role_grants(user_id);
CREATE UNIQUE INDEX role_grants_unique ON role_grants(user_id, role, IFNULL(region_id, 0), IFNULL(department_id, 0));

-- Server-side sessions; id is the SHA-256 of the cookie token.
CREATE TABLE sessions (
    id           BLOB PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Failed-login counters per account ('acct:<username>') and per address ('addr:<ip>').
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
);

-- The audit chain. seq, prev_hash and hash are filled by the sealer.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    seq         INTEGER UNIQUE,
    at          INTEGER NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_label TEXT NOT NULL,
    scope       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    detail      BLOB NOT NULL,
    digest      BLOB NOT NULL,
    prev_hash   BLOB,
    hash        BLOB
);
CREATE INDEX audit_log_unsealed ON audit_log(id) WHERE seq IS NULL;
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log(actor_id);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash BLOB NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, zeroblob(32));

-- Holiday schedules imported by an administrator (years beyond the ones the
-- program ships, or corrections); data is the holiday-cn JSON.
CREATE TABLE calendar_schedules (
    year        INTEGER PRIMARY KEY,
    data        TEXT NOT NULL,
    source      TEXT NOT NULL,
    imported_by INTEGER NOT NULL,
    imported_at INTEGER NOT NULL
);
-- Region-level adjustments: a local holiday or a local make-up working day.
CREATE TABLE calendar_overrides (
    id         INTEGER PRIMARY KEY,
    region_id  INTEGER NOT NULL REFERENCES regions(id),
    date       TEXT NOT NULL,
    is_off_day INTEGER NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (region_id, date)
);
