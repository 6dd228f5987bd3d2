package rating

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// FigureQuery asks for the figures of a period, by one dimension.
type FigureQuery struct {
	By         Dimension
	From, To   calendar.Date // both included
	RegionPath string        // "" = the actor's whole scope
}

// FigureRow is the figures of one department, window, person or item.
type FigureRow struct {
	Key        string
	Label      string
	Total      int    // ratings counted (first and second evaluations, appeals upheld left out)
	Levels     [5]int // by level, 非常满意 first
	Defaults   int    // of them, default ratings
	Good, Bad  int    // 好评 (the first three levels) and 差评
	Tickets    int    // bad reviews handled by a ticket
	RealName   int    // of them, by raters who can be called back
	CalledBack int    // of those, 回访 done
	Rectified  int    // of Tickets, 整改 or 解释说明 done
	Closed     int    // of Tickets, closed
	Upheld     int    // appeals upheld: reviews found false or malicious, counted in none of the above
}

// GoodRate is 好评率 in percent (0 when nothing was rated).
func (r FigureRow) GoodRate() float64 { return percent(r.Good, r.Total) }

// CallbackRate is 回访率: real-name bad reviews called back, in percent.
func (r FigureRow) CallbackRate() float64 { return percent(r.CalledBack, r.RealName) }

// RectifyRate is 差评整改率: bad reviews rectified or explained, in percent.
func (r FigureRow) RectifyRate() float64 { return percent(r.Rectified, r.Tickets) }

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) * 100 / float64(of)
}

// Figures are the satisfaction figures of a scope and period.
type Figures struct {
	Query FigureQuery
	Rows  []FigureRow
	Sum   FigureRow
}

// Figures counts the ratings and tickets of a period per department,
// window, person or item, within what the actor may see: a supervisor's or
// administrator's region, a department head's department. It is the query
// the performance evaluation and the public indicators read.
func (s *Service) Figures(ctx context.Context, a *identity.Actor, q FigureQuery) (*Figures, error) {
	f, err := figureScope(a, q)
	if err != nil {
		return nil, err
	}
	levels, err := s.d.Store.CountRatings(ctx, f)
	if err != nil {
		return nil, err
	}
	tickets, err := s.d.Store.CountTickets(ctx, f)
	if err != nil {
		return nil, err
	}
	rows := map[string]*FigureRow{}
	row := func(k string) *FigureRow {
		if rows[k] == nil {
			rows[k] = &FigureRow{Key: k}
		}
		return rows[k]
	}
	for _, c := range levels {
		addLevel(row(c.Key), c)
	}
	for _, c := range tickets {
		addTickets(row(c.Key), c)
	}
	return s.assemble(ctx, q, rows), nil
}

func addLevel(r *FigureRow, c LevelCount) {
	if !c.Level.Valid() {
		return
	}
	r.Total += c.N
	r.Levels[c.Level-1] += c.N
	if c.Default {
		r.Defaults += c.N
	}
	if c.Level.Bad() {
		r.Bad += c.N
	} else {
		r.Good += c.N
	}
}

func addTickets(r *FigureRow, c TicketCount) {
	r.Tickets += c.Tickets
	r.RealName += c.RealName
	r.CalledBack += c.CalledBack
	r.Rectified += c.Rectified
	r.Closed += c.Closed
	r.Upheld += c.Upheld
}

// assemble labels and orders the rows and adds them up.
func (s *Service) assemble(ctx context.Context, q FigureQuery, rows map[string]*FigureRow) *Figures {
	out := &Figures{Query: q, Sum: FigureRow{Key: "", Label: "合计"}}
	for k, r := range rows {
		r.Label = s.d.Orgs.Label(ctx, q.By, k)
		out.Rows = append(out.Rows, *r)
		sum(&out.Sum, r)
	}
	sort.Slice(out.Rows, func(i, j int) bool {
		if out.Rows[i].Total != out.Rows[j].Total {
			return out.Rows[i].Total > out.Rows[j].Total
		}
		return out.Rows[i].Key < out.Rows[j].Key
	})
	return out
}

func sum(to *FigureRow, r *FigureRow) {
	to.Total += r.Total
	for i := range to.Levels {
		to.Levels[i] += r.Levels[i]
	}
	to.Defaults += r.Defaults
	to.Good += r.Good
	to.Bad += r.Bad
	to.Tickets += r.Tickets
	to.RealName += r.RealName
	to.CalledBack += r.CalledBack
	to.Rectified += r.Rectified
	to.Closed += r.Closed
	to.Upheld += r.Upheld
}

// figureScope checks the query and narrows it to what the actor may see.
func figureScope(a *identity.Actor, q FigureQuery) (FigureFilter, error) {
	if err := CanSeeFigures(a); err != nil {
		return FigureFilter{}, err
	}
	var f apperr.Fields
	f.Check(!q.By.Valid(), "by", "统计维度须为部门（department）、窗口（window）、工作人员（staff）或事项（item）")
	f.Check(q.From == (calendar.Date{}) || q.To == (calendar.Date{}), "from", "请选择统计期间")
	f.Check(q.From != (calendar.Date{}) && q.From.Year() < minAssessYear, "from", fmt.Sprintf("开始日期不能早于 %d 年（此前没有评价）", minAssessYear))
	f.Check(q.To.Before(q.From), "to", "结束日期不能早于开始日期")
	f.Check(q.From.Year() >= minAssessYear && q.To.Sub(q.From) > 3660, "to", "统计期间不能超过十年")
	if err := f.Err(); err != nil {
		return FigureFilter{}, err
	}
	ff := FigureFilter{By: q.By, From: q.From.Time(), To: q.To.AddDays(1).Time()}
	if path, ok := regionScope(a, q.RegionPath); ok {
		ff.RegionPrefix = path
		return ff, nil
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

// seesFigures reports the roles that see figures: over their region, or
// over their department when the grant names one.
func seesFigures(r identity.Role) bool {
	return r == identity.RoleDeptHead || r == identity.RoleSupervisor || r == identity.RoleSysAdmin
}

// regionScope is the region a supervisor or administrator sees figures
// of: the one asked for if inside their grant, else their grant's. A grant
// naming a department covers that department only, not its region.
func regionScope(a *identity.Actor, asked string) (string, bool) {
	for _, g := range a.Grants {
		if g.Role != identity.RoleSupervisor && g.Role != identity.RoleSysAdmin || g.DepartmentID != nil {
			continue
		}
		if asked == "" {
			return g.RegionPath, true
		}
		if strings.HasPrefix(asked, g.RegionPath) {
			return asked, true
		}
	}
	return "", false
}
