-- The service catalogue (事项目录): items, their versions, status events and
-- attached files. A version's guide is JSON; the item row carries a listing
-- copy of the latest published guide for browsing and search. Civil dates
-- are 'YYYY-MM-DD' text, '' for none; times are Unix microseconds.

CREATE TABLE catalog_items (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL,
    impl_code     TEXT NOT NULL UNIQUE,
    region_id     INTEGER NOT NULL REFERENCES regions(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'active', 'suspended', 'cancelled')),
    status_reason TEXT NOT NULL DEFAULT '',
    status_date   TEXT NOT NULL DEFAULT '',
    published_id  INTEGER,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL,
    level         TEXT NOT NULL,
    audiences     TEXT NOT NULL, -- ',1,2,'
    for_person    INTEGER NOT NULL,
    for_legal     INTEGER NOT NULL,
    themes        TEXT NOT NULL, -- ',生育收养,户籍办理,'
    kind          TEXT NOT NULL,
    promised_n    INTEGER NOT NULL,
    promised_unit TEXT NOT NULL,
    online        INTEGER NOT NULL,
    search_name   TEXT NOT NULL,
    search_text   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (region_id, code)
);
CREATE INDEX catalog_items_department ON catalog_items(department_id);
CREATE INDEX catalog_items_name ON catalog_items(name);

CREATE TABLE catalog_versions (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES catalog_items(id),
    number         INTEGER NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'rejected', 'published')),
    guide          TEXT NOT NULL,
    effective_date TEXT NOT NULL DEFAULT '',
    changes        TEXT NOT NULL DEFAULT '[]',
    review_note    TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL,
    submitted_by   TEXT NOT NULL DEFAULT '',
    reviewed_by    TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    submitted_at   INTEGER NOT NULL DEFAULT 0,
    reviewed_at    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (item_id, number)
);
-- At most one version under work per item.
CREATE UNIQUE INDEX catalog_versions_open ON catalog_versions(item_id) WHERE state <> 'published';
CREATE INDEX catalog_versions_effective ON catalog_versions(item_id, effective_date) WHERE state = 'published';

-- A published version is what cases were filed under: it never changes
-- and is never deleted, whatever the application does.
CREATE TRIGGER catalog_versions_frozen BEFORE UPDATE ON catalog_versions WHEN OLD.state = 'published'
BEGIN SELECT RAISE(ABORT, 'published catalogue version is immutable'); END;
CREATE TRIGGER catalog_versions_kept BEFORE DELETE ON catalog_versions
BEGIN SELECT RAISE(ABORT, 'catalogue versions are never deleted'); END;
CREATE TRIGGER catalog_items_kept BEFORE DELETE ON catalog_items
BEGIN SELECT RAISE(ABORT, 'catalogue items are never deleted'); END;

CREATE TABLE catalog_events (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES catalog_items(id),
    kind       TEXT NOT NULL CHECK (kind IN ('suspend', 'resume', 'cancel')),
    date       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX catalog_events_item ON catalog_events(item_id);

CREATE TABLE catalog_files (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_by   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
