package identity

// Role is a role a user acts in.
type Role string

// Roles. Public is implied by a person or legal account; the others are
// granted to staff on a scope.
const (
	RolePublic            Role = "public"             // 公众
	RoleWindowClerk       Role = "window_clerk"       // 窗口人员
	RoleApprover          Role = "approver"           // 审批人员
	RoleDeptHead          Role = "dept_head"          // 部门负责人
	RoleProxyAgent        Role = "proxy_agent"        // 代办员
	RoleSupervisor        Role = "supervisor"         // 监察人员
	RoleDisclosureOfficer Role = "disclosure_officer" // 公开专员
	RoleSysAdmin          Role = "sysadmin"           // 系统管理员
)

// StaffRoles lists the roles that can be granted, in display order.
var StaffRoles = []Role{RoleWindowClerk, RoleApprover, RoleDeptHead, RoleProxyAgent,
	RoleSupervisor, RoleDisclosureOfficer, RoleSysAdmin}

// Label is the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case RolePublic:
		return "公众"
	case RoleWindowClerk:
		return "窗口人员"
	case RoleApprover:
		return "审批人员"
	case RoleDeptHead:
		return "部门负责人"
	case RoleProxyAgent:
		return "代办员"
	case RoleSupervisor:
		return "监察人员"
	case RoleDisclosureOfficer:
		return "公开专员"
	case RoleSysAdmin:
		return "系统管理员"
	}
	return string(r)
}

// Grantable reports whether r can be granted to staff.
func (r Role) Grantable() bool {
	for _, s := range StaffRoles {
		if s == r {
			return true
		}
	}
	return false
}

// NeedsDepartment reports whether the role only makes sense inside one
// department: approvers and department heads act for their department.
func (r Role) NeedsDepartment() bool { return r == RoleApprover || r == RoleDeptHead }

// NeedsRegion reports whether the role must be bounded to a region; only a
// system administrator may hold a role over the whole deployment.
func (r Role) NeedsRegion() bool { return r != RoleSysAdmin }
