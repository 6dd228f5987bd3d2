package supervision

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// Row is one evaluated subject: a department, a window or a person.
type Row struct {
	Dim         Dimension `json:"dim"`
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Counts      Counts    `json:"counts"`
	Figures     []Figure  `json:"figures"`
	AvgUsed     float64   `json:"avg_used_days"`     // 办结件平均用时（工作日）
	AvgPromised float64   `json:"avg_promised_days"` // 办结件平均承诺时限
	Scored      bool      `json:"scored"`
	Score       float64   `json:"score"`
	Grade       string    `json:"grade"`
	whole       bool      // the centre's total row
}

// Figure returns the row's figure of an indicator, if present.
func (r Row) Figure(key string) (Figure, bool) {
	for _, f := range r.Figures {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

// Evaluation is a centre's 绩效评估 for one period.
type Evaluation struct {
	CentreID   int64       `json:"centre_id"`
	CentreName string      `json:"centre_name"`
	Period     string      `json:"period"`
	Label      string      `json:"label"`
	Depts      []Row       `json:"departments"`
	Windows    []Row       `json:"windows"`
	Users      []Row       `json:"users"`
	Total      Row         `json:"total"`
	Indicators [][2]string `json:"indicators"` // key, label, in column order
	Policy     Policy      `json:"policy"`
	ComputedAt time.Time   `json:"computed_at"`
	Frozen     bool        `json:"frozen"`
	FrozenAt   time.Time   `json:"frozen_at,omitzero"`
	FrozenBy   string      `json:"frozen_by,omitempty"`
}

// Report is a frozen evaluation: closed periods keep their figures.
type Report struct {
	ID        int64
	CentreID  int64
	Period    string
	FrozenAt  time.Time
	FrozenBy  int64
	ByLabel   string
	Data      []byte // the Evaluation as JSON
	Published bool
}

// centre finds a centre and checks the actor may evaluate it.
func (s *Service) centre(ctx context.Context, a *identity.Actor, id int64) (*org.Centre, string, Scope, error) {
	scope, err := SupervisorScope(a)
	if err != nil {
		return nil, "", scope, err
	}
	cs, err := s.d.Directory.Centres(ctx, org.CentreFilter{})
	if err != nil {
		return nil, "", scope, err
	}
	for _, c := range cs {
		if c.ID != id {
			continue
		}
		r, err := s.d.Directory.Region(ctx, c.RegionID)
		if err != nil {
			return nil, "", scope, err
		}
		if !scopeTouches(scope, r.Path) {
			break
		}
		return c, r.Path, scope, nil
	}
	return nil, "", scope, apperr.New(apperr.NotFound, "服务中心不存在或不在您的监察范围内")
}

// scopeTouches reports whether any area lies over or under the path.
func scopeTouches(s Scope, path string) bool {
	for _, a := range s.Areas {
		if len(a.RegionPath) <= len(path) && path[:len(a.RegionPath)] == a.RegionPath {
			return true
		}
	}
	return false
}

// Centres lists the centres the actor may evaluate.
func (s *Service) Centres(ctx context.Context, a *identity.Actor) ([]*org.Centre, error) {
	scope, err := SupervisorScope(a)
	if err != nil {
		return nil, err
	}
	cs, err := s.d.Directory.Centres(ctx, org.CentreFilter{})
	if err != nil {
		return nil, err
	}
	var out []*org.Centre
	for _, c := range cs {
		r, err := s.d.Directory.Region(ctx, c.RegionID)
		if err != nil {
			return nil, err
		}
		if scopeTouches(scope, r.Path) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Evaluate is a centre's evaluation for a period: the frozen report when
// the period was closed, else computed now from the monthly counts. A
// department head sees their own department's row only.
func (s *Service) Evaluate(ctx context.Context, a *identity.Actor, centreID int64, p Period) (*Evaluation, error) {
	c, path, scope, err := s.centre(ctx, a, centreID)
	if err != nil {
		return nil, err
	}
	ev, err := s.frozen(ctx, centreID, p)
	if apperr.Is(err, apperr.NotFound) {
		ev, err = s.compute(ctx, c, p)
	}
	if err != nil {
		return nil, err
	}
	if !scope.Covers(path) {
		ev.limitTo(scope)
	}
	return ev, nil
}

func (s *Service) frozen(ctx context.Context, centreID int64, p Period) (*Evaluation, error) {
	r, err := s.d.Store.FindReport(ctx, centreID, p.String())
	if err != nil {
		return nil, err
	}
	var ev Evaluation
	if err := json.Unmarshal(r.Data, &ev); err != nil {
		return nil, err
	}
	ev.Frozen, ev.FrozenAt, ev.FrozenBy = true, r.FrozenAt, r.ByLabel
	return &ev, nil
}

// limitTo keeps the department rows in the scope (a department head's).
func (ev *Evaluation) limitTo(s Scope) {
	var keep []Row
	for _, r := range ev.Depts {
		for _, a := range s.Areas {
			if a.DeptID == r.ID {
				keep = append(keep, r)
			}
		}
	}
	ev.Depts, ev.Windows, ev.Users = keep, nil, nil
	ev.Total = Row{Dim: DimDept, Name: "合计"}
	for _, r := range keep {
		ev.Total.Counts.Add(r.Counts)
	}
}

// compute evaluates from the monthly counts.
func (s *Service) compute(ctx context.Context, c *org.Centre, p Period) (*Evaluation, error) {
	rows, err := s.d.Store.FindStats(ctx, StatFilter{CentreIDs: []int64{c.ID}, Months: p.Months()})
	if err != nil {
		return nil, err
	}
	rules, err := s.rules.get(ctx, c.ID, s.d.Now())
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{CentreID: c.ID, CentreName: c.Name, Period: p.String(), Label: p.Label(), Policy: s.withDefaultWeights(rules.Policy), ComputedAt: s.d.Now()}
	sums := map[Dimension]map[int64]*Counts{DimDept: {}, DimWindow: {}, DimUser: {}}
	for _, r := range rows {
		m := sums[r.Dim]
		if m == nil {
			continue
		}
		if m[r.DimID] == nil {
			m[r.DimID] = &Counts{}
		}
		m[r.DimID].Add(r.Counts)
	}
	names, err := s.names(ctx, sums)
	if err != nil {
		return nil, err
	}
	ev.Indicators = s.indicatorColumns()
	for _, dim := range []Dimension{DimDept, DimWindow, DimUser} {
		list := rowsOf(dim, sums[dim], names[dim])
		if err := s.score(ctx, c.ID, p, list, rules.Policy); err != nil {
			return nil, err
		}
		switch dim {
		case DimDept:
			ev.Depts = list
		case DimWindow:
			ev.Windows = list
		case DimUser:
			ev.Users = list
		}
	}
	ev.Total = Row{Dim: DimDept, Name: "合计", whole: true}
	for _, r := range ev.Depts {
		ev.Total.Counts.Add(r.Counts)
	}
	total := []Row{ev.Total}
	if err := s.score(ctx, c.ID, p, total, rules.Policy); err != nil {
		return nil, err
	}
	ev.Total = total[0]
	return ev, nil
}

func rowsOf(dim Dimension, sums map[int64]*Counts, names map[int64]string) []Row {
	out := make([]Row, 0, len(sums))
	for id, c := range sums {
		name := names[id]
		if name == "" {
			name = "（编号 " + itoa64(id) + "）"
		}
		out = append(out, Row{Dim: dim, ID: id, Name: name, Counts: *c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// names names the departments, windows and persons of an evaluation.
func (s *Service) names(ctx context.Context, sums map[Dimension]map[int64]*Counts) (map[Dimension]map[int64]string, error) {
	dir, err := s.dir.get(ctx, s.d.Now())
	if err != nil {
		return nil, err
	}
	var users []int64
	for id := range sums[DimUser] {
		users = append(users, id)
	}
	labels, err := s.d.Store.UserLabels(ctx, users)
	if err != nil {
		return nil, err
	}
	return map[Dimension]map[int64]string{DimDept: dir.deptName, DimWindow: dir.windowName, DimUser: labels}, nil
}

// indicatorColumns lists every indicator, built-in first.
func (s *Service) indicatorColumns() [][2]string {
	out := BuiltinLabels()
	for _, ind := range s.Indicators.All() {
		out = append(out, [2]string{ind.Key, ind.Label})
	}
	return out
}

// score computes each row's figures, weighted score and grade. The
// contributed indicators are asked for the rows' values; a subject without
// data for an indicator is scored on the others.
func (s *Service) score(ctx context.Context, centreID int64, p Period, rows []Row, pol Policy) error {
	extra, err := s.contributed(ctx, centreID, p, rows)
	if err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		r.Figures = r.Figures[:0]
		for _, b := range builtins {
			if f, ok := b.figure(r.Counts, pol); ok {
				f.Key, f.Label, f.Weight = b.key, b.label, pol.Weights[b.key]
				r.Figures = append(r.Figures, f)
			}
		}
		r.Figures = append(r.Figures, extra[r.ID]...)
		if r.Counts.Decided > 0 {
			r.AvgUsed = float64(r.Counts.UsedDays) / float64(r.Counts.Decided)
			r.AvgPromised = float64(r.Counts.PromisedDays) / float64(r.Counts.Decided)
		}
		r.Score, r.Scored = weighted(r.Figures)
		r.Grade = "—"
		if r.Scored {
			r.Grade = pol.Grade(r.Score)
		}
	}
	return nil
}

// contributed asks the registered indicators for the rows' values.
func (s *Service) contributed(ctx context.Context, centreID int64, p Period, rows []Row) (map[int64][]Figure, error) {
	out := map[int64][]Figure{}
	if len(rows) == 0 {
		return out, nil
	}
	q := IndicatorQuery{Dim: rows[0].Dim, CentreID: centreID, Months: p.Months(), Whole: rows[0].whole}
	for _, r := range rows {
		if !r.whole {
			q.IDs = append(q.IDs, r.ID)
		}
	}
	rules, err := s.rules.get(ctx, centreID, s.d.Now())
	if err != nil {
		return nil, err
	}
	for _, ind := range s.Indicators.All() {
		vals, err := ind.Values(ctx, q)
		if err != nil {
			return nil, err
		}
		w, ok := rules.Policy.Weights[ind.Key]
		if !ok {
			w = ind.DefaultWeight
		}
		for id, v := range vals {
			out[id] = append(out[id], Figure{Key: ind.Key, Label: ind.Label, Value: v.Value, Display: v.Display, Score: v.Score, Weight: w})
		}
	}
	return out, nil
}

// weighted is the weighted mean of the figures' scores over the weights
// of the figures present.
func weighted(fs []Figure) (float64, bool) {
	var sum, weights float64
	for _, f := range fs {
		if f.Weight > 0 {
			sum += float64(f.Weight) * f.Score
			weights += float64(f.Weight)
		}
	}
	if weights == 0 {
		return 0, false
	}
	return sum / weights, true
}

// Freeze closes a period: its evaluation is stored as it stands and shown
// from then on, whatever later events change. Only an ended period can be
// closed.
func (s *Service) Freeze(ctx context.Context, a *identity.Actor, centreID int64, p Period) (*Evaluation, error) {
	c, path, _, err := s.centre(ctx, a, centreID)
	if err != nil {
		return nil, err
	}
	if err := CanFreeze(a, path); err != nil {
		return nil, err
	}
	if s.d.Now().Before(p.End()) {
		return nil, apperr.New(apperr.Conflict, "%s尚未结束，结束后方可关闭考核期", p.Label())
	}
	ev, err := s.compute(ctx, c, p)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		r := &Report{CentreID: c.ID, Period: p.String(), FrozenAt: s.d.Now(), FrozenBy: a.UserID, ByLabel: a.Audit().Label, Data: data}
		if err := s.d.Store.CreateReport(ctx, r); err != nil {
			return err
		}
		return s.record(ctx, a, "region:"+path, "report.freeze", "supervision_report", r.ID,
			map[string]any{"centre": c.Name, "period": p.String(), "total": ev.Total.Counts})
	})
	if err != nil {
		return nil, err
	}
	ev.Frozen, ev.FrozenAt, ev.FrozenBy = true, s.d.Now(), a.Audit().Label
	return ev, nil
}

// Reports lists a centre's frozen periods.
func (s *Service) Reports(ctx context.Context, a *identity.Actor, centreID int64) ([]*Report, error) {
	if _, _, _, err := s.centre(ctx, a, centreID); err != nil {
		return nil, err
	}
	return s.d.Store.FindReports(ctx, centreID)
}

// Shown is the row's figure of an indicator as displayed, "—" when the
// indicator has no data for it (absent, not zero).
func (r Row) Shown(key string) string {
	if f, ok := r.Figure(key); ok {
		return f.Display
	}
	return "—"
}
