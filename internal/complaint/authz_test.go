package complaint

import (
	"testing"

	"openhall/internal/identity"
)

// TestMayNameCase: who names a case by its number alone, without its
// 查询密码: its applicant, whoever filed it, and the complaint desk of its
// region (two regions here), not the desk of another region, other staff
// or other accounts.
func TestMayNameCase(t *testing.T) {
	c := &CaseRef{ApplicantUserID: 10, AgentID: 11, RegionPath: "/1/2/3/"}
	grant := func(role identity.Role, path string) []*identity.Grant {
		return []*identity.Grant{{Role: role, RegionPath: path}}
	}
	for _, tc := range []struct {
		name string
		a    *identity.Actor
		want bool
	}{
		{"Anonymous", nil, false},
		{"Applicant", &identity.Actor{UserID: 10}, true},
		{"Filer", &identity.Actor{UserID: 11}, true},
		{"OtherAccount", &identity.Actor{UserID: 12}, false},
		{"DeskOfTheCounty", &identity.Actor{UserID: 20, Grants: grant(identity.RoleSupervisor, "/1/2/3/")}, true},
		{"DeskOfTheCity", &identity.Actor{UserID: 21, Grants: grant(identity.RoleSupervisor, "/1/2/")}, true},
		{"DeskOfAnotherCounty", &identity.Actor{UserID: 22, Grants: grant(identity.RoleSupervisor, "/1/2/5/")}, false},
		{"ClerkOfTheCounty", &identity.Actor{UserID: 23, Grants: grant(identity.RoleWindowClerk, "/1/2/3/")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MayNameCase(tc.a, c); got != tc.want {
				t.Fatalf("MayNameCase = %v, want %v", got, tc.want)
			}
		})
	}
}
