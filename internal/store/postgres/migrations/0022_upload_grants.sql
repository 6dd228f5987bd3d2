-- Which account uploaded which file: a file is named by its SHA-256 in a
-- filing, a supplement or a form shown again, and only an account that
-- uploaded it (or has it among its own cases' materials) may name it.
CREATE TABLE upload_grants (
    user_id bigint NOT NULL,
    sha256  text NOT NULL,
    at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, sha256)
);
