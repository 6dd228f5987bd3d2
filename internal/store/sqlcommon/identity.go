package sqlcommon

import (
	"strings"

	"openhall/internal/identity"
)

// UserColumns are the columns ScanUser reads.
const UserColumns = `id, kind, username, name, id_number, credit_code, contact_name, phone, email, password_hash, disabled, created_at, updated_at`

// ScanUser reads UserColumns, then any extra columns into extra.
func ScanUser(r Scanner, extra ...any) (*identity.User, error) {
	var u identity.User
	dest := []any{&u.ID, &u.Kind, &u.Username, &u.Name, &u.IDNumber, &u.CreditCode, &u.ContactName, &u.Phone,
		&u.Email, &u.PasswordHash, &u.Disabled, Time(&u.CreatedAt), Time(&u.UpdatedAt)}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	return &u, nil
}

// UserWhere is the WHERE clause of an account list.
func UserWhere(d Dialect, f identity.UserFilter) *Where {
	w := NewWhere(d)
	if f.Kind != nil {
		w.Add("kind = ?", *f.Kind)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.Add("(" + w.Contains("username", q) + " OR " + w.Contains("name", q) + ")")
	}
	return w
}

// GrantColumns are the columns GrantCells receives, from GrantFrom.
const GrantColumns = `g.id, g.user_id, g.role, g.region_id, g.department_id, COALESCE(r.path, ''), COALESCE(r.name, ''), COALESCE(d.name, ''), g.created_by, g.created_at`

// GrantFrom joins a grant to its region and department.
const GrantFrom = ` FROM role_grants g LEFT JOIN regions r ON r.id = g.region_id LEFT JOIN departments d ON d.id = g.department_id`

// ScanGrant reads GrantColumns.
func ScanGrant(r Scanner) (*identity.Grant, error) {
	var c GrantCells
	if err := r.Scan(c.Dest()...); err != nil {
		return nil, err
	}
	return c.Grant(), nil
}

// GrantCells receives GrantColumns, which are all NULL in a row of an
// outer join that found no grant.
type GrantCells struct {
	g                     identity.Grant
	id, userID, createdBy *int64
	role                  *string
}

// Dest is the scan destinations of GrantColumns.
func (c *GrantCells) Dest() []any {
	return []any{&c.id, &c.userID, &c.role, &c.g.RegionID, &c.g.DepartmentID, &c.g.RegionPath, &c.g.RegionName,
		&c.g.DeptName, &c.createdBy, Time(&c.g.CreatedAt)}
}

// Grant is the grant read, or nil when the row held none.
func (c *GrantCells) Grant() *identity.Grant {
	if c.id == nil {
		return nil
	}
	g := c.g
	g.ID, g.UserID, g.Role, g.CreatedBy = *c.id, *c.userID, identity.Role(*c.role), *c.createdBy
	return &g
}

// SessionColumns are the columns SessionDest receives.
const SessionColumns = `id, user_id, created_at, last_seen_at, expires_at, address, user_agent`

// SessionDest is the scan destinations of SessionColumns into ss.
func SessionDest(ss *identity.Session) []any {
	return []any{&ss.ID, &ss.UserID, Time(&ss.CreatedAt), Time(&ss.LastSeenAt), Time(&ss.ExpiresAt), &ss.Address, &ss.UserAgent}
}

// SessionActorQuery reads a session (its id the placeholder id) with its
// user and the user's grants: one row per grant in grant order, or one row
// of NULL grant columns for a user without grants.
func SessionActorQuery(id string) string {
	return `SELECT ` + Qualify("u", UserColumns) + `, ` + Qualify("s", SessionColumns) + `, ` + GrantColumns + `
	FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN role_grants g ON g.user_id = u.id
	LEFT JOIN regions r ON r.id = g.region_id LEFT JOIN departments d ON d.id = g.department_id
	WHERE s.id = ` + id + ` ORDER BY g.id`
}

// SessionActorRow is one row of SessionActorQuery; Grant is nil when the
// user has no grant.
type SessionActorRow struct {
	Session *identity.Session
	User    *identity.User
	Grant   *identity.Grant
}

// ScanSessionActor reads one row of SessionActorQuery.
func ScanSessionActor(r Scanner) (SessionActorRow, error) {
	var ss identity.Session
	var gc GrantCells
	u, err := ScanUser(r, append(SessionDest(&ss), gc.Dest()...)...)
	if err != nil {
		return SessionActorRow{}, err
	}
	return SessionActorRow{Session: &ss, User: u, Grant: gc.Grant()}, nil
}

// SessionGrants gathers the grants of the rows (nil when there are none,
// as a user's grant list is).
func SessionGrants(rows []SessionActorRow) []*identity.Grant {
	var out []*identity.Grant
	for _, r := range rows {
		if r.Grant != nil {
			out = append(out, r.Grant)
		}
	}
	return out
}

// Qualify prefixes each column of a column list with a table alias.
func Qualify(alias, columns string) string {
	return alias + "." + strings.ReplaceAll(columns, ", ", ", "+alias+".")
}
