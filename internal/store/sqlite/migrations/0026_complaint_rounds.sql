-- The rounds of a complaint: the first, and a second once the complainant
-- reopened it (allowed once). The figures count each round for the
-- department it was assigned to (its latest 转办 up to the round's end;
-- 0 while none), with its answer and the complainant's rating of it:
-- answer_level holds only the latest rating, department_id only the
-- latest 转办. Written with the complaint from complaint.Complaint.Rounds;
-- the existing complaints' rounds are made from their events here, a
-- reopening closing the first.
CREATE TABLE complaint_rounds (
    complaint_id  INTEGER NOT NULL REFERENCES complaints(id),
    round         INTEGER NOT NULL,           -- 1, 2 after the reopening
    department_id INTEGER NOT NULL DEFAULT 0,
    answered      INTEGER NOT NULL DEFAULT 0, -- the desk answered the complainant in it
    level         INTEGER NOT NULL DEFAULT 0, -- the complainant's rating of its answer, 1 非常满意 … 5; 0 none
    reopened      INTEGER NOT NULL DEFAULT 0, -- the complainant reopened the complaint after it
    PRIMARY KEY (complaint_id, round)
) WITHOUT ROWID;
CREATE INDEX complaint_rounds_department ON complaint_rounds(department_id);

-- The rounds of the complaints filed before, from their events.
INSERT INTO complaint_rounds (complaint_id, round, department_id, answered, level, reopened)
WITH ev AS (
    SELECT e.complaint_id, e.seq, e.kind, e.detail,
           1 + (SELECT count(*) FROM complaint_events r
                WHERE r.complaint_id = e.complaint_id AND r.kind = 'reopened' AND r.seq < e.seq) AS round
    FROM complaint_events e
), rounds AS (
    SELECT complaint_id, round, max(seq) AS last_seq, max(kind = 'answered') AS answered,
           COALESCE(max(CASE WHEN kind = 'rated' THEN json_extract(detail, '$.level') END), 0) AS level,
           max(kind = 'reopened') AS reopened
    FROM ev GROUP BY complaint_id, round
)
SELECT complaint_id, round,
       COALESCE((SELECT json_extract(e.detail, '$.department_id') FROM complaint_events e
                 WHERE e.complaint_id = rounds.complaint_id AND e.kind = 'assigned' AND e.seq <= rounds.last_seq
                 ORDER BY e.seq DESC LIMIT 1), 0),
       answered, level, reopened
FROM rounds;
