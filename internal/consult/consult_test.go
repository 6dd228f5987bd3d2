package consult

import (
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
)

func mustCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestComputePeriod: the period counts from the day after publication
// (民法典 Art 201) and a last day that is a weekend or holiday moves to the
// next working day (Art 203); a make-up Saturday is a working day; a year
// without an imported schedule gives a provisional last day, counted with
// the days off the law fixes (放假办法 Art 2).
func TestComputePeriod(t *testing.T) {
	cal := mustCalendar(t)
	for _, tc := range []struct {
		name, opens string
		days        int
		last        string
		provisional int
	}{
		{"ordinary weekday", "2026-03-18", 30, "2026-04-17", 0},
		{"ends on a Sunday", "2026-03-16", 34, "2026-04-20", 0},
		{"ends on the make-up Saturday before the Spring Festival", "2026-01-15", 30, "2026-02-14", 0},
		{"ends inside the Spring Festival", "2026-01-20", 30, "2026-02-24", 0},
		{"ends on the make-up Saturday after it", "2026-01-29", 30, "2026-02-28", 0},
		{"ends inside 国庆", "2026-09-01", 31, "2026-10-08", 0},
		{"short period with a reason", "2026-03-18", 15, "2026-04-02", 0},
		// 12-10 + 30 = Saturday 2027-01-09: moved to Monday 01-11.
		{"December, next year missing", "2026-12-10", 30, "2027-01-11", 2027},
		// 12-02 + 30 = Friday 2027-01-01, 元旦, off by law even before the
		// 2027 schedule is imported; 2–3 January are the weekend: moved to
		// Monday 01-04, provisionally.
		{"December, lands on New Year's Day", "2026-12-02", 30, "2027-01-04", 2027},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ComputePeriod(cal, date(t, tc.opens), tc.days)
			if err != nil {
				t.Fatal(err)
			}
			if p.Last.String() != tc.last || p.Provisional != tc.provisional {
				t.Fatalf("last %s provisional %d, want %s %d", p.Last, p.Provisional, tc.last, tc.provisional)
			}
			if (p.Note() != "") != (tc.provisional != 0) {
				t.Fatalf("note %q", p.Note())
			}
			if !p.Accepts(p.Last) || p.Accepts(p.Last.AddDays(1)) || !p.Over(p.Last.AddDays(1)) || p.Over(p.Last) {
				t.Fatal("the last day is in the period, the day after is not")
			}
			if p.Accepts(p.Opens.AddDays(-1)) {
				t.Fatal("no comment before publication")
			}
		})
	}
	if _, err := ComputePeriod(cal, date(t, "2026-03-18"), 0); err == nil {
		t.Fatal("a zero period must fail")
	}
}

// TestInputValidate: 30 days or more, or a reason (Art 15).
func TestInputValidate(t *testing.T) {
	base := Input{AgencyID: 1, Title: "草案", Draft: "第一条 内容。", Explanation: "说明"}
	for _, tc := range []struct {
		name  string
		edit  func(*Input)
		field string
	}{
		{"30 days", func(in *Input) { in.Days = 30 }, ""},
		{"20 days without reason", func(in *Input) { in.Days = 20 }, "short_reason"},
		{"20 days with reason", func(in *Input) { in.Days, in.ShortReason = 20, "汛期临近，情况紧急" }, ""},
		{"no period", func(in *Input) { in.Days = 0 }, "days"},
		{"too long", func(in *Input) { in.Days = 400 }, "days"},
		{"no title", func(in *Input) { in.Days, in.Title = 30, "" }, "title"},
		{"no explanation", func(in *Input) { in.Days, in.Explanation = 30, "" }, "explanation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.edit(&in)
			err := in.validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if apperr.FieldsOf(err)[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, err)
			}
		})
	}
}

func TestParseSections(t *testing.T) {
	draft := "为了规范管理，制定本办法。\n\n第一章 总则\n本章说明。\n第一条 为了……\n第二条 本办法适用于\n本区行政区域。\n# 附则\n第十条 自公布之日起施行。"
	got := ParseSections(draft)
	want := []string{"序言", "第一章 总则", "第一条", "第二条", "附则", "第十条"}
	if len(got) != len(want) {
		t.Fatalf("got %d sections: %+v", len(got), got)
	}
	for i, s := range got {
		if s.Label != want[i] || s.Seq != i+1 {
			t.Fatalf("section %d = %+v, want %s", i, s, want[i])
		}
	}
	if got[3].Text != "第二条 本办法适用于\n本区行政区域。" {
		t.Fatalf("article text %q", got[3].Text)
	}
	if got[1].Text != "第一章 总则\n本章说明。" {
		t.Fatalf("heading text %q", got[1].Text)
	}
}

func TestCheckBody(t *testing.T) {
	for _, tc := range []struct {
		body string
		want string
	}{
		{"建议第三条增加对老年人的照顾。", ""},
		{"", "请填写意见内容"},
		{strings.Repeat("意", MaxComment+1), "不能超过 2000 个字（现有 2001 个字）"},
		{strings.Repeat("意", 20000), "现有 20000 个字"},
		{"<script>alert(1)</script>", "HTML 标签或脚本"},
		{"看图<img src=x onerror=alert(1)>", "HTML 标签或脚本"},
		{"点击 javascript:alert(1)", "HTML 标签或脚本"},
		{"金额应<5000元，且 a<b 时适用", ""},
	} {
		err := CheckBody(tc.body)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%q refused: %v", tc.body[:min(len(tc.body), 30)], err)
			}
			continue
		}
		if msg := apperr.FieldsOf(err)["body"]; !strings.Contains(msg, tc.want) {
			t.Errorf("%q: message %q, want %q", tc.body[:min(len(tc.body), 30)], msg, tc.want)
		}
	}
}

func TestCheckVerdict(t *testing.T) {
	if err := checkVerdict(VerdictAdopted, ""); err != nil {
		t.Fatal(err)
	}
	for _, v := range []Verdict{VerdictPartial, VerdictRejected} {
		if apperr.FieldsOf(checkVerdict(v, ""))["reason"] == "" {
			t.Fatalf("%s without a reason accepted", v)
		}
	}
	if apperr.FieldsOf(checkVerdict("maybe", "x"))["verdict"] == "" {
		t.Fatal("unknown verdict accepted")
	}
}

func TestSummary(t *testing.T) {
	n := Counts{Visible: 12, Adopted: 5, Partial: 3, Rejected: 4, Hidden: 1}
	want := "共收到意见 12 条，采纳 5 条，部分采纳 3 条，未采纳 4 条；另有 1 条意见经审核未予展示。"
	if got := n.Summary(); got != want {
		t.Fatalf("%s", got)
	}
}

func TestSurveyAnswersAndTally(t *testing.T) {
	sv := &Survey{Questions: []Question{
		{Text: "总体评价", Kind: Single, Options: []string{"满意", "一般", "不满意"}},
		{Text: "关注领域", Kind: Multiple, Options: []string{"教育", "医疗", "交通"}},
		{Text: "其他建议", Kind: FreeText},
	}}
	if _, err := checkAnswers(sv, []Answer{{Choices: []int{0, 1}}, {Choices: []int{0}}, {}}); apperr.FieldsOf(err)["q0"] == "" {
		t.Fatalf("two choices on a single question accepted: %v", err)
	}
	if _, err := checkAnswers(sv, []Answer{{Choices: []int{0}}, {}, {}}); apperr.FieldsOf(err)["q1"] == "" {
		t.Fatalf("unanswered choice question accepted: %v", err)
	}
	if _, err := checkAnswers(sv, []Answer{{Choices: []int{3}}, {Choices: []int{0}}, {}}); err == nil {
		t.Fatal("option out of range accepted")
	}
	clean, err := checkAnswers(sv, []Answer{{Choices: []int{0}}, {Choices: []int{0, 2}}, {Text: "请联系13812345678"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(clean[2].Text, "13812345678") {
		t.Fatalf("phone kept: %s", clean[2].Text)
	}
	rs := []*Response{{Answers: clean}, {Answers: []Answer{{Choices: []int{1}}, {Choices: []int{2}}, {}}}}
	res := Tally(sv, rs)
	if res.Responses != 2 || res.Questions[0].Counts[0] != 1 || res.Questions[1].Counts[2] != 2 || res.Questions[1].Percents[2] != 100 {
		t.Fatalf("tally %+v", res.Questions)
	}
	if len(res.Questions[2].Texts) != 1 {
		t.Fatalf("texts %v", res.Questions[2].Texts)
	}
}

func TestParseQuestions(t *testing.T) {
	qs, err := ParseQuestions("单选|总体评价|满意;一般;不满意\n\n多选|关注领域|教育;医疗\n填空|其他建议")
	if err != nil || len(qs) != 3 || qs[0].Kind != Single || len(qs[0].Options) != 3 || qs[2].Kind != FreeText {
		t.Fatalf("%+v %v", qs, err)
	}
	if FormatQuestions(qs) != "单选|总体评价|满意;一般;不满意\n多选|关注领域|教育;医疗\n填空|其他建议\n" {
		t.Fatalf("%q", FormatQuestions(qs))
	}
	if _, err := ParseQuestions("问答|什么"); err == nil {
		t.Fatal("unknown kind accepted")
	}
}
