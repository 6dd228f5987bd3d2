package rating

import (
	"slices"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule.

// CanRateCase: the applicant rates their own case; staff never rate.
func CanRateCase(a *identity.Actor, c *CaseInfo) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录后评价，或扫描受理通知书上的二维码评价")
	}
	if c.ApplicantUserID == 0 || c.ApplicantUserID != a.UserID {
		// Not found rather than forbidden: a case's existence is not told
		// to those who may not see it.
		return apperr.New(apperr.NotFound, "办件不存在，或您不是该办件的申请人（只有申请人可以评价）")
	}
	return nil
}

// CanRateByLink: a rating link (the QR code on a receipt, an SMS) is
// for the person served, logged in or not; a staff account never rates
// through it, though staff see the receipts they print (国办发〔2019〕51号:
// the evaluation is the service recipient's).
func CanRateByLink(a *identity.Actor) error {
	if a != nil && !a.IsPublic() {
		return apperr.New(apperr.Forbidden, "工作人员账号不能评价服务：评价由办事群众本人作出，请退出登录后再打开此链接")
	}
	return nil
}

// CanHandleTicket: the department that served handles the review of its
// service (谁办理谁负责): its 审批人员 and 部门负责人; a review of a
// comprehensive window, which serves no single department, goes to the
// centre's management, the region's 系统管理员.
func CanHandleTicket(a *identity.Actor, t *Ticket) error {
	if handles(a, t) {
		return nil
	}
	if t.DepartmentID == 0 {
		return apperr.New(apperr.Forbidden, "该差评由服务中心管理人员（本地区系统管理员）处理")
	}
	return apperr.New(apperr.Forbidden, "该差评由%s处理", orDept(t.Department))
}

func handles(a *identity.Actor, t *Ticket) bool {
	if t.DepartmentID == 0 {
		return a.HasIn(identity.RoleSysAdmin, t.RegionPath, 0)
	}
	return a.HasIn(identity.RoleApprover, t.RegionPath, t.DepartmentID) || a.HasIn(identity.RoleDeptHead, t.RegionPath, t.DepartmentID)
}

func orDept(name string) string {
	if name == "" {
		return "责任部门"
	}
	return name
}

// CanAppeal: the department's head (or, for a centre's ticket, the
// region's administrator) appeals a review as false or malicious.
func CanAppeal(a *identity.Actor, t *Ticket) error {
	if t.DepartmentID == 0 && a.HasIn(identity.RoleSysAdmin, t.RegionPath, 0) ||
		t.DepartmentID != 0 && a.HasIn(identity.RoleDeptHead, t.RegionPath, t.DepartmentID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "申诉须由%s负责人提出", orDept(t.Department))
}

// CanDecideAppeal: a 监察人员 of the region decides appeals (申诉复核),
// and not one who is a party to the ticket: whoever handles it or may
// appeal it (the department's staff, for a centre's ticket the region's
// administrator), or took a step on it, the appeal itself included. A
// reviewer of their own appeal would remove a bad review from the figures
// and the public 好评率 alone; an account holding both kinds of grant must
// leave the decision to another 监察人员.
func CanDecideAppeal(a *identity.Actor, t *Ticket) error {
	if !a.HasIn(identity.RoleSupervisor, t.RegionPath, 0) {
		return apperr.New(apperr.Forbidden, "申诉复核由本地区的监察人员办理")
	}
	if handles(a, t) || CanAppeal(a, t) == nil {
		return apperr.New(apperr.Forbidden, "您同时是该差评的处理方（%s），申诉复核须由其他监察人员办理", handlerOf(t))
	}
	for _, e := range t.Events {
		if e.ActorID != 0 && e.ActorID == a.UserID {
			return apperr.New(apperr.Forbidden, "您办理过该工单的“%s”步骤，申诉复核须由其他监察人员办理", e.Kind.Label())
		}
	}
	return nil
}

func handlerOf(t *Ticket) string {
	if t.DepartmentID == 0 {
		return "服务中心管理人员"
	}
	return orDept(t.Department)
}

// CanViewTicket: the departments that handle it, and the 监察人员 and
// 系统管理员 of its region. It is the very scope the ticket list selects
// (ticketScope), so that whatever is listed opens and whatever does not
// open is not listed.
func CanViewTicket(a *identity.Actor, t *Ticket) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录")
	}
	if ticketScope(a).covers(t) {
		return nil
	}
	return errNoTicket
}

// ticketScope is which tickets an actor sees: those of the departments
// they serve in as 审批人员 or 部门负责人, and every ticket of the regions
// they supervise or administer (监察人员, 系统管理员), the centre's and the
// departments' alike. A 监察人员's or 系统管理员's grant that names a
// department is not the region's: it reaches no ticket.
func ticketScope(a *identity.Actor) TicketFilter {
	var f TicketFilter
	if a == nil {
		return f
	}
	for _, g := range a.Grants {
		switch {
		case (g.Role == identity.RoleApprover || g.Role == identity.RoleDeptHead) && g.DepartmentID != nil:
			f.DepartmentIDs = append(f.DepartmentIDs, *g.DepartmentID)
		case (g.Role == identity.RoleSupervisor || g.Role == identity.RoleSysAdmin) && g.DepartmentID == nil:
			f.RegionPrefixes = append(f.RegionPrefixes, g.RegionPath)
		}
	}
	return f
}

// covers reports whether the filter's scope reaches t, as the stores
// select by it (its Open and Statuses aside): t's department, a centre's
// ticket in one of CentreRegions, or any ticket under RegionPrefixes.
func (f TicketFilter) covers(t *Ticket) bool {
	if t.DepartmentID != 0 && slices.Contains(f.DepartmentIDs, t.DepartmentID) {
		return true
	}
	for _, p := range f.CentreRegions {
		if t.DepartmentID == 0 && strings.HasPrefix(t.RegionPath, p) {
			return true
		}
	}
	for _, p := range f.RegionPrefixes {
		if strings.HasPrefix(t.RegionPath, p) {
			return true
		}
	}
	return false
}

// errNoTicket, errNoRating, errCounterOutOfReach and errWindowOutOfReach
// answer both an object that does not exist and one the actor may not
// see, word for word, so that nobody learns which ids exist (or, from a
// refusal, which window a tablet belongs to).
var (
	errNoTicket          = apperr.New(apperr.NotFound, "整改工单不存在或您无权查看")
	errNoRating          = apperr.New(apperr.NotFound, "评价不存在或您无权查看")
	errCounterOutOfReach = apperr.New(apperr.NotFound, "评价器不存在或您无权操作")
	errWindowOutOfReach  = apperr.New(apperr.NotFound, "窗口不存在，或您不在该窗口就座（只有在窗口就座的窗口人员可以启用评价器或发送评价短信）")
)

// authorizeTicket applies the rule of a command.
func authorizeTicket(a *identity.Actor, t *Ticket, k TicketCommandKind) error {
	switch k {
	case TcUphold, TcReject:
		return CanDecideAppeal(a, t)
	case TcAppeal:
		return CanAppeal(a, t)
	case TcRerate, TcCloseUnrated:
		return apperr.New(apperr.Forbidden, "该步骤由系统自动完成")
	}
	return CanHandleTicket(a, t)
}

// CanSeeFigures: supervisors and administrators see the figures of their
// regions, department heads those of their department.
func CanSeeFigures(a *identity.Actor) error {
	if a.Has(identity.RoleSupervisor) || a.Has(identity.RoleSysAdmin) || a.Has(identity.RoleDeptHead) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "评价统计仅供监察人员、系统管理员和部门负责人查看")
}

// CanExchange: supervisors and administrators export and import ratings
// in the national format.
func CanExchange(a *identity.Actor, regionPath string) error {
	if a.HasIn(identity.RoleSupervisor, regionPath, 0) || a.HasIn(identity.RoleSysAdmin, regionPath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有该地区的监察人员或系统管理员可以导出、导入评价数据")
}

// TicketOptions lists the steps the actor may take on the ticket now.
func TicketOptions(a *identity.Actor, t *Ticket) []TicketCommandKind {
	var out []TicketCommandKind
	for _, k := range []TicketCommandKind{TcCallback, TcSkipCallback, TcVerify, TcRectify, TcAppeal, TcFeedback, TcUphold, TcReject} {
		rule := ticketRules[k]
		if !statusIn(t.Status, rule.from) || authorizeTicket(a, t, k) != nil {
			continue
		}
		if (k == TcCallback && t.Anonymous) || (k == TcSkipCallback && !t.Anonymous) || (k == TcAppeal && appealable(t) != nil) {
			continue
		}
		out = append(out, k)
	}
	return out
}
