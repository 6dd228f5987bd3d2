-- The fold's mark: ratings up to folded_id are in rating_counts and
-- rating_counts_month; newer ones are counted from the ratings table until
-- the background fold adds them (about once a second; the fold and the
-- exclusion of a rating lock this row). Every rating stored so far is
-- already counted.
CREATE TABLE rating_fold (
    id        integer PRIMARY KEY CHECK (id = 1),
    folded_id bigint NOT NULL
);
INSERT INTO rating_fold (id, folded_id) SELECT 1, COALESCE(MAX(id), 0) FROM ratings;
