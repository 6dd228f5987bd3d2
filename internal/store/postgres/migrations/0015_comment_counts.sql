-- The counts of a consultation's comments per section, status and verdict,
-- shown on every page of the consultation, kept by a trigger as comments
-- are added, moderated and answered, instead of counted over all its
-- comments on every view.
CREATE TABLE consultation_comment_counts (
    consultation_id bigint NOT NULL,
    section         integer NOT NULL,
    status          text NOT NULL,
    verdict         text NOT NULL,
    n               integer NOT NULL,
    PRIMARY KEY (consultation_id, section, status, verdict)
);

INSERT INTO consultation_comment_counts (consultation_id, section, status, verdict, n)
SELECT consultation_id, section, status, verdict, count(*) FROM consultation_comments
GROUP BY consultation_id, section, status, verdict;

CREATE FUNCTION consultation_comments_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE consultation_comment_counts SET n = n - 1 WHERE consultation_id = OLD.consultation_id
            AND section = OLD.section AND status = OLD.status AND verdict = OLD.verdict;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO consultation_comment_counts (consultation_id, section, status, verdict, n)
        VALUES (NEW.consultation_id, NEW.section, NEW.status, NEW.verdict, 1)
        ON CONFLICT (consultation_id, section, status, verdict) DO UPDATE SET n = consultation_comment_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER consultation_comments_counted AFTER INSERT OR DELETE ON consultation_comments
    FOR EACH ROW EXECUTE FUNCTION consultation_comments_count();
CREATE TRIGGER consultation_comments_recounted AFTER UPDATE OF consultation_id, section, status, verdict ON consultation_comments
    FOR EACH ROW WHEN ((OLD.consultation_id, OLD.section, OLD.status, OLD.verdict)
        IS DISTINCT FROM (NEW.consultation_id, NEW.section, NEW.status, NEW.verdict))
    EXECUTE FUNCTION consultation_comments_count();

-- The counts come from the table above now.
DROP INDEX consultation_comments_counts;
