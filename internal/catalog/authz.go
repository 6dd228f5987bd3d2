package catalog

import (
	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule. Each takes
// the item's place: the path of its region and its department.

// CanEdit: the department's approvers and head write its items' drafts, and
// a system administrator of the region (the centre's administrator) writes
// any item in it.
func CanEdit(a *identity.Actor, regionPath string, deptID int64) error {
	if a.HasIn(identity.RoleApprover, regionPath, deptID) || a.HasIn(identity.RoleDeptHead, regionPath, deptID) ||
		a.HasIn(identity.RoleSysAdmin, regionPath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有本部门的审批人员、部门负责人或本区域的系统管理员可以编辑该事项")
}

// CanReview: the department's head, or an administrator of the region's
// centre, approves or rejects a submitted version.
func CanReview(a *identity.Actor, regionPath string, deptID int64) error {
	if a.HasIn(identity.RoleDeptHead, regionPath, deptID) || a.HasIn(identity.RoleSysAdmin, regionPath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有本部门负责人或本区域的系统管理员可以审核该事项")
}

// CanChangeStatus: suspending, resuming and cancelling an item are decided
// by those who review it.
func CanChangeStatus(a *identity.Actor, regionPath string, deptID int64) error {
	if CanReview(a, regionPath, deptID) == nil {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有本部门负责人或本区域的系统管理员可以暂停、恢复或取消该事项")
}

// CanWork: staff who edit or review items in some scope open the
// catalogue's work pages; the pages then show what the scope covers.
func CanWork(a *identity.Actor) error {
	if a.Has(identity.RoleApprover) || a.Has(identity.RoleDeptHead) || a.Has(identity.RoleSysAdmin) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有审批人员、部门负责人和系统管理员可以管理事项目录")
}

// CanSeeOpen: unpublished versions are visible to whoever may edit them.
func CanSeeOpen(a *identity.Actor, regionPath string, deptID int64) error {
	if CanEdit(a, regionPath, deptID) == nil || CanReview(a, regionPath, deptID) == nil {
		return nil
	}
	return apperr.New(apperr.NotFound, "事项不存在或尚未发布")
}
