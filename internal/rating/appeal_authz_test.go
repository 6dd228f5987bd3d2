package rating

import (
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// TestCanDecideAppeal: a 监察人员 of the ticket's region decides its
// appeal, unless they are a party to it: they handle or may appeal the
// ticket (the department's 审批人员 or 部门负责人; for a centre's ticket,
// the region's 系统管理员), or took a step on it, the appeal included.
func TestCanDecideAppeal(t *testing.T) {
	dept, other := int64(7), int64(8)
	grant := func(role identity.Role, path string, d *int64) *identity.Grant {
		return &identity.Grant{Role: role, RegionPath: path, DepartmentID: d}
	}
	actor := func(id int64, gs ...*identity.Grant) *identity.Actor {
		return &identity.Actor{UserID: id, Kind: identity.KindStaff, Grants: gs}
	}
	sup := grant(identity.RoleSupervisor, "/1/2/3/", nil)
	deptTicket := &Ticket{Target: Target{RegionPath: "/1/2/3/", DepartmentID: dept, Department: "市场监督管理局"},
		Events: []TicketEvent{{Kind: TevOpened}, {Kind: TevVerified, ActorID: 21}, {Kind: TevAppealed, ActorID: 22}}}
	centreTicket := &Ticket{Target: Target{RegionPath: "/1/2/3/"}, Events: []TicketEvent{{Kind: TevOpened}, {Kind: TevAppealed, ActorID: 23}}}
	for _, tc := range []struct {
		name   string
		a      *identity.Actor
		t      *Ticket
		wantOK bool
	}{
		{"the region's supervisor", actor(30, sup), deptTicket, true},
		{"the city's supervisor", actor(31, grant(identity.RoleSupervisor, "/1/2/", nil)), deptTicket, true},
		{"another region's supervisor", actor(32, grant(identity.RoleSupervisor, "/1/2/4/", nil)), deptTicket, false},
		{"a supervisor of one department only", actor(33, grant(identity.RoleSupervisor, "/1/2/3/", &dept)), deptTicket, false},
		{"supervisor and the department's head", actor(34, sup, grant(identity.RoleDeptHead, "/1/2/3/", &dept)), deptTicket, false},
		{"supervisor and the department's 审批人员", actor(35, sup, grant(identity.RoleApprover, "/1/2/3/", &dept)), deptTicket, false},
		{"supervisor and another department's head", actor(36, sup, grant(identity.RoleDeptHead, "/1/2/3/", &other)), deptTicket, true},
		{"the supervisor who verified it", actor(21, sup), deptTicket, false},
		{"the supervisor who appealed it", actor(22, sup), deptTicket, false},
		{"centre: the region's supervisor", actor(30, sup), centreTicket, true},
		{"centre: supervisor and the region's administrator", actor(37, sup, grant(identity.RoleSysAdmin, "/1/2/3/", nil)), centreTicket, false},
		{"centre: the supervisor who appealed it", actor(23, sup), centreTicket, false},
	} {
		err := CanDecideAppeal(tc.a, tc.t)
		if (err == nil) != tc.wantOK || err != nil && !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s: %v, want allowed %v", tc.name, err, tc.wantOK)
		}
	}
}
