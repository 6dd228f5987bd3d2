package identity

import (
	"openhall/internal/apperr"
	"openhall/internal/audit"
)

// Authorization rules of this package, one function per rule. Each returns
// nil or a Forbidden error with a message saying what is missing.

// SystemActor is the actor of the command line and the demo loader: a
// system administrator over the whole deployment.
func SystemActor() *Actor {
	return &Actor{UserID: 0, Kind: KindStaff, Username: "system", Name: "系统",
		Grants: []*Grant{{Role: RoleSysAdmin}}}
}

// CanViewUsers: any system administrator may list accounts.
func CanViewUsers(a *Actor) error {
	if !a.Has(RoleSysAdmin) {
		return apperr.New(apperr.Forbidden, "只有系统管理员可以查看账号")
	}
	return nil
}

// CanManageUser: a system administrator may manage a staff account when every
// role the account holds lies within one of the administrator's own scopes;
// public accounts are managed by global administrators only.
func CanManageUser(a *Actor, u *User, grants []*Grant) error {
	if err := CanViewUsers(a); err != nil {
		return err
	}
	if u.Kind != KindStaff && !a.IsGlobalAdmin() {
		return apperr.New(apperr.Forbidden, "公众账号只能由全局系统管理员管理")
	}
	for _, g := range grants {
		if adminOver(a, g) == nil {
			return apperr.New(apperr.Forbidden, "该工作人员在您的管理范围之外还有角色（%s），不能由您修改", g.Role.Label())
		}
	}
	return nil
}

// CanGrant: a system administrator may grant (or revoke) a role only on a
// scope inside one of their own system-administrator scopes.
func CanGrant(a *Actor, g *Grant) error {
	if !a.Has(RoleSysAdmin) {
		return apperr.New(apperr.Forbidden, "只有系统管理员可以授予或撤销角色")
	}
	if adminOver(a, g) == nil {
		return apperr.New(apperr.Forbidden, "不能在您的管理范围之外授予或撤销角色")
	}
	return nil
}

// CanRevoke: a grant is revoked by an administrator over its scope
// (CanGrant), and never by its own holder when it is their administrator
// role, so that no deployment is left without one by a slip.
func CanRevoke(a *Actor, g *Grant) error {
	if err := CanGrant(a, g); err != nil {
		return err
	}
	if a.UserID == g.UserID && g.Role == RoleSysAdmin {
		return apperr.New(apperr.Conflict, "不能撤销自己的系统管理员角色，请由其他管理员操作")
	}
	return nil
}

// CanGrantTo: nobody grants a role to their own account (separation of
// duties): an administrator who made themselves 监察人员 would review the
// appeals of the centre they run, and any grant is checked by a second
// person. The deployment's own set-up (the system actor) grants freely.
func CanGrantTo(a *Actor, g *Grant) error {
	if a.UserID != 0 && g.UserID == a.UserID {
		return apperr.New(apperr.Forbidden, "不能给自己的账号授予角色，请由其他系统管理员办理")
	}
	return nil
}

// CanSeePersonalData: the owner and the administrators of the whole
// deployment see an account's personal data unmasked; everyone else,
// administrators of a region included, sees it masked.
func CanSeePersonalData(a *Actor, u *User) bool {
	return a != nil && (a.UserID == u.ID || a.IsGlobalAdmin())
}

// CanAudit: system administrators and supervisors (电子监察) read the audit
// log, each only the part AuditReach gives.
func CanAudit(a *Actor) error {
	if a.Has(RoleSysAdmin) || a.Has(RoleSupervisor) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有系统管理员和监察人员可以查看审计日志")
}

// AuditReach returns the part of the audit log a reader sees: nil (every
// entry) for a system administrator of the whole deployment; otherwise the
// regions, each with its subtree, and the departments of the reader's
// 系统管理员 and 监察人员 grants. A grant naming a department reaches only
// the entries scoped to that department, not its region's: those are
// about the region's other departments too.
func AuditReach(a *Actor) (*audit.Reach, error) {
	if err := CanAudit(a); err != nil {
		return nil, err
	}
	if a.IsGlobalAdmin() {
		return nil, nil
	}
	r := &audit.Reach{}
	for _, g := range a.Grants {
		switch {
		case g.Role != RoleSysAdmin && g.Role != RoleSupervisor:
		case g.DepartmentID != nil:
			r.Departments = append(r.Departments, *g.DepartmentID)
		case g.RegionPath != "":
			r.Regions = append(r.Regions, g.RegionPath)
		}
	}
	return r, nil
}

// CanVerifyAudit: re-walking the whole chain is for the administrators of
// the whole deployment; its report counts and names entries of every region.
func CanVerifyAudit(a *Actor) error {
	if !a.IsGlobalAdmin() {
		return apperr.New(apperr.Forbidden, "只有全局系统管理员可以校验审计日志的哈希链")
	}
	return nil
}

// adminOver returns the actor's system-administrator grant containing g.
func adminOver(a *Actor, g *Grant) *Grant {
	for _, own := range a.Grants {
		if own.Role == RoleSysAdmin && g.Within(own) {
			return own
		}
	}
	return nil
}
