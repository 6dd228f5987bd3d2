-- Government information disclosure, third part: publication periods that
-- other laws set for a category of the catalogue (Art 26 of the regulation
-- defers to them). The Art 26 default and the periods built in from law are
-- not stored; an administrator adds the others here.
CREATE TABLE disclosure_publish_rules (
    category TEXT PRIMARY KEY,
    days     INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365),
    calendar BOOLEAN NOT NULL,
    basis    TEXT NOT NULL
);
