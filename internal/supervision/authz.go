package supervision

import (
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Area is part of a scope: a region subtree ("" is everywhere), narrowed
// to one department when DeptID is not 0.
type Area struct {
	RegionPath string
	DeptID     int64
}

// Scope is what an actor may supervise: the union of its areas.
type Scope struct {
	Areas []Area
}

// Empty reports whether the scope covers nothing.
func (s Scope) Empty() bool { return len(s.Areas) == 0 }

// Covers reports whether a case or card in region path, handled by one of
// depts, lies in the scope.
func (s Scope) Covers(path string, depts ...int64) bool {
	for _, a := range s.Areas {
		if !strings.HasPrefix(path, a.RegionPath) {
			continue
		}
		if a.DeptID == 0 {
			return true
		}
		for _, d := range depts {
			if d == a.DeptID {
				return true
			}
		}
	}
	return false
}

// Narrow keeps the parts of the scope inside one department (0: no change).
func (s Scope) Narrow(dept int64) Scope {
	if dept == 0 {
		return s
	}
	var out Scope
	for _, a := range s.Areas {
		if a.DeptID == 0 || a.DeptID == dept {
			out.Areas = append(out.Areas, Area{RegionPath: a.RegionPath, DeptID: dept})
		}
	}
	return out
}

// areasOf lists the actor's grants of the roles as areas.
func areasOf(a *identity.Actor, roles ...identity.Role) Scope {
	var s Scope
	if a == nil {
		return s
	}
	for _, g := range a.Grants {
		for _, r := range roles {
			if g.Role == r {
				ar := Area{RegionPath: g.RegionPath}
				if g.DepartmentID != nil {
					ar.DeptID = *g.DepartmentID
				}
				s.Areas = append(s.Areas, ar)
			}
		}
	}
	return s
}

// Authorization rules of this package, one function per rule.

// SupervisorScope: 监察人员 supervise the cases of their regions (and
// departments, when a grant names one); 部门负责人 see their own
// department's; 系统管理员 of a region see its figures too.
func SupervisorScope(a *identity.Actor) (Scope, error) {
	if a == nil {
		return Scope{}, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	s := areasOf(a, identity.RoleSupervisor, identity.RoleDeptHead, identity.RoleSysAdmin)
	if s.Empty() {
		return s, apperr.New(apperr.Forbidden, "只有监察人员、部门负责人和系统管理员可以查看电子监察")
	}
	return s, nil
}

// CanSupervise: only 监察人员 act as supervisors (督办, 监察结果, manual
// cards), inside their scope.
func CanSupervise(a *identity.Actor, path string, depts ...int64) error {
	if areasOf(a, identity.RoleSupervisor).Covers(path, depts...) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有负责该区域的监察人员可以进行督办和监察处理")
}

// CanUrge: a supervisor, or the head of the department holding the step,
// sends a 催办 reminder.
func CanUrge(a *identity.Actor, path string, depts ...int64) error {
	if areasOf(a, identity.RoleSupervisor, identity.RoleDeptHead).Covers(path, depts...) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有监察人员或承办部门负责人可以催办")
}

// CanAnswerOrder: the target department answers a 督办: its head or its
// approvers.
func CanAnswerOrder(a *identity.Actor, path string, dept int64) error {
	if a.HasIn(identity.RoleDeptHead, path, dept) || a.HasIn(identity.RoleApprover, path, dept) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有被督办部门的负责人或审批人员可以反馈")
}

// CanViewOrder: the supervisors of its scope and the target department.
func CanViewOrder(a *identity.Actor, o *Order) error {
	s, _ := SupervisorScope(a)
	if s.Covers(o.RegionPath, o.DeptID) || CanAnswerOrder(a, o.RegionPath, o.DeptID) == nil {
		return nil
	}
	return apperr.New(apperr.NotFound, "督办不存在或您无权查看")
}

// CanSetRules: an administrator over the centre's region sets its card
// thresholds and evaluation policy.
func CanSetRules(a *identity.Actor, centrePath string) error {
	if a.HasIn(identity.RoleSysAdmin, centrePath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有该服务中心所在区域的系统管理员可以设置监察规则")
}

// CanFreeze: a supervisor or an administrator over the centre closes a
// period's evaluation.
func CanFreeze(a *identity.Actor, centrePath string) error {
	if a.HasIn(identity.RoleSupervisor, centrePath, 0) || a.HasIn(identity.RoleSysAdmin, centrePath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有负责该服务中心的监察人员或系统管理员可以关闭考核期")
}
