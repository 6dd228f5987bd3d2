-- The rounds of a complaint: the first, and a second once the complainant
-- reopened it (allowed once). The figures count each round for the
-- department it was assigned to (its latest 转办 up to the round's end;
-- 0 while none), with its answer and the complainant's rating of it:
-- answer_level holds only the latest rating, department_id only the
-- latest 转办. Written with the complaint from complaint.Complaint.Rounds;
-- the existing complaints' rounds are made from their events here, a
-- reopening closing the first.
CREATE TABLE complaint_rounds (
    complaint_id  bigint NOT NULL REFERENCES complaints(id),
    round         smallint NOT NULL,              -- 1, 2 after the reopening
    department_id bigint NOT NULL DEFAULT 0,
    answered      boolean NOT NULL DEFAULT false, -- the desk answered the complainant in it
    level         smallint NOT NULL DEFAULT 0,    -- the complainant's rating of its answer, 1 非常满意 … 5; 0 none
    reopened      boolean NOT NULL DEFAULT false, -- the complainant reopened the complaint after it
    PRIMARY KEY (complaint_id, round)
);
CREATE INDEX complaint_rounds_department ON complaint_rounds(department_id);

-- The rounds of the complaints filed before, from their events.
WITH ev AS (
    SELECT e.complaint_id, e.seq, e.kind, e.detail,
           1 + count(*) FILTER (WHERE e.kind = 'reopened') OVER (PARTITION BY e.complaint_id ORDER BY e.seq
                                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS round
    FROM complaint_events e
), rounds AS (
    SELECT complaint_id, round, max(seq) AS last_seq, bool_or(kind = 'answered') AS answered,
           COALESCE(max((detail->>'level')::smallint) FILTER (WHERE kind = 'rated'), 0) AS level,
           bool_or(kind = 'reopened') AS reopened
    FROM ev GROUP BY complaint_id, round
)
INSERT INTO complaint_rounds (complaint_id, round, department_id, answered, level, reopened)
SELECT complaint_id, round,
       COALESCE((SELECT (e.detail->>'department_id')::bigint FROM complaint_events e
                 WHERE e.complaint_id = rounds.complaint_id AND e.kind = 'assigned' AND e.seq <= rounds.last_seq
                 ORDER BY e.seq DESC LIMIT 1), 0),
       answered, level, reopened
FROM rounds;
