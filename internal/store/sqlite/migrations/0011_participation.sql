-- Public participation and accountability lists: consultations and their
-- comments, surveys and their responses, mailboxes and letters with their
-- events, power lists with their versions and service-item links, and the
-- 双公示 register with its search grams. Civil dates are 'YYYY-MM-DD' text,
-- '' for none; times are Unix microseconds, 0 for none.

CREATE TABLE consultations (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    title         TEXT NOT NULL,
    draft         TEXT NOT NULL,
    sections      TEXT NOT NULL, -- JSON: [{seq, label, text}]
    explanation   TEXT NOT NULL,
    channels      TEXT NOT NULL,
    days          INTEGER NOT NULL,
    short_reason  TEXT NOT NULL,
    real_name     INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'open', 'concluded')),
    opens_on      TEXT NOT NULL DEFAULT '',
    decision      TEXT NOT NULL DEFAULT '',
    result_doc_id INTEGER,
    feedback_on   TEXT NOT NULL DEFAULT '',
    comments      INTEGER NOT NULL DEFAULT 0, -- comments received: the next one's 序号
    created_by    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX consultations_agency ON consultations(agency_id, id);
CREATE INDEX consultations_public ON consultations(status, opens_on);

CREATE TABLE consultation_comments (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    seq             INTEGER NOT NULL,
    section         INTEGER NOT NULL,
    user_id         INTEGER,
    author          TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('published', 'hidden')),
    hidden_reason   TEXT NOT NULL DEFAULT '',
    verdict         TEXT NOT NULL DEFAULT '' CHECK (verdict IN ('', 'adopted', 'partial', 'rejected')),
    reason          TEXT NOT NULL DEFAULT '',
    answered_by     INTEGER NOT NULL DEFAULT 0,
    answered_at     INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    UNIQUE (consultation_id, seq)
);
CREATE INDEX consultation_comments_section ON consultation_comments(consultation_id, section, seq);
-- Covers the counts per section, status and verdict shown on every page.
CREATE INDEX consultation_comments_counts ON consultation_comments(consultation_id, section, status, verdict);

CREATE TABLE surveys (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    title      TEXT NOT NULL,
    intro      TEXT NOT NULL,
    questions  TEXT NOT NULL, -- JSON: [{text, kind, options}]
    opens_on   TEXT NOT NULL DEFAULT '',
    closes_on  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX surveys_agency ON surveys(agency_id, id);

CREATE TABLE survey_responses (
    id         INTEGER PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys(id),
    voter      TEXT NOT NULL, -- u:<account> or d:<hash of the device token>
    answers    TEXT NOT NULL, -- JSON: [{choices, text}]
    created_at INTEGER NOT NULL,
    UNIQUE (survey_id, voter)
);

CREATE TABLE mailboxes (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('leader', 'consult')),
    intro      TEXT NOT NULL,
    days       INTEGER NOT NULL,
    active     INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE letters (
    id           INTEGER PRIMARY KEY,
    mailbox_id   INTEGER NOT NULL REFERENCES mailboxes(id),
    source       TEXT NOT NULL CHECK (source IN ('web', 'hotline')),
    ticket_no    TEXT UNIQUE, -- 12345 工单号; NULL for letters written on the portal
    user_id      INTEGER,
    writer_name  TEXT NOT NULL,
    writer_phone TEXT NOT NULL,
    topic        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    content      TEXT NOT NULL,
    consent      INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'drafted', 'answered', 'rejected')),
    days         INTEGER NOT NULL,
    dept_id      INTEGER REFERENCES departments(id),
    draft        TEXT NOT NULL DEFAULT '',
    answer       TEXT NOT NULL DEFAULT '',
    answer_unit  TEXT NOT NULL DEFAULT '',
    public_text  TEXT NOT NULL DEFAULT '',
    published    INTEGER NOT NULL DEFAULT 0,
    rating       INTEGER NOT NULL DEFAULT 0,
    rating_note  TEXT NOT NULL DEFAULT '',
    received_at  INTEGER NOT NULL,
    answered_at  INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX letters_mailbox ON letters(mailbox_id, status, id);
CREATE INDEX letters_user ON letters(user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX letters_dept ON letters(dept_id, status) WHERE dept_id IS NOT NULL;
CREATE INDEX letters_published ON letters(mailbox_id, answered_at) WHERE published = 1;
CREATE INDEX letters_received ON letters(received_at);

CREATE TABLE letter_events (
    letter_id   INTEGER NOT NULL REFERENCES letters(id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_label TEXT NOT NULL,
    dept_id     INTEGER NOT NULL,
    days        INTEGER NOT NULL,
    note        TEXT NOT NULL,
    PRIMARY KEY (letter_id, seq)
) WITHOUT ROWID;

CREATE TABLE powers (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    code          TEXT NOT NULL,
    published_id  INTEGER,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL,
    search_text   TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (department_id, code)
);

CREATE TABLE power_versions (
    id           INTEGER PRIMARY KEY,
    power_id     INTEGER NOT NULL REFERENCES powers(id),
    number       INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'rejected', 'published', 'superseded')),
    content      TEXT NOT NULL, -- JSON: powers.Content
    note         TEXT NOT NULL DEFAULT '',
    created_by   INTEGER NOT NULL,
    reviewed_by  INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (power_id, number)
);
-- A published version's content never changes; it can only be superseded.
CREATE TRIGGER power_versions_frozen BEFORE UPDATE ON power_versions
WHEN OLD.state = 'published' AND (NEW.content <> OLD.content OR NEW.state NOT IN ('published', 'superseded'))
BEGIN SELECT RAISE(ABORT, 'published power version is immutable'); END;
CREATE TRIGGER power_versions_kept BEFORE DELETE ON power_versions
BEGIN SELECT RAISE(ABORT, 'power versions are never deleted'); END;

CREATE TABLE power_items (
    power_id INTEGER NOT NULL REFERENCES powers(id),
    item_id  INTEGER NOT NULL REFERENCES catalog_items(id),
    PRIMARY KEY (power_id, item_id)
) WITHOUT ROWID;
CREATE INDEX power_items_item ON power_items(item_id);

-- The 双公示 register. key is the sort key (decision day, id): the grams'
-- FTS rowid, so that a page of newest matches stops after the page.
CREATE TABLE publicity_entries (
    id             INTEGER PRIMARY KEY,
    key            INTEGER NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('permit', 'penalty')),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    number         TEXT NOT NULL,
    source         TEXT UNIQUE, -- the case number of a permit; NULL for entered penalties
    title          TEXT NOT NULL,
    holder_kind    TEXT NOT NULL CHECK (holder_kind IN ('legal', 'business', 'person')),
    holder_name    TEXT NOT NULL,
    credit_code    TEXT NOT NULL,
    decided_on     TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT NOT NULL,
    content        TEXT NOT NULL,
    basis          TEXT NOT NULL,
    penalty_kinds  TEXT NOT NULL, -- 、-separated
    fine_fen       INTEGER NOT NULL,
    power_id       INTEGER,
    benchmark_seq  INTEGER NOT NULL,
    outside_reason TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('published', 'revoked', 'withdrawn', 'expired')),
    status_reason  TEXT NOT NULL,
    status_on      TEXT NOT NULL,
    published_on   TEXT NOT NULL,
    public_until   TEXT NOT NULL,
    text           TEXT NOT NULL, -- normalised text the search terms are checked against
    created_by     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (department_id, kind, number)
);
CREATE INDEX publicity_entries_department ON publicity_entries(department_id, key);
CREATE INDEX publicity_entries_kind ON publicity_entries(kind, key);
CREATE INDEX publicity_entries_until ON publicity_entries(public_until) WHERE status = 'published' AND public_until <> '';
CREATE VIRTUAL TABLE publicity_grams USING fts5(grams, content='', contentless_delete=1, detail=none,
    tokenize='unicode61 remove_diacritics 0 tokenchars ''〔〕''');
