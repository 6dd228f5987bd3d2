package complaint

import (
	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule.

// IsDesk: the complaint desk of a complaint is a 监察人员 whose region
// covers it.
func IsDesk(a *identity.Actor, c *Complaint) bool {
	return a.HasIn(identity.RoleSupervisor, c.RegionPath, 0)
}

// isDepartment: the 审批人员 and 部门负责人 of the department it is
// assigned to.
func isDepartment(a *identity.Actor, c *Complaint) bool {
	if c.DepartmentID == 0 {
		return false
	}
	return holdsDept(a, identity.RoleApprover, c.DepartmentID) || holdsDept(a, identity.RoleDeptHead, c.DepartmentID)
}

// holdsDept reports a grant of role in the department, wherever the
// department stands (a complaint may be assigned to a department above or
// below the region it concerns).
func holdsDept(a *identity.Actor, role identity.Role, deptID int64) bool {
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Role == role && g.DepartmentID != nil && *g.DepartmentID == deptID {
			return true
		}
	}
	return false
}

// isComplainant: the account that complained.
func isComplainant(a *identity.Actor, c *Complaint) bool {
	return a != nil && c.Complainant.UserID != 0 && c.Complainant.UserID == a.UserID
}

// MayNameCase: the applicant of a case and the person who filed it (who
// read its 查询密码, cases.CanReadQueryCode) complain about it by its number
// alone, and so does the complaint desk of the case's region recording a
// complaint brought to it in the hall, by letter or by phone (its 监察人员
// see the region's cases); anyone else gives the 查询密码 as well.
func MayNameCase(a *identity.Actor, c *CaseRef) bool {
	if a == nil || a.UserID == 0 {
		return false
	}
	return c.ApplicantUserID == a.UserID || c.AgentID == a.UserID || a.HasIn(identity.RoleSupervisor, c.RegionPath, 0)
}

// CanView: the complainant, the desk and the department it is assigned to.
func CanView(a *identity.Actor, c *Complaint) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录，或凭投诉编号和查询码查询")
	}
	if isComplainant(a, c) || IsDesk(a, c) || isDepartment(a, c) {
		return nil
	}
	return errNoComplaint
}

// errNoComplaint answers both a complaint (or consultation) that does not
// exist and one the actor may not see, word for word: neither its
// existence nor its kind is told.
var errNoComplaint = apperr.New(apperr.NotFound, "投诉或咨询不存在，或您无权查看")

// SeesIdentity: who complained is seen by the complainant and the desk,
// and by the department only when the complainant agreed.
func SeesIdentity(a *identity.Actor, c *Complaint) bool {
	return isComplainant(a, c) || IsDesk(a, c) || c.Consent && isDepartment(a, c)
}

// SeesCase: the case a complaint is about is named (its number, a link
// to it) to whoever sees who complained (SeesIdentity), and to no one
// else: only its applicant, or someone holding its 查询密码, may complain
// about a case, and its department sees its applicant, so the case tells
// the department who complained.
func SeesCase(a *identity.Actor, c *Complaint) bool {
	return SeesIdentity(a, c)
}

// CanShowPhone: the desk, which answers the complainant, may show the
// complainant's phone in full (ShowPhone); everyone else but the
// complainant sees it masked.
func CanShowPhone(a *identity.Actor, c *Complaint) error {
	if IsDesk(a, c) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有投诉受理机构（本地区监察人员）可以查看%s人的完整手机号码", c.Kind.Label())
}

// authorize applies the rule of a command; holder reports a complainant
// who proved themselves with the number and 查询码.
func authorize(a *identity.Actor, c *Complaint, k CommandKind, holder bool) error {
	switch k {
	case CmdAccept, CmdRefuse, CmdAssign, CmdAnswer:
		if IsDesk(a, c) {
			return nil
		}
		return apperr.New(apperr.Forbidden, "该操作由投诉受理机构（本地区监察人员）办理")
	case CmdReturn, CmdReply:
		if isDepartment(a, c) {
			return nil
		}
		return apperr.New(apperr.Forbidden, "该操作由承办部门%s办理", c.Department)
	}
	if holder || isComplainant(a, c) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有投诉人可以评价答复或申请重新办理")
}
