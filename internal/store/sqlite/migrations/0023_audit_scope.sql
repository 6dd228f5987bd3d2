-- A reader of a region or a department reads the audit entries of their
-- scope (audit.Reach): a range of scope per region subtree, and the exact
-- scopes of its centres and departments. Without the index a county's
-- reader walked the whole log backwards for a page it hardly fills.
CREATE INDEX audit_log_scope ON audit_log(scope);
