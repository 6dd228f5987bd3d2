-- A number that moves whenever what authenticates a request may have
-- changed: a session ended, an account changed, a grant given or taken, a
-- region or department renamed. A node keeps the sessions it authenticated
-- with the number read before them, and reads a session again only when
-- the number has moved (identity.knownSessions). Triggers move it, so a
-- change made by any node, or straight in SQL, is seen. Touching a session
-- (last_seen_at) does not move it.
CREATE TABLE auth_epoch (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 0);

-- One update per statement that changed rows, not one per row: the
-- clean-up of expired sessions may end thousands at once.
CREATE FUNCTION auth_epoch_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE auth_epoch SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;

CREATE FUNCTION auth_epoch_move_if_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM gone) THEN
        UPDATE auth_epoch SET n = n + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER auth_epoch_sessions_deleted AFTER DELETE ON sessions
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_move_if_gone();
CREATE TRIGGER auth_epoch_sessions_moved AFTER UPDATE OF id, user_id, created_at, expires_at ON sessions
    FOR EACH ROW EXECUTE FUNCTION auth_epoch_move();
CREATE TRIGGER auth_epoch_users_changed AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION auth_epoch_move();
CREATE TRIGGER auth_epoch_grants_changed AFTER INSERT OR UPDATE OR DELETE ON role_grants
    FOR EACH ROW EXECUTE FUNCTION auth_epoch_move();
CREATE TRIGGER auth_epoch_regions_changed AFTER UPDATE ON regions
    FOR EACH ROW EXECUTE FUNCTION auth_epoch_move();
CREATE TRIGGER auth_epoch_departments_changed AFTER UPDATE ON departments
    FOR EACH ROW EXECUTE FUNCTION auth_epoch_move();
