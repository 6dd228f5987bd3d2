package org

import (
	"context"
	"sort"

	"openhall/internal/identity"
)

// adminPaths returns the region subtrees the actor administers; all is true
// for an administrator of the whole deployment.
func adminPaths(a *identity.Actor) (all bool, paths []string) {
	for _, g := range a.Grants {
		if g.Role != identity.RoleSysAdmin {
			continue
		}
		if g.RegionPath == "" {
			return true, nil
		}
		paths = append(paths, g.RegionPath)
	}
	return false, paths
}

// eachScope runs find once for the whole deployment or once per
// administered subtree.
func eachScope[T any](a *identity.Actor, find func(prefix string) ([]T, error)) ([]T, error) {
	all, paths := adminPaths(a)
	if all {
		return find("")
	}
	var out []T
	for _, p := range paths {
		got, err := find(p)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// AdminRegions lists the regions the actor administers, in tree order.
func (s *Service) AdminRegions(ctx context.Context, a *identity.Actor) ([]*Region, error) {
	if err := CanViewAdmin(a); err != nil {
		return nil, err
	}
	rs, err := eachScope(a, func(p string) ([]*Region, error) { return s.store.FindRegions(ctx, RegionFilter{PathPrefix: p}) })
	sort.SliceStable(rs, func(i, j int) bool { return treeLess(rs[i], rs[j]) })
	return rs, err
}

// SupervisedRegions lists the regions whose figures the actor may choose
// among: those under a grant of 监察人员 or 系统管理员 over a whole region
// (not one naming a department), in tree order.
func (s *Service) SupervisedRegions(ctx context.Context, a *identity.Actor) ([]*Region, error) {
	seen := map[int64]bool{}
	var out []*Region
	for _, g := range a.Grants {
		if g.Role != identity.RoleSupervisor && g.Role != identity.RoleSysAdmin || g.DepartmentID != nil {
			continue
		}
		rs, err := s.store.FindRegions(ctx, RegionFilter{PathPrefix: g.RegionPath})
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return treeLess(out[i], out[j]) })
	return out, nil
}

// treeLess orders regions depth-first by code, parents before children.
func treeLess(a, b *Region) bool { return codeKey(a) < codeKey(b) }

// codeKey pads a region code to 12 digits so that codes of different levels
// sort parents first: 330100 → 330100000000 sorts before 330106000000.
func codeKey(r *Region) string {
	k := r.Code
	for len(k) < 12 {
		k += "0"
	}
	return k + string(rune('0'+r.Level))
}

// AdminCentres lists the centres the actor administers.
func (s *Service) AdminCentres(ctx context.Context, a *identity.Actor) ([]*Centre, error) {
	if err := CanViewAdmin(a); err != nil {
		return nil, err
	}
	return eachScope(a, func(p string) ([]*Centre, error) { return s.store.FindCentres(ctx, CentreFilter{PathPrefix: p}) })
}

// AdminDepartments lists the departments the actor administers.
func (s *Service) AdminDepartments(ctx context.Context, a *identity.Actor) ([]*Department, error) {
	if err := CanViewAdmin(a); err != nil {
		return nil, err
	}
	return eachScope(a, func(p string) ([]*Department, error) {
		return s.store.FindDepartments(ctx, DepartmentFilter{PathPrefix: p})
	})
}

// AdminWindows lists the windows the actor administers.
func (s *Service) AdminWindows(ctx context.Context, a *identity.Actor) ([]*Window, error) {
	if err := CanViewAdmin(a); err != nil {
		return nil, err
	}
	return eachScope(a, func(p string) ([]*Window, error) { return s.store.FindWindows(ctx, WindowFilter{PathPrefix: p}) })
}
