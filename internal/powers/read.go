package powers

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
)

// Detail is a power with the versions its reader may see.
type Detail struct {
	Power     *Power
	Published *Version   // nil before the first publication
	Versions  []*Version // newest first; open ones only for editors and reviewers
	Edit      bool       // the reader may edit drafts
	Review    bool       // the reader may review
}

// Get returns a power: its published version to anyone, its drafts and
// history to those who edit or review it.
func (s *Service) Get(ctx context.Context, a *identity.Actor, id int64) (*Detail, error) {
	p, err := s.d.Store.FindPower(ctx, id)
	if err != nil {
		return nil, err
	}
	vs, err := s.d.Store.FindVersions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	d := &Detail{Power: p, Edit: CanEdit(a, p) == nil}
	d.Review = CanReview(a, p, &Version{}) == nil
	for _, v := range vs {
		if v.State == StatePublished {
			d.Published = v
		}
		if d.Edit || d.Review || !v.State.Open() {
			d.Versions = append(d.Versions, v)
		}
	}
	if d.Published == nil && !d.Edit && !d.Review {
		return nil, apperr.New(apperr.NotFound, "该职权不存在或尚未公布")
	}
	return d, nil
}

// Version returns one version to someone who may see it.
func (s *Service) Version(ctx context.Context, a *identity.Actor, id int64) (*Version, *Power, error) {
	v, p, err := s.versionFor(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if v.State.Open() && CanEdit(a, p) != nil && CanReview(a, p, &Version{}) != nil {
		return nil, nil, apperr.New(apperr.NotFound, "版本不存在")
	}
	return v, p, nil
}

// Public lists published powers; q is searched in names, codes, bases and
// the benchmarks' violations.
func (s *Service) Public(ctx context.Context, q string, f Filter) ([]*Power, int, error) {
	f.Published, f.Terms = true, search.ParseQuery(q)
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	return s.d.Store.FindPowers(ctx, f)
}

// ForItem lists the published powers that a service item exercises, for
// the link from its guide.
func (s *Service) ForItem(ctx context.Context, itemID int64) ([]*Power, error) {
	ps, _, err := s.d.Store.FindPowers(ctx, Filter{Published: true, ItemID: itemID, Limit: 100})
	return ps, err
}

// PublishedVersion returns the version in force of a published power.
func (s *Service) PublishedVersion(ctx context.Context, p *Power) (*Version, error) {
	if p.PublishedID == nil {
		return nil, apperr.New(apperr.NotFound, "该职权尚未公布")
	}
	return s.d.Store.FindVersion(ctx, *p.PublishedID)
}

// Power returns one power.
func (s *Service) Power(ctx context.Context, id int64) (*Power, error) {
	return s.d.Store.FindPower(ctx, id)
}

// Managed lists the powers of the departments and regions the actor edits
// or reviews, by department and code.
func (s *Service) Managed(ctx context.Context, a *identity.Actor) ([]*Power, error) {
	seen := map[int64]bool{}
	var out []*Power
	for _, g := range a.Grants {
		f, ok := grantFilter(g)
		if !ok {
			continue
		}
		ps, _, err := s.d.Store.FindPowers(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].DeptName != out[j].DeptName {
			return out[i].DeptName < out[j].DeptName
		}
		return out[i].Code < out[j].Code
	})
	return out, nil
}

func grantFilter(g *identity.Grant) (Filter, bool) {
	switch {
	case (g.Role == identity.RoleApprover || g.Role == identity.RoleDeptHead) && g.DepartmentID != nil:
		return Filter{DepartmentID: *g.DepartmentID, Limit: 2000}, true
	case g.Role == identity.RoleSysAdmin:
		return Filter{PathPrefix: g.RegionPath, Limit: 2000}, true
	}
	return Filter{}, false
}

// Benchmark returns the row of the benchmark in force of a power, for the
// check of a penalty decision; seq is 1-based.
func (s *Service) Benchmark(ctx context.Context, powerID int64, seq int) (*Power, *Benchmark, error) {
	p, err := s.d.Store.FindPower(ctx, powerID)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.PublishedVersion(ctx, p)
	if err != nil {
		return p, nil, err
	}
	if seq < 1 || seq > len(v.Content.Benchmarks) {
		return p, nil, apperr.New(apperr.NotFound, "该职权的裁量基准没有第 %d 行", seq)
	}
	return p, &v.Content.Benchmarks[seq-1], nil
}

// BenchmarkByCode returns a benchmark row of the published penalty power
// with a code in a department, naming what is missing.
func (s *Service) BenchmarkByCode(ctx context.Context, deptID int64, code string, seq int) (*Power, *Benchmark, error) {
	ps, _, err := s.d.Store.FindPowers(ctx, Filter{DepartmentID: deptID, Code: strings.ToUpper(strings.TrimSpace(code)), Limit: 1})
	if err != nil {
		return nil, nil, err
	}
	if len(ps) == 0 || ps[0].PublishedID == nil {
		return nil, nil, apperr.Field("power_code", "本部门权责清单中没有已公布的职权“"+code+"”")
	}
	if ps[0].Type != catalog.TypePenalty {
		return nil, nil, apperr.Field("power_code", "职权“"+ps[0].Name+"”不是行政处罚类职权")
	}
	p, b, err := s.Benchmark(ctx, ps[0].ID, seq)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, apperr.Field("benchmark_seq", "职权“"+ps[0].Name+"”的裁量基准没有第 "+strconv.Itoa(seq)+" 条")
	}
	return p, b, err
}
