package identity

import "testing"

func TestAccountScope(t *testing.T) {
	g := func(path string) *Grant { return &Grant{RegionPath: path} }
	for _, tc := range []struct {
		name   string
		grants []*Grant
		want   string
	}{
		{"NoRoles", nil, "fallback"},
		{"OneRegion", []*Grant{g("/1/2/3/")}, "region:/1/2/3/"},
		{"SameRegion", []*Grant{g("/1/2/3/"), g("/1/2/3/")}, "region:/1/2/3/"},
		{"TownshipAndItsCounty", []*Grant{g("/1/2/3/4/"), g("/1/2/3/")}, "region:/1/2/3/"},
		{"TwoCounties", []*Grant{g("/1/2/3/"), g("/1/2/5/")}, "region:/1/2/"},
		{"SharedDigitsAreNotARegion", []*Grant{g("/1/2/13/"), g("/1/2/1/")}, "region:/1/2/"},
		{"TwoProvinces", []*Grant{g("/1/2/"), g("/7/8/")}, "fallback"},
		{"WholeDeployment", []*Grant{g("/1/2/"), g("")}, "fallback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := accountScope(tc.grants, "fallback"); got != tc.want {
				t.Fatalf("accountScope = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGrantScope(t *testing.T) {
	if got := grantScope(&Grant{RegionPath: "/1/2/"}); got != "region:/1/2/" {
		t.Fatalf("grant in a region: %q", got)
	}
	if got := grantScope(&Grant{}); got != deploymentScope {
		t.Fatalf("grant over the deployment: %q", got)
	}
}
