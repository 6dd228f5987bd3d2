package mailbox

import (
	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule. A mailbox
// belongs to an agency: its office is the agency's 公开专员 (and, for a
// department's mailbox, the department's head).

// CanHandle: the mailbox's office triages, assigns, approves and answers.
func CanHandle(a *identity.Actor, m *Mailbox) error {
	dept := m.AgencyDeptID
	if a.HasIn(identity.RoleDisclosureOfficer, m.RegionPath, dept) || (dept != 0 && a.HasIn(identity.RoleDeptHead, m.RegionPath, dept)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有%s的信件办理人员（公开专员）可以办理该信箱的来信", m.AgencyName)
}

// CanManageMailbox: the office or a system administrator of the region sets
// up the agency's mailboxes.
func CanManageMailbox(a *identity.Actor, m *Mailbox) error {
	if CanHandle(a, m) == nil || a.HasIn(identity.RoleSysAdmin, m.RegionPath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有%s的公开专员或本区域系统管理员可以设置信箱", m.AgencyName)
}

// CanReceiveTicket: the office, or a system administrator of the region
// (the account the 12345 hand-over runs as), registers a hotline ticket.
func CanReceiveTicket(a *identity.Actor, m *Mailbox) error {
	if CanManageMailbox(a, m) == nil {
		return nil
	}
	return apperr.New(apperr.Forbidden, "无权向%s转入 12345 工单", m.Name)
}

// CanWrite: citizens and companies write with their accounts, so that the
// answer reaches them and they can rate it.
func CanWrite(a *identity.Actor) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录个人或法人账号再写信")
	}
	if !a.IsPublic() {
		return apperr.New(apperr.Forbidden, "请以个人或法人账号写信")
	}
	return nil
}

// CanDraft: the approvers and head of the department the letter is
// assigned to draft its answer.
func CanDraft(a *identity.Actor, l *Letter) error {
	if l.DeptID != 0 && (a.HasIn(identity.RoleApprover, l.DeptPath, l.DeptID) || a.HasIn(identity.RoleDeptHead, l.DeptPath, l.DeptID)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有承办部门的工作人员可以拟写答复")
}

// CanRate: only the writer rates the answer.
func CanRate(a *identity.Actor, l *Letter) error {
	if a != nil && l.UserID != 0 && a.UserID == l.UserID {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有来信人可以评价答复")
}

// IsWriter reports whether a wrote l.
func IsWriter(a *identity.Actor, l *Letter) bool {
	return a != nil && l.UserID != 0 && a.UserID == l.UserID
}
