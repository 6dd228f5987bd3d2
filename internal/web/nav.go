package web

import (
	"strings"

	"openhall/internal/identity"
)

// navItem is one link of the main navigation.
type navItem struct {
	Label   string
	URL     string
	Current bool
}

// navEntry decides for whom a link is shown.
type navEntry struct {
	label string
	url   string
	show  func(a *identity.Actor) bool
}

func anyone(*identity.Actor) bool      { return true }
func anonymous(a *identity.Actor) bool { return a == nil }
func loggedIn(a *identity.Actor) bool  { return a != nil }
func staff(a *identity.Actor) bool     { return a.IsStaff() }
func role(r identity.Role) func(*identity.Actor) bool {
	return func(a *identity.Actor) bool { return a.Has(r) }
}
func public(a *identity.Actor) bool { return a.IsPublic() }
func auditor(a *identity.Actor) bool {
	return a.Has(identity.RoleSysAdmin) || a.Has(identity.RoleSupervisor)
}

func approver(a *identity.Actor) bool {
	return a.Has(identity.RoleApprover) || a.Has(identity.RoleDeptHead)
}

func publicOrAgent(a *identity.Actor) bool {
	return a.IsPublic() || a.Has(identity.RoleProxyAgent) || a.Has(identity.RoleWindowClerk)
}

func catalogStaff(a *identity.Actor) bool {
	return a.Has(identity.RoleApprover) || a.Has(identity.RoleDeptHead) || a.Has(identity.RoleSysAdmin)
}

// ticketStaff handle or supervise the tickets of bad reviews.
func ticketStaff(a *identity.Actor) bool {
	return approver(a) || a.Has(identity.RoleSupervisor) || a.Has(identity.RoleSysAdmin)
}

// complaintStaff are the complaint desk and the departments answering.
func complaintStaff(a *identity.Actor) bool { return approver(a) || a.Has(identity.RoleSupervisor) }

// figureStaff see the satisfaction and complaint figures.
func figureStaff(a *identity.Actor) bool {
	return a.Has(identity.RoleDeptHead) || a.Has(identity.RoleSupervisor) || a.Has(identity.RoleSysAdmin)
}

// navigation is the whole menu; each role sees its part.
var navigation = []navEntry{
	{"首页", "/", anyone},
	{"办事指南", "/items", anyone},
	{"一件事", "/bundles", anyone},
	{"政务公开", "/open", anyone},
	{"互动交流", "/participate", anyone},
	{"权责清单", "/powers", anyone},
	{"双公示", "/publicity", anyone},
	{"开放数据", "/opendata", anyone},
	{"预决算", "/budgets", anyone},
	{"工作台", "/staff", staff},
	{"待受理", "/staff/intake", role(identity.RoleWindowClerk)},
	{"待审批", "/staff/approvals", approver},
	{"预约", "/staff/appointments", role(identity.RoleWindowClerk)},
	{"收费退费", "/staff/fees", role(identity.RoleWindowClerk)},
	{"我的办件", "/cases", publicOrAgent},
	{"进度查询", "/progress", anonymous},
	{"事项管理", "/staff/catalog", catalogStaff},
	{"一件事管理", "/admin/bundles", role(identity.RoleSysAdmin)},
	{"公开工作台", "/disclosure", role(identity.RoleDisclosureOfficer)},
	{"互动工作台", "/staff/participation", participationStaff},
	{"权责清单管理", "/staff/powers", catalogStaff},
	{"双公示管理", "/staff/publicity", approver},
	{"开放数据管理", "/staff/opendata", openDataStaff},
	{"预决算编报", "/staff/budgets", openDataStaff},
	{"区域", "/admin/regions", role(identity.RoleSysAdmin)},
	{"服务中心", "/admin/centres", role(identity.RoleSysAdmin)},
	{"部门", "/admin/departments", role(identity.RoleSysAdmin)},
	{"窗口", "/admin/windows", role(identity.RoleSysAdmin)},
	{"账号与角色", "/admin/users", role(identity.RoleSysAdmin)},
	{"工作日历", "/admin/calendar", role(identity.RoleSysAdmin)},
	{"处罚公示期", "/admin/publicity-periods", role(identity.RoleSysAdmin)},
	{"签名密钥", "/admin/cert-keys", role(identity.RoleSysAdmin)},
	{"审计日志", "/admin/audit", auditor},
	{"电子监察", "/supervision", supervisesAny},
	{"我的红黄牌", "/supervision/my", hasCards},
	{"我的申请", "/my/requests", public},
	{"投诉与咨询", "/complaints", anyone},
	{"我的评价", "/ratings", public},
	{"窗口评价器", "/staff/counter", role(identity.RoleWindowClerk)},
	{"差评整改", "/staff/ratings", ticketStaff},
	{"投诉办理", "/staff/complaints", complaintStaff},
	{"评价统计", "/staff/ratings/report", figureStaff},
	{"我的数据申请", "/my/opendata", public},
	{"我的账户", "/account", loggedIn},
	{"登录", "/login", anonymous},
	{"注册", "/register", anonymous},
}

// navFor is the menu a shows on path; the entry whose address is the
// longest prefix of path is the current page (评价统计 under 差评整改's
// /staff/ratings, not both, nor 工作台 too).
func navFor(a *identity.Actor, path string) []navItem {
	var out []navItem
	cur := -1
	for _, e := range navigation {
		if !e.show(a) {
			continue
		}
		if path == e.url || (e.url != "/" && strings.HasPrefix(path, e.url+"/")) {
			if cur < 0 || len(e.url) > len(out[cur].URL) {
				cur = len(out)
			}
		}
		out = append(out, navItem{Label: e.label, URL: e.url})
	}
	if cur >= 0 {
		out[cur].Current = true
	}
	return out
}

// openDataStaff: the 公开专员 and 部门负责人 who publish datasets and
// budgets, and the 监察人员 who watch their clocks.
func openDataStaff(a *identity.Actor) bool {
	return a.Has(identity.RoleDisclosureOfficer) || a.Has(identity.RoleDeptHead) || a.Has(identity.RoleSupervisor)
}
