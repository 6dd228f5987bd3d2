package identity

import (
	"fmt"

	"openhall/internal/audit"
)

// Actor is the authenticated user a request acts for. Services receive it
// explicitly and decide with it; handlers only gate coarse access.
type Actor struct {
	UserID   int64
	Kind     Kind
	Username string
	Name     string
	Grants   []*Grant

	// account is the user record the actor was authenticated from, so
	// that the request need not read it again; nil for actors made
	// otherwise. A pointer, so printing an actor never prints its fields.
	account *User
}

// Account returns the user record the actor was authenticated from in this
// request, or nil.
func (a *Actor) Account() *User {
	if a == nil {
		return nil
	}
	return a.account
}

// Audit returns how the actor appears in the audit log: staff by name,
// citizens and companies masked.
func (a *Actor) Audit() audit.Actor {
	if a == nil || a.UserID == 0 {
		return audit.System
	}
	label := a.Name
	if a.Kind == KindPerson {
		u := User{Kind: a.Kind, Name: a.Name}
		label = u.MaskedName()
	}
	return audit.Actor{ID: a.UserID, Label: fmt.Sprintf("%s（%s）", label, a.Username)}
}

// IsStaff reports whether the actor is a staff member.
func (a *Actor) IsStaff() bool { return a != nil && a.Kind == KindStaff }

// IsPublic reports whether the actor is a citizen or company.
func (a *Actor) IsPublic() bool { return a != nil && (a.Kind == KindPerson || a.Kind == KindLegal) }

// Has reports whether the actor holds role anywhere.
func (a *Actor) Has(role Role) bool {
	if a == nil {
		return false
	}
	if role == RolePublic {
		return a.IsPublic()
	}
	for _, g := range a.Grants {
		if g.Role == role {
			return true
		}
	}
	return false
}

// HasIn reports whether the actor holds role on a scope covering the
// region (by path) and department (0 for none).
func (a *Actor) HasIn(role Role, regionPath string, deptID int64) bool {
	return a.grantFor(role, regionPath, deptID) != nil
}

func (a *Actor) grantFor(role Role, regionPath string, deptID int64) *Grant {
	if a == nil {
		return nil
	}
	for _, g := range a.Grants {
		if g.Role == role && g.Covers(regionPath, deptID) {
			return g
		}
	}
	return nil
}

// Roles lists the distinct roles the actor holds, public first.
func (a *Actor) Roles() []Role {
	if a == nil {
		return nil
	}
	var out []Role
	if a.IsPublic() {
		out = append(out, RolePublic)
	}
	for _, r := range StaffRoles {
		if a.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// IsGlobalAdmin reports whether the actor administers the whole deployment.
func (a *Actor) IsGlobalAdmin() bool {
	return a.grantFor(RoleSysAdmin, "", 0) != nil // only an unscoped grant covers the empty path
}
