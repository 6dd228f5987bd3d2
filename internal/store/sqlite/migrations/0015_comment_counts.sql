-- The counts of a consultation's comments per section, status and verdict,
-- shown on every page of the consultation, kept by triggers as comments are
-- added, moderated and answered, instead of counted over all its comments
-- on every view.
CREATE TABLE consultation_comment_counts (
    consultation_id INTEGER NOT NULL,
    section         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, section, status, verdict)
) WITHOUT ROWID;

INSERT INTO consultation_comment_counts (consultation_id, section, status, verdict, n)
SELECT consultation_id, section, status, verdict, count(*) FROM consultation_comments
GROUP BY consultation_id, section, status, verdict;

CREATE TRIGGER consultation_comments_counted AFTER INSERT ON consultation_comments BEGIN
    INSERT INTO consultation_comment_counts (consultation_id, section, status, verdict, n)
    VALUES (NEW.consultation_id, NEW.section, NEW.status, NEW.verdict, 1)
    ON CONFLICT (consultation_id, section, status, verdict) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER consultation_comments_recounted AFTER UPDATE OF consultation_id, section, status, verdict ON consultation_comments
WHEN OLD.consultation_id IS NOT NEW.consultation_id OR OLD.section IS NOT NEW.section OR OLD.status IS NOT NEW.status
    OR OLD.verdict IS NOT NEW.verdict
BEGIN
    UPDATE consultation_comment_counts SET n = n - 1 WHERE consultation_id = OLD.consultation_id AND section = OLD.section
        AND status = OLD.status AND verdict = OLD.verdict;
    INSERT INTO consultation_comment_counts (consultation_id, section, status, verdict, n)
    VALUES (NEW.consultation_id, NEW.section, NEW.status, NEW.verdict, 1)
    ON CONFLICT (consultation_id, section, status, verdict) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER consultation_comments_uncounted AFTER DELETE ON consultation_comments BEGIN
    UPDATE consultation_comment_counts SET n = n - 1 WHERE consultation_id = OLD.consultation_id AND section = OLD.section
        AND status = OLD.status AND verdict = OLD.verdict;
END;

-- The counts come from the table above now.
DROP INDEX consultation_comments_counts;
