package identity

import "strings"

// Audit scopes of account entries (see audit.Reach for who reads which).
// An entry about a staff account is scoped to the narrowest region that
// holds all of the account's roles: the administrators of that region and
// of the regions above it may manage the account (CanManageUser), so they
// read what happened to it. An entry about a grant is scoped to the
// grant's region. Accounts of the public, staff without roles, and roles
// over the whole deployment keep the deployment's scope, which only its
// administrators read.

// deploymentScope is the scope of account entries of the whole deployment.
const deploymentScope = "identity"

// grantScope is the scope of an entry about g.
func grantScope(g *Grant) string {
	if g.RegionPath == "" {
		return deploymentScope
	}
	return "region:" + g.RegionPath
}

// accountScope is the scope of an entry about an account holding grants;
// without a region common to them it is fallback.
func accountScope(grants []*Grant, fallback string) string {
	if path := commonRegion(grants); path != "" {
		return "region:" + path
	}
	return fallback
}

// adminScope is the scope of an entry about an account an administrator
// created or manages that holds no role yet: the region of a's own
// 系统管理员 grants.
func adminScope(a *Actor) string {
	var own []*Grant
	for _, g := range a.Grants {
		if g.Role == RoleSysAdmin {
			own = append(own, g)
		}
	}
	return accountScope(own, deploymentScope)
}

// commonRegion returns the path of the narrowest region containing every
// grant's region, or "" when there is none (no grants, a grant over the
// whole deployment, or regions under different roots).
func commonRegion(grants []*Grant) string {
	if len(grants) == 0 {
		return ""
	}
	path := grants[0].RegionPath
	for _, g := range grants[1:] {
		path = commonPath(path, g.RegionPath)
	}
	if strings.Count(path, "/") < 2 { // "" or "/": no region
		return ""
	}
	return path
}

// commonPath returns the longest common ancestor of two region paths:
// "/1/2/3/" and "/1/2/5/" give "/1/2/".
func commonPath(a, b string) string {
	n := 0
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '/' {
			n = i + 1
		}
	}
	return a[:n]
}
