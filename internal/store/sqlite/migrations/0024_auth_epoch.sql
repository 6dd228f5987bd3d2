-- A number that moves whenever what authenticates a request may have
-- changed: a session ended, an account changed, a grant given or taken, a
-- region or department renamed. A node keeps the sessions it authenticated
-- with the number read before them, and reads a session again only when
-- the number has moved (identity.knownSessions). Triggers move it, so a
-- change made by any process or node, or straight in SQL, is seen.
-- Touching a session (last_seen_at) does not move it.
CREATE TABLE auth_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER auth_epoch_sessions_deleted AFTER DELETE ON sessions
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_sessions_moved AFTER UPDATE OF id, user_id, created_at, expires_at ON sessions
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_users_changed AFTER UPDATE ON users
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_users_deleted AFTER DELETE ON users
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_grants_given AFTER INSERT ON role_grants
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_grants_changed AFTER UPDATE ON role_grants
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_grants_taken AFTER DELETE ON role_grants
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_regions_changed AFTER UPDATE ON regions
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_departments_changed AFTER UPDATE ON departments
    BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
