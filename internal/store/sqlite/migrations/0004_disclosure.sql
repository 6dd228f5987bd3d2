-- Government information disclosure: agencies (公开主体), the catalogue with
-- its 保密审查 records and attachments, requests with their clock events,
-- annual reports, and the portal's search index. Civil dates are
-- 'YYYY-MM-DD' text ('' = none); times are Unix microseconds.

CREATE TABLE disclosure_agencies (
    id             INTEGER PRIMARY KEY,
    region_id      INTEGER NOT NULL REFERENCES regions(id),
    department_id  INTEGER REFERENCES departments(id),
    name           TEXT NOT NULL UNIQUE,
    code           TEXT NOT NULL,
    index_template TEXT NOT NULL,
    guide          TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    hours          TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE disclosure_docs (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    index_no       TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL,
    doc_no         TEXT NOT NULL DEFAULT '',
    topic          TEXT NOT NULL,
    genre          TEXT NOT NULL,
    category       TEXT NOT NULL,
    validity       TEXT NOT NULL,
    validity_on    TEXT NOT NULL DEFAULT '',
    replaced_by    INTEGER REFERENCES disclosure_docs(id),
    summary        TEXT NOT NULL DEFAULT '',
    body_format    TEXT NOT NULL,
    body_source    TEXT NOT NULL DEFAULT '',
    body_html      TEXT NOT NULL DEFAULT '',
    mode           TEXT NOT NULL,
    withhold_basis TEXT NOT NULL DEFAULT '',
    formed_on      TEXT NOT NULL,
    published_on   TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    needs_interp   INTEGER NOT NULL DEFAULT 0,
    interprets_id  INTEGER REFERENCES disclosure_docs(id),
    rereview_on    TEXT NOT NULL DEFAULT '',
    created_by     INTEGER NOT NULL,
    approved_by    INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX disclosure_docs_index_no ON disclosure_docs(agency_id, index_no) WHERE index_no <> '';
CREATE INDEX disclosure_docs_agency ON disclosure_docs(agency_id, status, published_on);
CREATE INDEX disclosure_docs_interprets ON disclosure_docs(interprets_id) WHERE interprets_id IS NOT NULL;
CREATE INDEX disclosure_docs_doc_no ON disclosure_docs(doc_no) WHERE doc_no <> '';

-- Sequence numbers of 索引号 per agency and period (year, month or 'all').
CREATE TABLE disclosure_index_seq (
    agency_id INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    period    TEXT NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (agency_id, period)
);

CREATE TABLE disclosure_reviews (
    id            INTEGER PRIMARY KEY,
    doc_id        INTEGER NOT NULL REFERENCES disclosure_docs(id),
    reviewer_id   INTEGER NOT NULL,
    reviewer_name TEXT NOT NULL,
    reviewed_on   TEXT NOT NULL,
    conclusion    TEXT NOT NULL,
    basis         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);
CREATE INDEX disclosure_reviews_doc ON disclosure_reviews(doc_id);

CREATE TABLE disclosure_attachments (
    id           INTEGER PRIMARY KEY,
    owner_type   TEXT NOT NULL CHECK (owner_type IN ('doc', 'request')),
    owner_id     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    text         TEXT NOT NULL DEFAULT '',
    content      BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX disclosure_attachments_owner ON disclosure_attachments(owner_type, owner_id);

CREATE TABLE disclosure_requests (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    number         TEXT NOT NULL UNIQUE,
    user_id        INTEGER NOT NULL DEFAULT 0,
    applicant_kind TEXT NOT NULL,
    applicant_type TEXT NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    id_type        TEXT NOT NULL DEFAULT '',
    id_number      TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    delivery       TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL,
    submitted_at   INTEGER NOT NULL,
    received_on    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    answer         TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    answered_on    TEXT NOT NULL DEFAULT '',
    refer_to       TEXT NOT NULL DEFAULT '',
    answer_text    TEXT NOT NULL DEFAULT '',
    missing        TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX disclosure_requests_agency ON disclosure_requests(agency_id, status);
CREATE INDEX disclosure_requests_received ON disclosure_requests(agency_id, received_on);
CREATE INDEX disclosure_requests_answered ON disclosure_requests(agency_id, answered_on);
CREATE INDEX disclosure_requests_user ON disclosure_requests(user_id) WHERE user_id <> 0;

CREATE TABLE disclosure_request_seq (
    agency_id INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (agency_id, year)
);

CREATE TABLE disclosure_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES disclosure_requests(id),
    kind       TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    days       INTEGER NOT NULL DEFAULT 0,
    amount     INTEGER NOT NULL DEFAULT 0,
    party      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    actor_id   INTEGER NOT NULL,
    actor_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX disclosure_events_request ON disclosure_events(request_id, id);
CREATE INDEX disclosure_events_remedy ON disclosure_events(kind, on_date) WHERE kind = 'remedy';

CREATE TABLE disclosure_reports (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES disclosure_agencies(id),
    year        INTEGER NOT NULL,
    section1    TEXT NOT NULL DEFAULT '',
    section5    TEXT NOT NULL DEFAULT '',
    section6    TEXT NOT NULL DEFAULT '',
    permits     INTEGER NOT NULL DEFAULT 0,
    penalties   INTEGER NOT NULL DEFAULT 0,
    enforcement INTEGER NOT NULL DEFAULT 0,
    fees_wan    TEXT NOT NULL DEFAULT '',
    doc_id      INTEGER REFERENCES disclosure_docs(id),
    snapshot    BLOB,
    updated_at  INTEGER NOT NULL,
    UNIQUE (agency_id, year)
);

-- The portal's search index (see internal/disclosure/search). id is the
-- sort key (date, kind, ref): FTS5 reads matches in rowid order, so a page
-- of newest hits stops after the page. The FTS tables are contentless and
-- hold only rowids per gram (detail=none); the substring checks run on
-- text and title_text.
CREATE TABLE search_entries (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref        INTEGER NOT NULL,
    scope      INTEGER NOT NULL,
    category   TEXT NOT NULL,
    topic      TEXT NOT NULL,
    validity   TEXT NOT NULL,
    year       INTEGER NOT NULL,
    date       TEXT NOT NULL,
    title      TEXT NOT NULL,
    number     TEXT NOT NULL,
    url        TEXT NOT NULL,
    text       TEXT NOT NULL,
    title_text TEXT NOT NULL,
    UNIQUE (kind, ref)
);
CREATE VIRTUAL TABLE search_grams USING fts5(grams, content='', contentless_delete=1, detail=none,
    tokenize='unicode61 remove_diacritics 0 tokenchars ''〔〕''');
CREATE VIRTUAL TABLE search_title_grams USING fts5(grams, content='', contentless_delete=1, detail=none,
    tokenize='unicode61 remove_diacritics 0 tokenchars ''〔〕''');
