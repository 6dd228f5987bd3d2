package opendata

import (
	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule. A dataset
// belongs to its publisher, a disclosure agency, whose scope is its region
// and, for a department, that department.

func inScope(a *identity.Actor, role identity.Role, ag *disclosure.Agency) bool {
	var dept int64
	if ag.DepartmentID != nil {
		dept = *ag.DepartmentID
	}
	return a.HasIn(role, ag.RegionPath, dept)
}

// CanManage: the publisher's 公开专员, or the 部门负责人 of a department
// publisher, describe its datasets, upload their data, publish and
// withdraw them, and decide applications for conditional access.
func CanManage(a *identity.Actor, ag *disclosure.Agency) error {
	if inScope(a, identity.RoleDisclosureOfficer, ag) || (ag.DepartmentID != nil && inScope(a, identity.RoleDeptHead, ag)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有%s的公开专员或部门负责人可以管理其开放数据", ag.Name)
}

// CanOversee: besides its managers, 监察人员 and 系统管理员 over a publisher
// see its unpublished datasets and its applications.
func CanOversee(a *identity.Actor, ag *disclosure.Agency) error {
	if CanManage(a, ag) == nil || inScope(a, identity.RoleSupervisor, ag) || inScope(a, identity.RoleSysAdmin, ag) {
		return nil
	}
	return apperr.New(apperr.NotFound, "数据集不存在或尚未发布")
}

// CanApply: anyone signed in (a citizen, a company or a member of staff
// for their work) may apply for a conditional dataset.
func CanApply(a *identity.Actor) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录后再申请使用有条件开放数据")
	}
	return nil
}

// CanViewApplication: the applicant, and whoever may oversee the dataset.
func CanViewApplication(a *identity.Actor, ag *disclosure.Agency, app *Application) error {
	if a != nil && a.UserID == app.UserID {
		return nil
	}
	if CanOversee(a, ag) == nil {
		return nil
	}
	return apperr.New(apperr.NotFound, "申请不存在")
}
