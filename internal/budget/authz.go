package budget

import (
	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule. An agency's
// scope is its region and, for a department, that department.

func inScope(a *identity.Actor, role identity.Role, ag *disclosure.Agency) bool {
	var dept int64
	if ag.DepartmentID != nil {
		dept = *ag.DepartmentID
	}
	return a.HasIn(role, ag.RegionPath, dept)
}

// CanPrepare: the agency's 公开专员, or the 部门负责人 of a department
// agency, enter and import its budget tables.
func CanPrepare(a *identity.Actor, ag *disclosure.Agency) error {
	if inScope(a, identity.RoleDisclosureOfficer, ag) || (ag.DepartmentID != nil && inScope(a, identity.RoleDeptHead, ag)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有%s的公开专员或部门负责人可以编报预决算", ag.Name)
}

// CanSubmit: the agency's 公开专员 turns a balanced set into a disclosure
// document (as they draft every document of its catalogue).
func CanSubmit(a *identity.Actor, ag *disclosure.Agency) error {
	if inScope(a, identity.RoleDisclosureOfficer, ag) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有%s的公开专员可以将预决算送保密审查并公开", ag.Name)
}

// CanView: who may prepare a set, and 监察人员 and 系统管理员 over the
// agency, see it before publication.
func CanView(a *identity.Actor, ag *disclosure.Agency) error {
	if CanPrepare(a, ag) == nil || inScope(a, identity.RoleSupervisor, ag) || inScope(a, identity.RoleSysAdmin, ag) {
		return nil
	}
	return apperr.New(apperr.NotFound, "预决算不存在或尚未公开")
}

// CanWatch: a 监察人员 (or the system administrator) whose area holds the
// agency follows its sets on the Art 14 clock in the supervision figures.
func CanWatch(a *identity.Actor, ag *disclosure.Agency) bool {
	return inScope(a, identity.RoleSupervisor, ag) || inScope(a, identity.RoleSysAdmin, ag)
}
