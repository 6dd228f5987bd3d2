package catalog

import (
	"slices"
	"testing"

	"openhall/internal/calendar"
)

func TestCodeTablesRoundTrip(t *testing.T) {
	for _, v := range ItemTypes() {
		if got, err := ParseItemType(v.Label()); err != nil || got != v {
			t.Errorf("item type %s: %v %v", v, got, err)
		}
		if got, _ := ParseItemType(string(v)); got != v {
			t.Errorf("item type code %s", v)
		}
	}
	for _, v := range Audiences() {
		if got, _ := ParseAudience(v.Label()); got != v {
			t.Errorf("audience %s", v)
		}
	}
	if TypeLicence != "01" || LevelVillage != "6" || AudienceEnterprise != "2" || FormMobile != "3" || KindImmediate != "1" || ProcedureExtension != "1" {
		t.Fatal("national codes changed")
	}
	if _, err := ParseLevel("8"); err == nil {
		t.Fatal("level 8 accepted")
	}
}

func TestFeeCompute(t *testing.T) {
	f := Fee{Name: "增发证书", Formula: &Formula{Quantity: "本数", BaseFen: 8000, UnitFen: 1000, Free: 1, MaxFen: 15000}}
	for q, want := range map[int64]int64{0: 8000, 1: 8000, 3: 10000, 20: 15000} {
		if got, err := f.Compute(map[string]int64{"本数": q}); err != nil || got != want {
			t.Errorf("%d 本: %d %v, want %d", q, got, err, want)
		}
	}
	if _, err := f.Compute(nil); err == nil {
		t.Error("missing quantity accepted")
	}
	fs := Fees{Charged: true, Items: []Fee{{AmountFen: 2000}, f}}
	if got, err := fs.Total(map[string]int64{"本数": 2}); err != nil || got != 11000 {
		t.Errorf("total: %d %v", got, err)
	}
	if got, _ := (Fees{}).Total(nil); got != 0 || Yuan(1050) != "10.50 元" {
		t.Error("free item or yuan formatting")
	}
}

func TestExceeds(t *testing.T) {
	wd, nd, h := calendar.UnitWorkday, calendar.UnitNaturalDay, calendar.UnitHour
	for _, c := range []struct {
		a, b           calendar.Limit
		longer, compar bool
	}{
		{calendar.Limit{N: 10, Unit: wd}, calendar.Limit{N: 20, Unit: wd}, false, true},
		{calendar.Limit{N: 21, Unit: wd}, calendar.Limit{N: 20, Unit: wd}, true, true},
		{calendar.Limit{N: 8, Unit: h}, calendar.Limit{N: 1, Unit: wd}, true, true},
		{calendar.Limit{N: 7, Unit: h}, calendar.Limit{N: 1, Unit: wd}, false, true},
		{calendar.Limit{N: 15, Unit: nd}, calendar.Limit{N: 20, Unit: wd}, false, true},
		{calendar.Limit{N: 10, Unit: wd}, calendar.Limit{N: 30, Unit: nd}, false, false},
	} {
		l, ok := exceeds(c.a, c.b)
		if l != c.longer || ok != c.compar {
			t.Errorf("%v vs %v: %v %v", c.a, c.b, l, ok)
		}
	}
}

func TestDiff(t *testing.T) {
	a := Guide{Name: "结婚登记", Materials: []Material{{Name: "户口簿"}, {Name: "身份证"}}, Location: "一楼"}
	b := a
	b.Materials = []Material{{Name: "身份证"}, {Name: "照片"}}
	b.PromisedLimit.Limit = calendar.Limit{N: 5, Unit: calendar.UnitWorkday}
	b.Fees = Fees{Charged: true, Items: []Fee{{Name: "工本费", AmountFen: 900}}}
	want := []string{"承诺办结时限由当场办结调整为 5 个工作日", "新增申请材料“照片”", "取消申请材料“户口簿”", "收费由“不收费”调整为“工本费 9.00 元”"}
	if got := Diff(&a, &b); !slices.Equal(got, want) {
		t.Fatalf("diff:\n got %q\nwant %q", got, want)
	}
	c := a
	c.FAQs = []FAQ{{Question: "问", Answer: "答"}}
	if got := Diff(&a, &c); !slices.Equal(got, []string{"办事指南其他内容调整"}) {
		t.Fatalf("other change: %q", got)
	}
}
