package certs

import (
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule. regionPath is
// the path of the issuing centre's region.

// issuers are the roles that decide cases and so issue their certificates.
var issuers = []identity.Role{identity.RoleWindowClerk, identity.RoleApprover, identity.RoleDeptHead, identity.RoleSysAdmin}

// CanIssue: staff who decide cases (窗口人员 for 即办件, 审批人员, 部门负责人)
// and system administrators may issue in a centre inside their region,
// whatever department their grant names; the system itself may always.
func CanIssue(a *identity.Actor, regionPath string) error {
	if holdsIn(a, regionPath, issuers...) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "您无权以该服务中心的名义签发电子证照")
}

// CanRevoke: a 部门负责人 or a system administrator of the centre's region.
func CanRevoke(a *identity.Actor, regionPath string) error {
	if holdsIn(a, regionPath, identity.RoleDeptHead, identity.RoleSysAdmin) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有部门负责人或系统管理员可以撤销电子证照")
}

// CanViewKeys: system administrators open the key administration page.
func CanViewKeys(a *identity.Actor) error {
	if a.Has(identity.RoleSysAdmin) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有系统管理员可以管理签名密钥")
}

// CanManageKeys: a system administrator whose scope covers the centre's
// region may rotate its key.
func CanManageKeys(a *identity.Actor, regionPath string) error {
	if a.HasIn(identity.RoleSysAdmin, regionPath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "该服务中心不在您的管理范围内")
}

// CanView is the default rule for a certificate's full view: the holder's
// own account, or staff with any role in the issuing centre's region.
// Everyone else sees the public verification page, with the holder masked.
func CanView(a *identity.Actor, c *Certificate, regionPath string) error {
	if a != nil && c.HolderUserID != 0 && a.UserID == c.HolderUserID {
		return nil
	}
	if a.IsStaff() && holdsIn(a, regionPath, identity.StaffRoles...) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有持证人和经办机关工作人员可以查看证照全文；公众可通过证照核验页面核验")
}

// SeesHolder: on the printable view the holder's own account and the
// staff who issue certificates in the centre's region see the holder's
// name and ID number in full; other staff (监察人员, 系统管理员, …) see them
// masked, as the public does.
func SeesHolder(a *identity.Actor, c *Certificate, regionPath string) bool {
	if a != nil && c.HolderUserID != 0 && a.UserID == c.HolderUserID {
		return true
	}
	return holdsIn(a, regionPath, identity.RoleWindowClerk, identity.RoleApprover, identity.RoleDeptHead)
}

// holdsIn reports whether the actor holds one of roles on a region subtree
// containing regionPath. A department named in the grant does not narrow it
// here: a centre's seal is shared by the departments stationed in it.
func holdsIn(a *identity.Actor, regionPath string, roles ...identity.Role) bool {
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		for _, r := range roles {
			if g.Role == r && strings.HasPrefix(regionPath, g.RegionPath) {
				return true
			}
		}
	}
	return false
}
