package identity

import (
	"testing"

	"openhall/internal/apperr"
)

// TestCanGrantTo: an administrator grants roles to others, never to their
// own account; the system actor (set-up, imports) grants freely.
func TestCanGrantTo(t *testing.T) {
	admin := &Actor{UserID: 2, Kind: KindStaff, Grants: []*Grant{{Role: RoleSysAdmin, RegionPath: "/1/2/3/"}}}
	for _, tc := range []struct {
		name   string
		a      *Actor
		g      *Grant
		wantOK bool
	}{
		{"to another account", admin, &Grant{UserID: 19, Role: RoleSupervisor}, true},
		{"to their own account", admin, &Grant{UserID: 2, Role: RoleSupervisor}, false},
		{"the system actor", SystemActor(), &Grant{UserID: 2, Role: RoleSupervisor}, true},
	} {
		err := CanGrantTo(tc.a, tc.g)
		if (err == nil) != tc.wantOK || err != nil && !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s: %v, want allowed %v", tc.name, err, tc.wantOK)
		}
	}
}

func TestCanRevoke(t *testing.T) {
	admin := &Actor{UserID: 2, Kind: KindStaff, Grants: []*Grant{{Role: RoleSysAdmin, RegionPath: "/1/2/3/"}}}
	for _, tc := range []struct {
		name string
		g    *Grant
		want apperr.Code // "" when allowed
	}{
		{"a role inside the scope", &Grant{UserID: 19, Role: RoleWindowClerk, RegionPath: "/1/2/3/4/"}, ""},
		{"a role outside the scope", &Grant{UserID: 19, Role: RoleWindowClerk, RegionPath: "/1/2/9/"}, apperr.Forbidden},
		{"their own administrator role", &Grant{UserID: 2, Role: RoleSysAdmin, RegionPath: "/1/2/3/"}, apperr.Conflict},
		{"another administrator's role", &Grant{UserID: 7, Role: RoleSysAdmin, RegionPath: "/1/2/3/"}, ""},
	} {
		err := CanRevoke(admin, tc.g)
		if tc.want == "" && err != nil || tc.want != "" && !apperr.Is(err, tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
