-- Supporting modules: electronic certificates and their signing keys, and
-- notifications with their delivery markers. Times are Unix microseconds
-- (UTC), NULL where a state has not happened yet.

-- One SM2 key pair per service centre at a time (the unified 审批专用章).
-- The private key is sealed with SM4-GCM under the configured KEK; retired
-- keys stay for verifying the certificates they signed.
CREATE TABLE cert_keys (
    id          INTEGER PRIMARY KEY,
    centre_id   INTEGER NOT NULL REFERENCES centres(id),
    algorithm   TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    sealed      BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER NOT NULL,
    retired_at  INTEGER
);
CREATE UNIQUE INDEX cert_keys_active ON cert_keys(centre_id) WHERE retired_at IS NULL;

-- Issued certificates; data is the signed content as JSON.
CREATE TABLE certificates (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    centre_id      INTEGER NOT NULL REFERENCES centres(id),
    key_id         INTEGER NOT NULL REFERENCES cert_keys(id),
    holder_user_id INTEGER REFERENCES users(id),
    case_number    TEXT NOT NULL DEFAULT '',
    data           TEXT NOT NULL,
    signature      BLOB NOT NULL,
    issued_at      INTEGER NOT NULL,
    issued_by      INTEGER NOT NULL,
    revoked_at     INTEGER,
    revoked_by     INTEGER,
    revoke_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_case ON certificates(case_number) WHERE case_number <> '';
CREATE INDEX certificates_holder ON certificates(holder_user_id) WHERE holder_user_id IS NOT NULL;

-- The in-app inbox. The partial index keeps the header's unread count one
-- index range scan per page view.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    email      INTEGER NOT NULL DEFAULT 0,
    sms        INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

-- One row per notification and channel once delivered (or skipped), so a
-- retried delivery job never sends twice after a success.
CREATE TABLE notification_deliveries (
    notification_id INTEGER NOT NULL REFERENCES notifications(id),
    channel         TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    at              INTEGER NOT NULL,
    PRIMARY KEY (notification_id, channel)
);
