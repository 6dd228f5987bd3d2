// Package identity owns accounts (natural persons, legal persons, staff),
// staff roles granted on a scope, sessions, passwords and login throttling,
// and the Actor every service receives to decide what the caller may do.
package identity

import (
	"context"
	"strings"
	"time"

	"openhall/internal/audit"
	"openhall/internal/pii"
)

// Kind is the kind of account.
type Kind string

// Account kinds.
const (
	KindPerson Kind = "person" // 自然人
	KindLegal  Kind = "legal"  // 法人及其他组织
	KindStaff  Kind = "staff"  // 工作人员
)

// Label is the Chinese name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindPerson:
		return "自然人"
	case KindLegal:
		return "法人"
	case KindStaff:
		return "工作人员"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindPerson || k == KindLegal || k == KindStaff }

// User is an account.
type User struct {
	ID           int64
	Kind         Kind
	Username     string // login name
	Name         string // real name (person, staff) or organisation name (legal)
	IDNumber     string // 居民身份证号码: required for persons, optional for staff
	CreditCode   string // 统一社会信用代码: legal persons
	ContactName  string // legal persons' contact
	Phone        string
	Email        string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MaskedName is the user's name as shown to people other than the owner and
// the staff who need it.
func (u *User) MaskedName() string {
	if u.Kind == KindPerson {
		return pii.MaskName(u.Name)
	}
	return u.Name
}

// UserFilter selects users; nil fields do not filter.
type UserFilter struct {
	Kind   *Kind
	Query  string // part of username or name
	Offset int
	Limit  int
}

// Grant is a staff role on a scope. A nil RegionID means the whole
// deployment; a DepartmentID narrows the grant to one department.
type Grant struct {
	ID           int64
	UserID       int64
	Role         Role
	RegionID     *int64
	DepartmentID *int64
	RegionPath   string // path of RegionID ("" = everywhere); filled when loaded
	RegionName   string // for display; filled when loaded
	DeptName     string // for display; filled when loaded
	CreatedBy    int64
	CreatedAt    time.Time
}

// Covers reports whether the grant's scope contains the target: a region
// (by path) and, when deptID is not 0, a department in that region.
func (g *Grant) Covers(regionPath string, deptID int64) bool {
	if g.RegionPath != "" && !strings.HasPrefix(regionPath, g.RegionPath) {
		return false
	}
	if g.DepartmentID != nil && *g.DepartmentID != deptID {
		return false
	}
	return true
}

// Within reports whether the grant's scope lies inside other's scope.
func (g *Grant) Within(other *Grant) bool {
	if other.RegionPath != "" && !strings.HasPrefix(g.RegionPath, other.RegionPath) {
		return false
	}
	if other.DepartmentID != nil && (g.DepartmentID == nil || *g.DepartmentID != *other.DepartmentID) {
		return false
	}
	return true
}

// Session is a server-side login session. ID is the SHA-256 of the token
// held in the cookie, so a leaked database does not leak live tokens.
type Session struct {
	ID         []byte
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end
	Address    string
	UserAgent  string
}

// Throttle counts failed logins for one key.
type Throttle struct {
	Key         string
	Failures    int
	WindowStart time.Time
	LockedUntil time.Time
}

// Store is what identity needs from storage. Every method joins the
// transaction in ctx when there is one.
type Store interface {
	CreateUser(ctx context.Context, u *User) error // Conflict on a duplicate username, ID number or credit code
	UpdateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id int64) (*User, error)              // NotFound
	FindUserByUsername(ctx context.Context, username string) (*User, error) // NotFound
	FindUserByIDNumber(ctx context.Context, idNumber string) (*User, error) // NotFound
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)

	CreateGrant(ctx context.Context, g *Grant) error // Conflict on a duplicate grant
	DeleteGrant(ctx context.Context, id int64) error
	FindGrantByID(ctx context.Context, id int64) (*Grant, error)
	FindGrantsByUser(ctx context.Context, userID int64) ([]*Grant, error)

	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, id []byte) (*Session, error) // NotFound
	// FindSessionActor is FindSession, FindUserByID of its user and
	// FindGrantsByUser of that user, read in one query.
	FindSessionActor(ctx context.Context, id []byte) (*Session, *User, []*Grant, error) // NotFound
	// AuthEpoch is a number that moves, in the same transaction, whenever
	// a session ends, an account changes, a grant is given, changed or
	// taken, or a region or department is changed: whatever may change
	// what FindSessionActor returns, except a session's LastSeenAt.
	AuthEpoch(ctx context.Context) (int64, error)
	TouchSession(ctx context.Context, id []byte, at time.Time) error
	DeleteSession(ctx context.Context, id []byte) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error)

	FindThrottle(ctx context.Context, key string) (*Throttle, error) // NotFound
	PutThrottle(ctx context.Context, t *Throttle) error
	DeleteThrottle(ctx context.Context, key string) error
}

// Scopes resolves the regions and departments a grant names.
type Scopes interface {
	RegionPath(ctx context.Context, regionID int64) (path string, err error)                     // NotFound
	DepartmentRegion(ctx context.Context, deptID int64) (regionID int64, path string, err error) // NotFound
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}
