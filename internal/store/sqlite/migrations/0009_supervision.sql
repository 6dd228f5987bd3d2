-- Electronic supervision (电子监察).

-- One row per watched case: the cases service marks it (in the transaction
-- of every change) and the evaluator keeps its state here: how many events
-- were evaluated, the cards in force and the provisional judgements
-- (state, JSON), when to look again (next_at, NULL for never), and where
-- the case stands for the workbench. A closed case's row goes once nothing
-- about it is pending.
CREATE TABLE supervision_watch (
    case_id       INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,
    region_path   TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    item_code     TEXT NOT NULL,
    item_name     TEXT NOT NULL,
    status        TEXT NOT NULL,
    rev           INTEGER NOT NULL DEFAULT 0, -- bumped by every evaluation written
    version       INTEGER NOT NULL,          -- the case version last marked
    done          INTEGER NOT NULL DEFAULT 0, -- events evaluated
    evaluated     INTEGER NOT NULL DEFAULT 0, -- the version last evaluated
    state         TEXT NOT NULL DEFAULT '{}',
    summary       TEXT NOT NULL DEFAULT '',  -- the columns below in one value (supervision.EncodeSummary)
    next_at       INTEGER,                   -- microseconds; due when <= now
    depts         TEXT NOT NULL DEFAULT '',  -- ",3,7,": the branches' departments
    submitted_at  INTEGER NOT NULL DEFAULT 0,
    accepted_at   INTEGER NOT NULL DEFAULT 0,
    promised_due  TEXT NOT NULL DEFAULT '',
    provisional   INTEGER NOT NULL DEFAULT 0,
    colour        INTEGER NOT NULL DEFAULT 0,
    paused        INTEGER NOT NULL DEFAULT 0,
    overdue       INTEGER NOT NULL DEFAULT 0,
    intake_late   INTEGER NOT NULL DEFAULT 0,
    intake_user   INTEGER NOT NULL DEFAULT 0,
    window_id     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX supervision_watch_due ON supervision_watch(next_at) WHERE next_at IS NOT NULL;
CREATE INDEX supervision_watch_scope ON supervision_watch(region_path, department_id, status, promised_due, paused, overdue, intake_late);

-- Cards (红黄牌): the GB/T 39046 电子监察 data set's 监察编号 (number),
-- 监察规则编号 (rule), 监察预警类型代码 (kind), 状态产生时间 (arose_at),
-- 责任部门 (department) and 监察结果描述 (outcome, resolution).
CREATE TABLE supervision_cards (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    case_id         INTEGER NOT NULL DEFAULT 0,
    case_number     TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    rule            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    colour          INTEGER NOT NULL,
    arose_at        INTEGER NOT NULL,
    provisional     INTEGER NOT NULL DEFAULT 0,
    region_path     TEXT NOT NULL,
    department_id   INTEGER NOT NULL,
    department_name TEXT NOT NULL DEFAULT '',
    user_id         INTEGER NOT NULL DEFAULT 0,
    user_label      TEXT NOT NULL DEFAULT '',
    role            TEXT NOT NULL DEFAULT '',
    detail          TEXT NOT NULL DEFAULT '',
    cleared_at      INTEGER NOT NULL DEFAULT 0,
    outcome         TEXT NOT NULL DEFAULT '',
    manual          INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER NOT NULL DEFAULT 0,
    resolved_at     INTEGER NOT NULL DEFAULT 0,
    resolved_by     INTEGER NOT NULL DEFAULT 0,
    resolution      TEXT NOT NULL DEFAULT '',
    confirmed       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (case_id, subject, colour, arose_at)
);
CREATE INDEX supervision_cards_in_force ON supervision_cards(region_path, department_id, colour) WHERE cleared_at = 0;
CREATE INDEX supervision_cards_arose ON supervision_cards(arose_at);
CREATE INDEX supervision_cards_user ON supervision_cards(user_id, arose_at) WHERE user_id <> 0;

-- 督办: 督办内容 (content), 被督办机构 (department), 督办发出时间 (issued_at).
CREATE TABLE supervision_orders (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    case_id         INTEGER NOT NULL DEFAULT 0,
    case_number     TEXT NOT NULL DEFAULT '',
    region_path     TEXT NOT NULL,
    department_id   INTEGER NOT NULL,
    department_name TEXT NOT NULL,
    content         TEXT NOT NULL,
    level           INTEGER NOT NULL,
    days            INTEGER NOT NULL,
    due             TEXT NOT NULL,
    provisional     INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,
    issued_at       INTEGER NOT NULL,
    issued_by       INTEGER NOT NULL,
    issued_label    TEXT NOT NULL,
    feedback        TEXT NOT NULL DEFAULT '',
    answered_at     INTEGER NOT NULL DEFAULT 0,
    answered_by     INTEGER NOT NULL DEFAULT 0,
    answered_label  TEXT NOT NULL DEFAULT '',
    result          TEXT NOT NULL DEFAULT '',
    closed_at       INTEGER NOT NULL DEFAULT 0,
    closed_by       INTEGER NOT NULL DEFAULT 0,
    closed_label    TEXT NOT NULL DEFAULT '',
    escalated_at    INTEGER NOT NULL DEFAULT 0,
    escalated_to    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_orders_status ON supervision_orders(status, due);
CREATE INDEX supervision_orders_case ON supervision_orders(case_id) WHERE case_id <> 0;

-- 催办: reminders sent to the holders of a case's steps.
CREATE TABLE supervision_urges (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL,
    case_number  TEXT NOT NULL,
    message      TEXT NOT NULL,
    holders      TEXT NOT NULL,
    recipients   INTEGER NOT NULL,
    sent_at      INTEGER NOT NULL,
    sent_by      INTEGER NOT NULL,
    sent_label   TEXT NOT NULL
);
CREATE INDEX supervision_urges_case ON supervision_urges(case_id);

-- The evaluation's monthly counts per centre and department, window or
-- person, added to by every evaluation (so a quarter sums a few rows).
CREATE TABLE supervision_stats (
    centre_id      INTEGER NOT NULL,
    month          TEXT NOT NULL,
    dim            TEXT NOT NULL,
    dim_id         INTEGER NOT NULL,
    received       INTEGER NOT NULL DEFAULT 0,
    accepted       INTEGER NOT NULL DEFAULT 0,
    refused        INTEGER NOT NULL DEFAULT 0,
    supplemented   INTEGER NOT NULL DEFAULT 0,
    decided        INTEGER NOT NULL DEFAULT 0,
    on_time        INTEGER NOT NULL DEFAULT 0,
    early          INTEGER NOT NULL DEFAULT 0,
    used_days      INTEGER NOT NULL DEFAULT 0,
    promised_days  INTEGER NOT NULL DEFAULT 0,
    yellow         INTEGER NOT NULL DEFAULT 0,
    red            INTEGER NOT NULL DEFAULT 0,
    orders         INTEGER NOT NULL DEFAULT 0,
    intake_total   INTEGER NOT NULL DEFAULT 0,
    intake_on_time INTEGER NOT NULL DEFAULT 0,
    steps          INTEGER NOT NULL DEFAULT 0,
    steps_on_time  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (centre_id, month, dim, dim_id)
) WITHOUT ROWID;

-- A centre's card thresholds and evaluation policy (defaults without a row).
CREATE TABLE supervision_rules (
    centre_id        INTEGER PRIMARY KEY,
    yellow_percent   INTEGER NOT NULL,
    yellow_days      INTEGER NOT NULL,
    reason_min_runes INTEGER NOT NULL,
    backfill_minutes INTEGER NOT NULL,
    policy           TEXT NOT NULL,
    updated_by       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- Frozen evaluations of closed periods.
CREATE TABLE supervision_reports (
    id        INTEGER PRIMARY KEY,
    centre_id INTEGER NOT NULL,
    period    TEXT NOT NULL,
    frozen_at INTEGER NOT NULL,
    frozen_by INTEGER NOT NULL,
    by_label  TEXT NOT NULL,
    data      TEXT NOT NULL,
    UNIQUE (centre_id, period)
);

-- The audit chain's end as published each day.
CREATE TABLE supervision_heads (
    date         TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL,
    hash         TEXT NOT NULL,
    published_at INTEGER NOT NULL
);

-- 不予受理 remembered (by a keyed hash of the applicant) to find them
-- followed by the acceptance of the same request.
CREATE TABLE supervision_refusals (
    applicant_key   TEXT NOT NULL,
    item_code       TEXT NOT NULL,
    case_id         INTEGER NOT NULL,
    number          TEXT NOT NULL,
    refused_at      INTEGER NOT NULL,
    department_id   INTEGER NOT NULL,
    department_name TEXT NOT NULL,
    region_path     TEXT NOT NULL,
    user_id         INTEGER NOT NULL,
    user_label      TEXT NOT NULL,
    PRIMARY KEY (applicant_key, item_code, case_id)
) WITHOUT ROWID;

-- Cases open before supervision existed are watched from the start.
INSERT INTO supervision_watch (case_id, number, region_path, department_id, item_code, item_name, status, version, next_at)
SELECT id, number, region_path, department_id, item_code, item_name, status, version, 0
FROM cases WHERE status IN ('submitted', 'supplement', 'review', 'correction') AND number IS NOT NULL;
