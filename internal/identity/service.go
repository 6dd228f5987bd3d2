package identity

import (
	"context"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
)

// Policy holds the session and login rules.
type Policy struct {
	IdleTimeout     time.Duration // session ends after this long without a request
	AbsoluteTimeout time.Duration // and this long after login in any case
	AccountFailures int           // failed logins of one account from one address before that pair is locked
	AddressFailures int           // failed logins from one address, any account, before the address is blocked
	SlowAfter       int           // failed logins of one account, any address, before its logins are slowed down
	SlowMax         time.Duration // the longest wait between two logins of a slowed-down account
	FailureWindow   time.Duration // failures older than this are forgotten
	LockFor         time.Duration // how long a lock lasts

	RegistrationsPerAddress int           // self-registrations from one address …
	RegistrationWindow      time.Duration // … in this long
	Argon2                  Argon2Params
}

// DefaultPolicy is the policy used unless configured otherwise.
func DefaultPolicy() Policy {
	return Policy{
		IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 12 * time.Hour,
		AccountFailures: 5, AddressFailures: 20, SlowAfter: 10, SlowMax: 30 * time.Second,
		FailureWindow: 15 * time.Minute, LockFor: 15 * time.Minute,
		RegistrationsPerAddress: 20, RegistrationWindow: time.Hour,
		Argon2: DefaultArgon2,
	}
}

// Service manages accounts, roles and sessions.
type Service struct {
	store  Store
	scopes Scopes
	tx     Transactor
	audit  Auditor
	policy Policy
	now    func() time.Time
	// dummyHash is checked against when the username is unknown, so that a
	// failed login takes as long whether or not the account exists.
	dummyHash string
	known     *knownSessions // sessions authenticated here, while the auth epoch stands
}

// NewService returns a Service.
func NewService(store Store, scopes Scopes, tx Transactor, auditor Auditor, p Policy, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	dummy, _ := HashPassword("openhall-dummy-password-1", p.Argon2)
	// Times are kept at the microsecond precision both backends store.
	micro := func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	return &Service{store: store, scopes: scopes, tx: tx, audit: auditor, policy: p, now: micro, dummyHash: dummy,
		known: newKnownSessions(micro)}
}

// Policy returns the service's policy.
func (s *Service) Policy() Policy { return s.policy }

// record appends an audit entry for a change to a user, in scope (see
// auditscope.go).
func (s *Service) record(ctx context.Context, a *Actor, scope, action string, userID int64, change any) error {
	return s.audit.Append(ctx, audit.Record{
		Actor: a.Audit(), Scope: scope, Action: action,
		ObjectType: "user", ObjectID: itoa(userID), Change: change,
	})
}

// FindUsers lists accounts for an administrator.
func (s *Service) FindUsers(ctx context.Context, a *Actor, f UserFilter) ([]*User, int, error) {
	if err := CanViewUsers(a); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if !a.IsGlobalAdmin() {
		staff := KindStaff // public accounts are the global administrators' business
		f.Kind = &staff
	}
	return s.store.FindUsers(ctx, f)
}

// FindUser returns an account and its roles for an administrator or the
// account's owner.
func (s *Service) FindUser(ctx context.Context, a *Actor, id int64) (*User, []*Grant, error) {
	if a == nil || (a.UserID != id && CanViewUsers(a) != nil) {
		return nil, nil, apperr.New(apperr.Forbidden, "无权查看该账号")
	}
	u, err := s.store.FindUserByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	grants, err := s.store.FindGrantsByUser(ctx, id)
	return u, grants, err
}

// GrantRole gives a staff account a role on a scope.
func (s *Service) GrantRole(ctx context.Context, a *Actor, in GrantInput) (*Grant, error) {
	g, err := s.resolveGrant(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := CanGrant(a, g); err != nil {
		return nil, err
	}
	if err := CanGrantTo(a, g); err != nil {
		return nil, err
	}
	g.CreatedBy, g.CreatedAt = a.UserID, s.now().UTC()
	var saved *Grant
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		saved = nil
		u, err := s.store.FindUserByID(ctx, g.UserID)
		if err != nil {
			return err
		}
		if u.Kind != KindStaff {
			return apperr.Field("user_id", "只能给工作人员账号授予角色")
		}
		fresh := *g // the first run's insert must not leave its ID on g
		if err := s.store.CreateGrant(ctx, &fresh); err != nil {
			return err
		}
		if err := s.record(ctx, a, grantScope(&fresh), "identity.grant.create", fresh.UserID, grantChange(&fresh)); err != nil {
			return err
		}
		saved, err = s.store.FindGrantByID(ctx, fresh.ID) // with the scope's names
		return err
	})
	return saved, err
}

// RevokeRole removes a grant.
func (s *Service) RevokeRole(ctx context.Context, a *Actor, grantID int64) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		g, err := s.store.FindGrantByID(ctx, grantID)
		if err != nil {
			return err
		}
		if err := CanRevoke(a, g); err != nil {
			return err
		}
		if err := s.store.DeleteGrant(ctx, grantID); err != nil {
			return err
		}
		return s.record(ctx, a, grantScope(g), "identity.grant.delete", g.UserID, grantChange(g))
	})
}

func grantChange(g *Grant) map[string]any {
	return map[string]any{"grant_id": g.ID, "role": g.Role, "region_id": g.RegionID, "department_id": g.DepartmentID}
}

// resolveGrant validates a grant request and fills the scope's path.
func (s *Service) resolveGrant(ctx context.Context, in GrantInput) (*Grant, error) {
	var f apperr.Fields
	role := Role(in.Role)
	f.Check(!role.Grantable(), "role", "请选择有效的角色")
	f.Check(role.NeedsDepartment() && in.DepartmentID == nil, "department_id", role.Label()+"须指定所在部门")
	f.Check(role.NeedsRegion() && in.RegionID == nil && in.DepartmentID == nil, "region_id", role.Label()+"须指定管辖区域")
	if err := f.Err(); err != nil {
		return nil, err
	}
	g := &Grant{UserID: in.UserID, Role: role, RegionID: in.RegionID, DepartmentID: in.DepartmentID}
	return g, s.fillScope(ctx, g)
}

// fillScope sets RegionPath, taking the department's region when only a
// department is given and refusing a department outside the given region.
func (s *Service) fillScope(ctx context.Context, g *Grant) error {
	if g.DepartmentID != nil {
		regionID, path, err := s.scopes.DepartmentRegion(ctx, *g.DepartmentID)
		if err != nil {
			return apperr.Field("department_id", "所选部门不存在")
		}
		if g.RegionID != nil && *g.RegionID != regionID {
			return apperr.Field("department_id", "所选部门不属于所选区域")
		}
		g.RegionID, g.RegionPath = &regionID, path
		return nil
	}
	if g.RegionID != nil {
		path, err := s.scopes.RegionPath(ctx, *g.RegionID)
		if err != nil {
			return apperr.Field("region_id", "所选区域不存在")
		}
		g.RegionPath = path
	}
	return nil
}
