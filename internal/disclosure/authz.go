package disclosure

import (
	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule. An agency's
// scope is its region and, for a department, that department.

func inScope(a *identity.Actor, role identity.Role, ag *Agency) bool {
	var dept int64
	if ag.DepartmentID != nil {
		dept = *ag.DepartmentID
	}
	return a.HasIn(role, ag.RegionPath, dept)
}

// CanManageAgency: a system administrator whose scope covers the region
// sets up an agency (name, code, 索引号 template, guide).
func CanManageAgency(a *identity.Actor, ag *Agency) error {
	if inScope(a, identity.RoleSysAdmin, ag) || inScope(a, identity.RoleDisclosureOfficer, ag) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有该机构范围内的系统管理员或公开专员可以维护公开主体")
}

// CanDraft: the agency's 公开专员 write and submit its documents.
func CanDraft(a *identity.Actor, ag *Agency) error {
	if inScope(a, identity.RoleDisclosureOfficer, ag) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有%s的公开专员可以编辑其公开目录", ag.Name)
}

// CanReview: a 公开专员 or 部门负责人 of the agency who did not draft the
// document records its 保密审查; the drafter never reviews their own item.
func CanReview(a *identity.Actor, ag *Agency, d *Document) error {
	if !inScope(a, identity.RoleDisclosureOfficer, ag) && !inScope(a, identity.RoleDeptHead, ag) {
		return apperr.New(apperr.Forbidden, "只有%s的公开专员或部门负责人可以进行保密审查", ag.Name)
	}
	if a.UserID == d.CreatedBy {
		return apperr.New(apperr.Forbidden, "起草人不能审查自己起草的信息，请由其他人员进行保密审查")
	}
	return nil
}

// CanApprove: after the review, a 公开专员 or 部门负责人 of the agency other
// than the drafter approves publication.
func CanApprove(a *identity.Actor, ag *Agency, d *Document) error {
	if !inScope(a, identity.RoleDisclosureOfficer, ag) && !inScope(a, identity.RoleDeptHead, ag) {
		return apperr.New(apperr.Forbidden, "只有%s的公开专员或部门负责人可以审批发布", ag.Name)
	}
	if a.UserID == d.CreatedBy {
		return apperr.New(apperr.Forbidden, "起草人不能审批自己起草的信息")
	}
	return nil
}

// CanHandleRequests: the agency's 公开专员 register, process and answer
// requests, and write its annual report.
func CanHandleRequests(a *identity.Actor, ag *Agency) error {
	if inScope(a, identity.RoleDisclosureOfficer, ag) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有%s的公开专员可以办理政府信息公开申请", ag.Name)
}

// CanViewRequest: the applicant sees their own request; the agency's
// 公开专员, and 监察人员 and 系统管理员 over it, see every request.
func CanViewRequest(a *identity.Actor, ag *Agency, r *Request) error {
	if a != nil && r.UserID != 0 && a.UserID == r.UserID {
		return nil
	}
	for _, role := range []identity.Role{identity.RoleDisclosureOfficer, identity.RoleSupervisor, identity.RoleSysAdmin} {
		if inScope(a, role, ag) {
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "申请不存在")
}

// CanSeeApplicantData: the applicant and the officers who handle the request
// see the applicant's ID number and phone unmasked; everyone else who may
// view the request sees them masked.
func CanSeeApplicantData(a *identity.Actor, ag *Agency, r *Request) bool {
	return (a != nil && r.UserID != 0 && a.UserID == r.UserID) || inScope(a, identity.RoleDisclosureOfficer, ag)
}
