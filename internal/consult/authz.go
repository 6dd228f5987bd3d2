package consult

import (
	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule. A
// consultation belongs to a disclosure agency: a region's government or a
// department.

// CanManage: the agency's 公开专员, or for a department the department's
// head, write, publish, moderate and answer its consultations and surveys.
func CanManage(a *identity.Actor, ag *disclosure.Agency) error {
	var dept int64
	if ag.DepartmentID != nil {
		dept = *ag.DepartmentID
	}
	if a.HasIn(identity.RoleDisclosureOfficer, ag.RegionPath, dept) || (dept != 0 && a.HasIn(identity.RoleDeptHead, ag.RegionPath, dept)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有%s的公开专员或部门负责人可以管理其意见征集和网上调查", ag.Name)
}

// CanComment: anyone may comment on an anonymous consultation; a real-name
// one takes comments from citizens' and companies' accounts only, so that
// the name shown is the commenter's own.
func CanComment(a *identity.Actor, c *Consultation) error {
	if !c.RealName {
		return nil
	}
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "本次征集实行实名制，请先登录个人或法人账号再发表意见")
	}
	if !a.IsPublic() {
		return apperr.New(apperr.Forbidden, "本次征集实行实名制，请以个人或法人账号发表意见")
	}
	return nil
}
