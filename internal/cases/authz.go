package cases

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule. Each returns
// nil or an error saying what is missing.

// CanFile: citizens and companies file for themselves, online, the items
// whose guide offers 网上办理 and whose 服务对象 include their kind; a
// window clerk files at the window of a region covering the item's; a
// 代办员 files for residents of the village point inside the region that
// handles the item.
func CanFile(a *identity.Actor, p *Procedure, forOther bool) error {
	switch {
	case a == nil:
		return apperr.New(apperr.Unauthenticated, "请先登录后再申请")
	case a.IsPublic() && !forOther:
		return canFileOnline(a, p)
	case a.HasIn(identity.RoleWindowClerk, p.RegionPath, p.DepartmentID) || a.HasIn(identity.RoleWindowClerk, p.RegionPath, 0):
		return nil
	case agentInside(a, p.RegionPath):
		return nil
	case a.IsPublic():
		return apperr.New(apperr.Forbidden, "公众账号只能为本人或本单位申请")
	}
	return apperr.New(apperr.Forbidden, "只有窗口人员或代办员可以代为申请该事项")
}

// canFileOnline: the item is filed online, by its kind of applicant.
func canFileOnline(a *identity.Actor, p *Procedure) error {
	if !p.Online {
		where := ""
		if p.Where != "" {
			where = "请到" + p.Where + "办理"
		}
		return apperr.New(apperr.Conflict, "“%s”不支持网上申请。%s", p.ItemName, where)
	}
	if !p.Serves(string(a.Kind)) {
		return apperr.New(apperr.Conflict, "“%s”的服务对象不包括%s，%s账号不能申请该事项", p.ItemName, a.Kind.Label(), a.Kind.Label())
	}
	return nil
}

// CanFileFor: an application filed for someone is for a kind of applicant
// the item serves.
func CanFileFor(p *Procedure, kind string) error {
	if p.Serves(kind) {
		return nil
	}
	return apperr.Field("applicant.kind", "“"+p.ItemName+"”的服务对象不包括"+identity.Kind(kind).Label())
}

// agentInside reports whether a 代办员's point lies inside the region.
func agentInside(a *identity.Actor, regionPath string) bool {
	for _, g := range a.Grants {
		if g.Role == identity.RoleProxyAgent && strings.HasPrefix(g.RegionPath, regionPath) {
			return true
		}
	}
	return false
}

// CanView: the applicant, the person who filed it, and staff whose scope
// covers the case (window clerks and supervisors of the region, the
// departments approving it, administrators of the region). A draft is the
// applicant's own until it is submitted: only the applicant and the person
// preparing it see it, with its personal data and files.
func CanView(a *identity.Actor, c *Case) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录")
	}
	if isApplicant(a, c) || (c.AgentID != 0 && c.AgentID == a.UserID) {
		return nil
	}
	if c.Status == StatusDraft {
		return errNoCase
	}
	path := c.Procedure.RegionPath
	for _, r := range []identity.Role{identity.RoleWindowClerk, identity.RoleSupervisor, identity.RoleSysAdmin} {
		if a.HasIn(r, path, 0) {
			return nil
		}
	}
	if approvesAny(a, c) {
		return nil
	}
	return errNoCase
}

// errNoCase answers both a case that does not exist and one the actor may
// not see, so that nobody learns which case numbers exist.
var errNoCase = apperr.New(apperr.NotFound, "办件不存在或您无权查看")

// loadFor loads a case for someone allowed to see it; a missing case and
// one out of sight are the same error.
func (s *Service) loadFor(ctx context.Context, a *identity.Actor, id int64, lock bool) (*Case, error) {
	c, err := s.d.Store.LoadCase(ctx, id, lock)
	if apperr.Is(err, apperr.NotFound) {
		return nil, errNoCase
	}
	if err != nil {
		return nil, err
	}
	if err := CanView(a, c); err != nil {
		return nil, err
	}
	return c, nil
}

func isApplicant(a *identity.Actor, c *Case) bool {
	return c.Applicant.UserID != 0 && c.Applicant.UserID == a.UserID
}

// approvesAny reports whether the actor acts for one of the case's departments.
func approvesAny(a *identity.Actor, c *Case) bool {
	for _, b := range c.Procedure.Branches {
		if a.HasIn(identity.RoleApprover, c.Procedure.RegionPath, b.DepartmentID) ||
			a.HasIn(identity.RoleDeptHead, c.Procedure.RegionPath, b.DepartmentID) {
			return true
		}
	}
	return false
}

// CanIntake: a window clerk whose scope covers the case handles acceptance,
// refusal, supplement notices and fees (一窗受理、一个窗口收费).
func CanIntake(a *identity.Actor, c *Case) error {
	p := &c.Procedure
	if a.HasIn(identity.RoleWindowClerk, p.RegionPath, 0) || a.HasIn(identity.RoleWindowClerk, p.RegionPath, p.DepartmentID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有该事项受理地的窗口人员可以办理受理")
}

// CanActOnStep: the step's role (审批人员 or 部门负责人) in the branch's
// department acts on it.
func CanActOnStep(a *identity.Actor, c *Case, branch int) error {
	b := c.BranchOf(branch)
	if b == nil {
		return apperr.New(apperr.NotFound, "审批分支不存在")
	}
	dept := c.Procedure.Branches[branch].DepartmentID
	step := c.CurrentStep(b)
	if a.HasIn(step.Role, c.Procedure.RegionPath, dept) {
		return nil
	}
	if step.Role == identity.RoleApprover && a.HasIn(identity.RoleDeptHead, c.Procedure.RegionPath, dept) {
		return nil // a department head may act on any step of the department
	}
	return apperr.New(apperr.Forbidden, "“%s”环节须由%s的%s办理", step.Name, c.Procedure.Branches[branch].Department, step.Role.Label())
}

// CanApproveExtension: only the department head approves 延长审批.
func CanApproveExtension(a *identity.Actor, c *Case, branch int) error {
	if c.BranchOf(branch) == nil {
		return apperr.New(apperr.NotFound, "审批分支不存在")
	}
	if a.HasIn(identity.RoleDeptHead, c.Procedure.RegionPath, c.Procedure.Branches[branch].DepartmentID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "延长审批须经%s负责人批准", c.Procedure.Branches[branch].Department)
}

// CanActAsApplicant: the applicant, or the person who filed for them,
// supplements, corrects and withdraws.
func CanActAsApplicant(a *identity.Actor, c *Case) error {
	if a != nil && (isApplicant(a, c) || (c.AgentID != 0 && c.AgentID == a.UserID)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有申请人或代办人可以进行该操作")
}

// authorize applies the rule of a command.
func authorize(a *identity.Actor, c *Case, cmd Command) error {
	switch cmd.Kind {
	case CmdSubmit, CmdSupplement, CmdCorrect, CmdWithdraw:
		return CanActAsApplicant(a, c)
	case CmdRequestSupplement, CmdAccept, CmdRefuse, CmdDecideInstant, CmdPayFee, CmdRefund:
		return CanIntake(a, c)
	case CmdApproveExtension, CmdDenyExtension:
		return CanApproveExtension(a, c, cmd.Branch)
	case CmdSupplementTimeout:
		return apperr.New(apperr.Forbidden, "补正超时由系统自动办结")
	}
	return CanActOnStep(a, c, cmd.Branch)
}

// NeedsPersonalData: the applicant, the person who filed the case, and the
// staff who handle it (the window clerks of its region and the approvers
// of its departments) see the applicant's ID number and phone in full;
// everyone else (监察人员, administrators) sees them masked, unless they
// open the full record, which is audited (see Service.Reveal).
func NeedsPersonalData(a *identity.Actor, c *Case) bool {
	if a == nil {
		return false
	}
	if isApplicant(a, c) || (c.AgentID != 0 && c.AgentID == a.UserID) {
		return true
	}
	p := &c.Procedure
	return a.HasIn(identity.RoleWindowClerk, p.RegionPath, 0) || a.HasIn(identity.RoleWindowClerk, p.RegionPath, p.DepartmentID) || approvesAny(a, c)
}

// CanReveal: a 监察人员 or administrator whose scope covers the case may
// open the applicant's full personal data, with a stated reason, recorded
// in the audit log.
func CanReveal(a *identity.Actor, c *Case) error {
	path := c.Procedure.RegionPath
	if a.HasIn(identity.RoleSupervisor, path, 0) || a.HasIn(identity.RoleSysAdmin, path, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有监察人员或系统管理员可以查看完整信息")
}
