-- 好差评 and complaints: ratings with their per-day counts for the
-- figures, the rectification tickets of bad reviews and their events, the
-- regions' rating periods, window visits rated by SMS, counter tablets,
-- complaints and consultations with their events, and the answers returned
-- to the 12345 hotline. Times are Unix microseconds (UTC).

CREATE TABLE ratings (
    id            INTEGER PRIMARY KEY,
    rkey          TEXT NOT NULL UNIQUE,  -- the rating's key across systems (evaluateId)
    subject       TEXT NOT NULL,         -- case | visit
    case_id       INTEGER,               -- NULL for visits and for imported ratings of other systems' cases
    case_number   TEXT NOT NULL DEFAULT '',
    visit_id      INTEGER,
    stage         INTEGER NOT NULL,      -- proStatus: 1 待办理, 2 办理中, 3 已完结
    number        INTEGER NOT NULL,      -- assessNumber: 1 首次, 2 二次
    first_id      INTEGER,
    level         INTEGER NOT NULL,      -- GB/T 39046 A.8 order: 1 非常满意 … 5 非常不满意
    indicators    TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL,
    anonymous     INTEGER NOT NULL,
    rater_user_id INTEGER,
    rater_kind    TEXT NOT NULL DEFAULT '',
    comment       TEXT NOT NULL DEFAULT '',
    is_default    INTEGER NOT NULL DEFAULT 0,
    excluded      INTEGER NOT NULL DEFAULT 0,
    region_path   TEXT NOT NULL,
    region_code   TEXT NOT NULL DEFAULT '',
    department_id INTEGER NOT NULL DEFAULT 0,
    department    TEXT NOT NULL DEFAULT '',
    window_id     INTEGER NOT NULL DEFAULT 0,
    staff_id      INTEGER NOT NULL DEFAULT 0,
    item_code     TEXT NOT NULL DEFAULT '',
    item_name     TEXT NOT NULL DEFAULT '',
    instant       INTEGER NOT NULL DEFAULT 0,
    source        TEXT NOT NULL DEFAULT 'local',
    at            INTEGER NOT NULL
);
CREATE UNIQUE INDEX ratings_case_stage ON ratings(case_id, stage, number) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX ratings_visit ON ratings(visit_id, number) WHERE visit_id IS NOT NULL;
CREATE INDEX ratings_rater ON ratings(rater_user_id, at) WHERE rater_user_id IS NOT NULL;
CREATE INDEX ratings_first ON ratings(first_id) WHERE first_id IS NOT NULL;
CREATE INDEX ratings_at ON ratings(at);

-- Ratings counted per China day and everything a figure is broken down by,
-- kept with every insert and exclusion: a year's report reads these rows,
-- not every rating.
CREATE TABLE rating_counts (
    day           TEXT NOT NULL,
    region_path   TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    window_id     INTEGER NOT NULL,
    staff_id      INTEGER NOT NULL,
    item_code     TEXT NOT NULL,
    level         INTEGER NOT NULL,
    is_default    INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (day, region_path, department_id, window_id, staff_id, item_code, level, is_default)
) WITHOUT ROWID;

-- The same counts per month: a report over whole months reads these, and
-- the per-day rows only for the part-months at its ends.
CREATE TABLE rating_counts_month (
    day           TEXT NOT NULL, -- YYYY-MM
    region_path   TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    window_id     INTEGER NOT NULL,
    staff_id      INTEGER NOT NULL,
    item_code     TEXT NOT NULL,
    level         INTEGER NOT NULL,
    is_default    INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (day, region_path, department_id, window_id, staff_id, item_code, level, is_default)
) WITHOUT ROWID;

CREATE TABLE rating_tickets (
    id            INTEGER PRIMARY KEY,
    rating_id     INTEGER NOT NULL UNIQUE REFERENCES ratings(id),
    status        TEXT NOT NULL,
    region_path   TEXT NOT NULL,
    region_code   TEXT NOT NULL DEFAULT '',
    department_id INTEGER NOT NULL,
    department    TEXT NOT NULL DEFAULT '',
    window_id     INTEGER NOT NULL,
    staff_id      INTEGER NOT NULL,
    item_code     TEXT NOT NULL,
    item_name     TEXT NOT NULL DEFAULT '',
    anonymous     INTEGER NOT NULL,
    callback_days INTEGER NOT NULL,
    rectify_days  INTEGER NOT NULL,
    called_back   INTEGER NOT NULL DEFAULT 0,
    rectified     INTEGER NOT NULL DEFAULT 0,
    appealed      INTEGER NOT NULL DEFAULT 0,
    upheld        INTEGER NOT NULL DEFAULT 0,
    outcome       TEXT NOT NULL DEFAULT '',
    opened_at     INTEGER NOT NULL,
    closed_at     INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL
);
CREATE INDEX rating_tickets_open ON rating_tickets(status, department_id);
-- Covers what the figures count, so that they read the index alone.
CREATE INDEX rating_tickets_opened ON rating_tickets(opened_at, region_path, department_id, window_id, staff_id, item_code,
    anonymous, called_back, rectified, upheld, status);

CREATE TABLE rating_ticket_events (
    ticket_id   INTEGER NOT NULL REFERENCES rating_tickets(id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_label TEXT NOT NULL,
    detail      TEXT NOT NULL, -- JSON: code, reason, level, days, rating
    PRIMARY KEY (ticket_id, seq)
) WITHOUT ROWID;

CREATE TABLE rating_limits (
    region_id     INTEGER PRIMARY KEY REFERENCES regions(id),
    region_path   TEXT NOT NULL,
    callback_days INTEGER NOT NULL,
    rectify_days  INTEGER NOT NULL,
    default_days  INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    updated_by    TEXT NOT NULL
);

CREATE TABLE rating_visits (
    id            INTEGER PRIMARY KEY,
    region_path   TEXT NOT NULL,
    region_code   TEXT NOT NULL DEFAULT '',
    department_id INTEGER NOT NULL,
    department    TEXT NOT NULL DEFAULT '',
    window_id     INTEGER NOT NULL REFERENCES windows(id),
    window_name   TEXT NOT NULL,
    staff_id      INTEGER NOT NULL,
    phone         TEXT NOT NULL,
    case_number   TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

CREATE TABLE rating_counters (
    id            INTEGER PRIMARY KEY,
    token_hash    BLOB NOT NULL UNIQUE,
    window_id     INTEGER NOT NULL REFERENCES windows(id),
    window_number TEXT NOT NULL,
    window_name   TEXT NOT NULL,
    staff_id      INTEGER NOT NULL REFERENCES users(id),
    staff_name    TEXT NOT NULL,
    region_path   TEXT NOT NULL,
    region_code   TEXT NOT NULL DEFAULT '',
    department_id INTEGER NOT NULL,
    department    TEXT NOT NULL DEFAULT '',
    started_at    INTEGER NOT NULL,
    ended_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX rating_counters_window ON rating_counters(window_id) WHERE ended_at = 0;

CREATE TABLE complaints (
    id              INTEGER PRIMARY KEY,
    number          TEXT UNIQUE,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    subject         TEXT NOT NULL, -- JSON: kind, case, window, staff, item, label
    subject_kind    TEXT NOT NULL,
    case_id         INTEGER,
    window_id       INTEGER NOT NULL DEFAULT 0,
    staff_id        INTEGER NOT NULL DEFAULT 0,
    item_code       TEXT NOT NULL DEFAULT '',
    region_path     TEXT NOT NULL,
    department_id   INTEGER NOT NULL DEFAULT 0,
    department      TEXT NOT NULL DEFAULT '',
    suggested_department_id INTEGER NOT NULL DEFAULT 0,
    channel         TEXT NOT NULL,
    hotline_ticket  TEXT,
    anonymous       INTEGER NOT NULL,
    consent         INTEGER NOT NULL,
    complainant_user_id INTEGER,
    complainant     TEXT NOT NULL, -- JSON: name, phone; {} when anonymous
    query_code_hash BLOB NOT NULL,
    content         TEXT NOT NULL,
    reopened        INTEGER NOT NULL DEFAULT 0,
    answer_level    INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX complaints_hotline ON complaints(hotline_ticket) WHERE hotline_ticket IS NOT NULL;
CREATE INDEX complaints_status ON complaints(status, region_path);
CREATE INDEX complaints_department ON complaints(department_id, status);
CREATE INDEX complaints_complainant ON complaints(complainant_user_id) WHERE complainant_user_id IS NOT NULL;
CREATE INDEX complaints_case ON complaints(case_id) WHERE case_id IS NOT NULL;
CREATE INDEX complaints_created ON complaints(created_at);

CREATE TABLE complaint_events (
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    seq          INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    at           INTEGER NOT NULL,
    actor_id     INTEGER NOT NULL,
    actor_label  TEXT NOT NULL,
    detail       TEXT NOT NULL, -- JSON: text, department, days, level
    PRIMARY KEY (complaint_id, seq)
) WITHOUT ROWID;

-- Answers returned to the 12345 hotline, read by it as a feed.
CREATE TABLE hotline_answers (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    ticket_no   TEXT NOT NULL,
    ref         TEXT NOT NULL,
    answer      TEXT NOT NULL,
    answered_at INTEGER NOT NULL
);
