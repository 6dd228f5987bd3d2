package disclosure

import (
	"context"
	"encoding/json"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// ComputeTables builds Tables 2, 3 and 4 from the year's statistics and
// runs the checks: per column 一 + 二 = 三（七）+ 四, 三（七） = the sum of the
// outcome rows, and 二 = last year's 四 (prevCarried, nil when there is no
// earlier report).
func ComputeTables(year int, docs DocStats, rep *Report, st RequestStats, prevCarried *[Table3Columns]int) *Tables {
	t := &Tables{Year: year, Table3: map[string][Table3Columns]int{}}
	t.Table2 = Table2{RulesMade: docs.RulesMade, RulesRepealed: docs.RulesRepealed, RulesInForce: docs.RulesInForce,
		NormativeMade: docs.NormativeMade, NormativeRepealed: docs.NormativeRepealed, NormativeInForce: docs.NormativeInForce,
		Permits: rep.Permits, Penalties: rep.Penalties, Enforcement: rep.Enforcement, FeesWan: rep.FeesWan}
	for _, row := range Table3Rows {
		t.Table3[row.Key] = [Table3Columns]int{}
	}
	for _, c := range st.New {
		t.add("1", columnOf(c.Type), c.Count)
	}
	for _, c := range st.CarriedIn {
		t.add("2", columnOf(c.Type), c.Count)
	}
	for _, c := range st.CarriedOut {
		t.add("4", columnOf(c.Type), c.Count)
	}
	for _, c := range st.Closed {
		t.add(rowOf(c.Answer, c.Reason), columnOf(c.Type), c.Count)
	}
	t.sumGroups()
	t.Table4 = table4(st.Remedies)
	t.Checks = t.checks(prevCarried)
	return t
}

// sumGroups fills the group rows (三（三）…（六）) and 三（七）.
func (t *Tables) sumGroups() {
	var leaves []string
	for _, g := range []string{"3.3", "3.4", "3.5", "3.6"} {
		var kids []string
		for _, r := range Table3Rows {
			if strings.HasPrefix(r.Key, g+".") {
				kids = append(kids, r.Key)
			}
		}
		t.sum(g, kids...)
		leaves = append(leaves, kids...)
	}
	t.sum("3.7", append([]string{"3.1", "3.2"}, leaves...)...)
}

func table4(rs []RemedyCount) Table4 {
	var t Table4
	results := map[string]int{"upheld": 0, "corrected": 1, "other": 2, "pending": 3}
	groups := map[string]int{"review": 0, "litigation": 5, "litigation_after_review": 10}
	for _, r := range rs {
		g, ok1 := groups[r.Kind]
		c, ok2 := results[r.Result]
		if ok1 && ok2 {
			t[g+c] += r.Count
			t[g+4] += r.Count
		}
	}
	return t
}

func (t *Tables) checks(prev *[Table3Columns]int) []Check {
	balanced := true
	for i := 0; i < Table3Columns; i++ {
		in := t.Table3["1"][i] + t.Table3["2"][i]
		out := t.Table3["3.7"][i] + t.Table3["4"][i]
		balanced = balanced && in == out
	}
	total := t.Table3["3.7"][Table3Columns-1]
	cs := []Check{checkf("勾稽关系", balanced, "各列第一项加第二项之和%s第三项（七）加第四项之和", map[bool]string{true: "等于", false: "不等于"}[balanced]),
		checkf("总计", total == t.Table3["3.1"][6]+t.Table3["3.2"][6]+t.Table3["3.3"][6]+t.Table3["3.4"][6]+t.Table3["3.5"][6]+t.Table3["3.6"][6],
			"三（七）总计 %d 为各办理结果之和", total)}
	if prev == nil {
		return append(cs, checkf("上年结转", true, "无上年年度报告，未核对上年结转"))
	}
	same := *prev == t.Table3["2"]
	return append(cs, checkf("上年结转", same, "本年“上年结转”%s上年报告“结转下年度继续办理”（上年 %d 件，本年 %d 件）",
		map[bool]string{true: "等于", false: "不等于"}[same], prev[6], t.Table3["2"][6]))
}

// AnnualReport returns the report of an agency for a year with its computed
// tables; a year without a saved report gives an empty one, and a year
// without data an empty but valid report.
func (s *Service) AnnualReport(ctx context.Context, a *identity.Actor, agencyID int64, year int) (*Report, *Tables, error) {
	ag, err := s.officeOf(ctx, a, agencyID)
	if err != nil {
		return nil, nil, err
	}
	return s.reportTables(ctx, ag, year)
}

// officeOf loads an agency for its own 公开专员 (who write its report).
func (s *Service) officeOf(ctx context.Context, a *identity.Actor, agencyID int64) (*Agency, error) {
	ag, err := s.agencyOf(ctx, "", agencyID)
	if err != nil {
		return nil, err
	}
	return ag, CanHandleRequests(a, ag)
}

func (s *Service) reportTables(ctx context.Context, ag *Agency, year int) (*Report, *Tables, error) {
	if year < 2008 || year > s.today().Year() {
		return nil, nil, apperr.Field("year", "年度须在 2008 年至今之间")
	}
	rep, err := s.store.FindReport(ctx, ag.ID, year)
	if apperr.Is(err, apperr.NotFound) {
		rep, err = &Report{AgencyID: ag.ID, Year: year}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	docs, err := s.store.ReportDocStats(ctx, ag.ID, year)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.store.ReportRequestStats(ctx, ag.ID, year)
	if err != nil {
		return nil, nil, err
	}
	prev, err := s.previousCarried(ctx, ag.ID, year)
	if err != nil {
		return nil, nil, err
	}
	t := ComputeTables(year, docs, rep, st, prev)
	if t.Table2.Permits, err = s.permitDecisions(ctx, ag, rep); err != nil {
		return nil, nil, err
	}
	return rep, t, nil
}

// previousCarried is 四 of last year's published report, nil without one.
func (s *Service) previousCarried(ctx context.Context, agencyID int64, year int) (*[Table3Columns]int, error) {
	prev, err := s.store.FindReport(ctx, agencyID, year-1)
	if apperr.Is(err, apperr.NotFound) || (err == nil && len(prev.Snapshot) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var t Tables
	if err := json.Unmarshal(prev.Snapshot, &t); err != nil {
		return nil, err
	}
	v := t.Table3["4"]
	return &v, nil
}
