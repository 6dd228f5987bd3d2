package complaint

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// minFigureYear is the earliest year a period of figures may start in:
// no complaint is older, and a year like 0001 is a typo or a zero date,
// which the report would print as its period.
const minFigureYear = 2000

// FigureQuery asks for the complaint figures of a period by one
// dimension: department (assigned to), window, staff or item.
type FigureQuery struct {
	By         string
	From, To   calendar.Date // both included
	RegionPath string        // "" = the actor's whole scope
}

// FigureRow is the complaint figures of one key.
type FigureRow struct {
	Count
	Label string
}

// SatisfiedRate is the share of rated answers found satisfying, in percent.
func (r FigureRow) SatisfiedRate() float64 {
	if r.Rated == 0 {
		return 0
	}
	return float64(r.Satisfied) * 100 / float64(r.Rated)
}

// Figures are the complaint figures of a scope and period.
type Figures struct {
	Query FigureQuery
	Rows  []FigureRow
	Sum   FigureRow
}

// Figures counts the complaints of a period per department, window,
// person or item, within what the actor may see (like rating.Figures).
func (s *Service) Figures(ctx context.Context, a *identity.Actor, q FigureQuery) (*Figures, error) {
	f, err := figureScope(a, q)
	if err != nil {
		return nil, err
	}
	counts, err := s.d.Store.CountComplaints(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &Figures{Query: q, Sum: FigureRow{Label: "合计"}}
	for _, c := range counts {
		out.Rows = append(out.Rows, FigureRow{Count: c, Label: s.d.Orgs.Label(ctx, q.By, c.Key)})
		add(&out.Sum.Count, c)
	}
	sort.Slice(out.Rows, func(i, j int) bool {
		if out.Rows[i].Received != out.Rows[j].Received {
			return out.Rows[i].Received > out.Rows[j].Received
		}
		return out.Rows[i].Key < out.Rows[j].Key
	})
	return out, nil
}

func add(to *Count, c Count) {
	to.Received += c.Received
	to.Refused += c.Refused
	to.Answered += c.Answered
	to.Rated += c.Rated
	to.Satisfied += c.Satisfied
	to.Reopened += c.Reopened
}

// seesFigures reports the roles that see complaint figures: over their
// region, or over their department when the grant names one.
func seesFigures(r identity.Role) bool {
	return r == identity.RoleDeptHead || r == identity.RoleSupervisor || r == identity.RoleSysAdmin
}

func figureScope(a *identity.Actor, q FigureQuery) (FigureFilter, error) {
	if !a.Has(identity.RoleSupervisor) && !a.Has(identity.RoleSysAdmin) && !a.Has(identity.RoleDeptHead) {
		return FigureFilter{}, apperr.New(apperr.Forbidden, "投诉统计仅供监察人员、系统管理员和部门负责人查看")
	}
	var f apperr.Fields
	f.Check(q.By != "department" && q.By != "window" && q.By != "staff" && q.By != "item", "by", "统计维度须为部门（department）、窗口（window）、工作人员（staff）或事项（item）")
	f.Check(q.From == (calendar.Date{}) || q.To == (calendar.Date{}) || q.To.Before(q.From), "from", "请选择统计期间")
	f.Check(q.From != (calendar.Date{}) && q.From.Year() < minFigureYear, "from", fmt.Sprintf("开始日期不能早于 %d 年（此前没有投诉）", minFigureYear))
	if err := f.Err(); err != nil {
		return FigureFilter{}, err
	}
	ff := FigureFilter{By: q.By, From: q.From.Time(), To: q.To.AddDays(1).Time()}
	for _, g := range a.Grants {
		// A grant naming a department covers that department only.
		if g.Role != identity.RoleSupervisor && g.Role != identity.RoleSysAdmin || g.DepartmentID != nil {
			continue
		}
		if q.RegionPath == "" || strings.HasPrefix(q.RegionPath, g.RegionPath) {
			ff.RegionPrefix = g.RegionPath
			if q.RegionPath != "" {
				ff.RegionPrefix = q.RegionPath
			}
			return ff, nil
		}
	}
	for _, g := range a.Grants {
		if seesFigures(g.Role) && g.DepartmentID != nil {
			ff.DepartmentIDs = append(ff.DepartmentIDs, *g.DepartmentID)
		}
	}
	if len(ff.DepartmentIDs) == 0 {
		return ff, apperr.New(apperr.Forbidden, "所选地区不在您的管辖范围内")
	}
	return ff, nil
}
