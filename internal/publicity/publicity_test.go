package publicity

import (
	"bytes"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/pii"
	"openhall/internal/tabular"
)

func d(t *testing.T, s string) calendar.Date {
	t.Helper()
	v, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestComputeTimeliness: 7 working days from the day after the decision,
// on an ordinary week, across the Spring Festival with its make-up
// Saturdays, and into a year without an imported schedule, where the
// weekends and the days off the law fixes (放假办法 Art 2) are skipped.
func TestComputeTimeliness(t *testing.T) {
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, decided, published, due string
		onTime                        bool
		provisional                   int
	}{
		{"ordinary week", "2026-03-18", "2026-03-20", "2026-03-27", true, 0},
		{"published on the due day", "2026-03-18", "2026-03-27", "2026-03-27", true, 0},
		{"late", "2026-03-18", "2026-03-30", "2026-03-27", false, 0},
		{"not yet published", "2026-03-18", "", "2026-03-27", false, 0},
		// 13 Feb (Fri): 14 Feb (make-up Sat) is day 1, 15–23 Feb off,
		// 24–27 Feb days 2–5, 28 Feb (make-up Sat) day 6, 2 Mar day 7.
		{"across the Spring Festival", "2026-02-13", "2026-02-28", "2026-03-02", true, 0},
		{"across 国庆 with its make-up Saturday", "2026-09-29", "2026-10-12", "2026-10-14", true, 0},
		// 28 Dec (Mon): 29–31 Dec days 1–3; 1 Jan 2027 is 元旦, off by law
		// though 2027 is not imported, 2–3 Jan a weekend; 4–7 Jan days 4–7
		// (暂定 2027).
		{"December, next year missing", "2026-12-28", "2026-12-30", "2027-01-07", true, 2027},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pub calendar.Date
			if tc.published != "" {
				pub = d(t, tc.published)
			}
			tl, err := ComputeTimeliness(cal, d(t, tc.decided), pub)
			if err != nil {
				t.Fatal(err)
			}
			if tl.Due.String() != tc.due || tl.OnTime != tc.onTime || tl.Provisional != tc.provisional {
				t.Fatalf("got %+v", tl)
			}
			if (tl.Note() != "") != (tc.provisional != 0) {
				t.Fatal("provisional note")
			}
		})
	}
}

// TestPeriods: the longest period of the kinds; a low fine is 3 months
// (市场监督管理行政处罚信息公示规定 Art 13).
func TestPeriods(t *testing.T) {
	p := DefaultPeriods()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kinds []string
		fine  int64
		want  int
	}{
		{[]string{"警告"}, 0, 3},
		{[]string{"通报批评"}, 0, 3},
		{[]string{"罚款"}, 5000_00, 3},
		{[]string{"罚款"}, 50000_00, 36},
		{[]string{"警告", "罚款"}, 50000_00, 36},
		{[]string{"罚款", "吊销许可证件"}, 100_00, 36},
	} {
		if got := p.MonthsFor(tc.kinds, tc.fine); got != tc.want {
			t.Errorf("%v %d: %d months, want %d", tc.kinds, tc.fine, got, tc.want)
		}
	}
	bad := DefaultPeriods()
	bad.Months["罚款"] = 0
	if apperr.FieldsOf(bad.Validate())["months.罚款"] == "" {
		t.Fatal("a zero period accepted")
	}
}

func TestUntil(t *testing.T) {
	for _, tc := range []struct {
		from   string
		months int
		want   string
	}{
		{"2026-03-18", 3, "2026-06-18"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2026-03-18", 36, "2029-03-18"},
	} {
		if got := Until(d(t, tc.from), tc.months); got.String() != tc.want {
			t.Errorf("%s + %d = %s, want %s", tc.from, tc.months, got, tc.want)
		}
	}
}

func TestPenaltyInputCheck(t *testing.T) {
	today := d(t, "2026-03-18")
	ok := PenaltyInput{DepartmentID: 1, Number: "西市监罚〔2026〕12号", HolderKind: "法人", HolderName: "杭州某某餐饮有限公司",
		CreditCode: "91330106MA2H3P0X0N", Title: "未取得食品经营许可从事食品经营", Content: "没收违法所得并罚款", Basis: "食品安全法第一百二十二条",
		Kinds: []string{"罚款"}, Fine: "10000", DecidedOn: "2026-03-10", PowerCode: "CF00001000", BenchmarkSeq: 1}
	for _, tc := range []struct {
		name  string
		edit  func(*PenaltyInput)
		field string
	}{
		{"person with a credit code", func(in *PenaltyInput) { in.HolderKind = "自然人" }, "credit_code"},
		{"bad credit code", func(in *PenaltyInput) { in.CreditCode = "91330106MA2H3P0X0X" }, "credit_code"},
		{"fine without 罚款", func(in *PenaltyInput) { in.Kinds = []string{"警告"} }, "fine"},
		{"罚款 without amount", func(in *PenaltyInput) { in.Fine = "" }, "fine"},
		{"future date", func(in *PenaltyInput) { in.DecidedOn = "2026-03-19" }, "decided_on"},
		{"unknown kind", func(in *PenaltyInput) { in.Kinds = append(in.Kinds, "游街") }, "kinds"},
		{"no power", func(in *PenaltyInput) { in.PowerCode = "" }, "power_code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			in.Kinds = append([]string{}, ok.Kinds...)
			tc.edit(&in)
			_, err := in.check(today)
			if apperr.FieldsOf(err)[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, err)
			}
		})
	}
	ok.CreditCode = validCreditCode(t)
	if _, err := ok.check(today); err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
}

func validCreditCode(t *testing.T) string {
	t.Helper()
	c, err := pii.CreditCheckChar("91330106MA2H3P0X0")
	if err != nil {
		t.Fatal(err)
	}
	return "91330106MA2H3P0X0" + string(c)
}

func TestPublishedName(t *testing.T) {
	if got := publishedName(HolderPerson, "张三丰"); got == "张三丰" || !strings.HasPrefix(got, "张") {
		t.Fatalf("a natural person's name must be masked: %q", got)
	}
	if got := publishedName(HolderLegal, "杭州某某有限公司"); got != "杭州某某有限公司" {
		t.Fatal(got)
	}
}

func TestPlanQuery(t *testing.T) {
	q := PlanQuery(Search{Q: "西湖 餐饮有限公司 91330106", Kind: KindPenalty, DepartmentID: 7}, d(t, "2026-03-18"))
	if len(q.Terms) != 3 || q.Terms[0] != "西湖" {
		t.Fatalf("terms %v", q.Terms)
	}
	want := map[string]bool{"西湖": true, "zzkpenalty": true, "zzd7": true, "餐饮": true}
	for _, g := range q.Grams {
		delete(want, g)
	}
	if len(want) > 0 {
		t.Fatalf("grams %v miss %v", q.Grams, want)
	}
}

func TestReadPenalties(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{
		{"A1", "法人", "某公司", "91330106MA2H3P0X0N", "违法", "内容", "依据", "罚款", "100", "2026-03-10", "CF00001000", "1", ""},
		{"A1", "法人", "某公司", "91330106MA2H3P0X0N", "违法", "内容", "依据", "罚款", "100", "2026-03-10", "CF00001000", "x", ""},
	}
	if err := PenaltySheet.Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	_, err := ReadPenalties(&buf, 1)
	list := tabular.ProblemsOf(err)
	if len(list) != 2 || !strings.Contains(list[0], "第 3 行 第 L 列（裁量基准序号）") || !strings.Contains(list[1], "与第 2 行的文号重复") {
		t.Fatalf("%v", list)
	}
	if _, err := ReadPenalties(strings.NewReader("not a workbook"), 1); !apperr.Is(err, apperr.Invalid) {
		t.Fatal(err)
	}
}

func TestDigitTrigrams(t *testing.T) {
	got := digitTrigrams("西市监罚〔2026〕1234号 91330106ma00")
	want := []string{"z3202", "z3026", "z3123", "z3234", "z3913", "z3133", "z3330", "z3301", "z3010", "z3106"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%v", got)
	}
	q := PlanQuery(Search{Q: "91330106MA00654321"}, d(t, "2026-03-18"))
	for _, g := range q.Grams {
		if isDigits(g) {
			t.Fatalf("digit bigram %q in a query with digit trigrams: %v", g, q.Grams)
		}
	}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
