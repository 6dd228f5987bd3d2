package supervision

import (
	"context"
	"testing"

	"openhall/internal/apperr"
)

// TestYellowRemaining: yellow when the used share reaches YellowPercent
// (used is whole days, so ceil) or YellowDays or fewer remain.
func TestYellowRemaining(t *testing.T) {
	r := DefaultRules() // 80 %, 1 day
	for _, tc := range []struct{ n, want int }{
		{1, 1}, {2, 1}, {3, 1}, {5, 1}, {10, 2}, {15, 3}, {20, 4}, {30, 6},
	} {
		if got := r.yellowRemaining(tc.n); got != tc.want {
			t.Errorf("limit %d: yellow from %d remaining, want %d", tc.n, got, tc.want)
		}
	}
	r.YellowPercent, r.YellowDays = 90, 3 // 榆林's 90 % with a 3-day prompt
	for _, tc := range []struct{ n, want int }{{10, 3}, {20, 3}, {40, 4}} {
		if got := r.yellowRemaining(tc.n); got != tc.want {
			t.Errorf("90%%/3: limit %d: %d, want %d", tc.n, got, tc.want)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Rules)
		field string
	}{
		{"比例过低", func(r *Rules) { r.YellowPercent = 40 }, "yellow_percent"},
		{"天数为负", func(r *Rules) { r.YellowDays = -1 }, "yellow_days"},
		{"理由字数", func(r *Rules) { r.ReasonMinRunes = 1 }, "reason_min_runes"},
		{"补录分钟", func(r *Rules) { r.BackfillMinutes = 300 }, "backfill_minutes"},
		{"等次颠倒", func(r *Rules) { r.Policy.Good = 95 }, "grades"},
		{"权重为负", func(r *Rules) { r.Policy.Weights[IndOnTime] = -5 }, "weight." + IndOnTime},
		{"全部权重为零", func(r *Rules) { r.Policy.Weights = map[string]int{IndOnTime: 0} }, "weights"},
	} {
		r := DefaultRules()
		r.Policy.Weights = map[string]int{IndOnTime: 30, IndCards: 20}
		tc.edit(&r)
		if err := r.Validate(); apperr.FieldsOf(err)[tc.field] == "" {
			t.Errorf("%s: want an error on %s, got %v", tc.name, tc.field, err)
		}
	}
	if err := DefaultRules().Validate(); err != nil {
		t.Fatalf("the defaults are valid: %v", err)
	}
}

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in, str, first, last string
		n                    int
	}{
		{"2026-03", "2026-03", "2026-03", "2026-03", 1},
		{"2026-Q2", "2026-Q2", "2026-04", "2026-06", 3},
		{"2026-q4", "2026-Q4", "2026-10", "2026-12", 3},
		{"2026", "2026", "2026-01", "2026-12", 12},
	} {
		p, err := ParsePeriod(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		ms := p.Months()
		if p.String() != tc.str || len(ms) != tc.n || ms[0] != tc.first || ms[len(ms)-1] != tc.last || !p.End().After(p.Start()) {
			t.Errorf("%s: %s %v", tc.in, p, ms)
		}
	}
	for _, bad := range []string{"", "26-03", "2026-13", "2026-Q5", "2026-00", "abcd", "2026-3-1"} {
		if _, err := ParsePeriod(bad); apperr.FieldsOf(err)["period"] == "" {
			t.Errorf("%q must be refused naming the period field: %v", bad, err)
		}
	}
}

// TestScoreLeavesOutAbsentIndicators: an indicator without data is left
// out of the score rather than counted as 0, and the grade follows the
// policy's thresholds.
func TestScoreLeavesOutAbsentIndicators(t *testing.T) {
	s := NewService(Deps{})
	s.rules.byID = map[int64]cachedRules{0: {r: DefaultRules(), at: s.d.Now()}}
	pol := DefaultRules().Policy
	rows := []Row{
		{Dim: DimDept, ID: 1, Counts: Counts{Received: 10, Accepted: 10, Decided: 10, OnTime: 10, Early: 5, IntakeTotal: 10, IntakeOnTime: 10, Steps: 10, StepsOnTime: 10}},
		{Dim: DimDept, ID: 2, Counts: Counts{Received: 4, Accepted: 4, IntakeTotal: 4, IntakeOnTime: 4, Red: 2}},
		{Dim: DimDept, ID: 3},
	}
	if err := s.score(context.Background(), 0, Period{Kind: "month", Year: 2026, N: 3}, rows, pol); err != nil {
		t.Fatal(err)
	}
	if _, ok := rows[1].Figure(IndOnTime); ok {
		t.Fatal("a department without decided cases has no 按时办结率 (absent, not 0 %)")
	}
	// 2: intake 100 (weight 10), supplement 100 (10), refusal 100 (5), cards 100−2×5 = 90 (15),
	// orders 100 (10): 4850 / 50 = 97
	if !rows[1].Scored || rows[1].Score < 96.99 || rows[1].Score > 97.01 || rows[1].Grade != "优秀" {
		t.Errorf("row 2 scored %.2f %s", rows[1].Score, rows[1].Grade)
	}
	if rows[2].Scored || rows[2].Grade != "—" {
		t.Errorf("a department without activity is not graded: %+v", rows[2])
	}
	if pol.Grade(79.9) != "合格" || pol.Grade(80) != "良好" || pol.Grade(59) != "不合格" {
		t.Error("grades follow the thresholds")
	}
}

// TestContributedIndicators: another module's indicator joins the score of
// the subjects it has data for, with its weight.
func TestContributedIndicators(t *testing.T) {
	s := NewService(Deps{})
	s.rules.byID = map[int64]cachedRules{0: {r: DefaultRules(), at: s.d.Now()}}
	err := s.Indicators.Register(Indicator{Key: "satisfaction", Label: "好评率", Public: true, DefaultWeight: 30,
		Values: func(_ context.Context, q IndicatorQuery) (map[int64]IndicatorValue, error) {
			return map[int64]IndicatorValue{1: {Value: 0.5, Display: "50%", Score: 50}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Indicators.Register(Indicator{Key: IndCards, Label: "x", Values: func(context.Context, IndicatorQuery) (map[int64]IndicatorValue, error) {
		return nil, nil
	}}); err == nil {
		t.Fatal("a built-in key cannot be registered")
	}
	rows := []Row{{Dim: DimDept, ID: 1, Counts: Counts{Received: 1, IntakeTotal: 1, IntakeOnTime: 1}}, {Dim: DimDept, ID: 2, Counts: Counts{Received: 1, IntakeTotal: 1, IntakeOnTime: 1}}}
	if err := s.score(context.Background(), 0, Period{Kind: "month", Year: 2026, N: 3}, rows, DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	if f, ok := rows[0].Figure("satisfaction"); !ok || f.Weight != 30 || rows[0].Score >= rows[1].Score {
		t.Fatalf("好评率 50%% lowers department 1's score: %+v vs %.1f", rows[0], rows[1].Score)
	}
	if _, ok := rows[1].Figure("satisfaction"); ok || rows[1].Shown("satisfaction") != "—" {
		t.Fatal("a department without ratings shows —")
	}
}

func TestStateRoundTrip(t *testing.T) {
	open := []OpenCard{{Subject: "s0@3", Colour: Red, Provisional: 2027}}
	pending := []Judgement{{Seq: 4, Provisional: 2027, Tallies: []Tally{{Dept: 1, Counts: Counts{Decided: 1}}}}}
	o, p, err := DecodeState(EncodeState(open, pending))
	if err != nil || len(o) != 1 || o[0] != open[0] || len(p) != 1 || p[0].Tallies[0].Counts.Decided != 1 {
		t.Fatalf("%+v %+v %v", o, p, err)
	}
	if EncodeState(nil, nil) != "{}" {
		t.Fatal("empty state")
	}
	if got := ParseDeptList(DeptList([]int64{3, 17})); len(got) != 2 || got[1] != 17 {
		t.Fatal(got)
	}
}
