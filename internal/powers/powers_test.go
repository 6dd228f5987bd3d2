package powers

import (
	"bytes"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/tabular"
)

func penaltyContent() Content {
	return Content{Name: "对未取得食品经营许可从事食品经营活动的行政处罚", Type: catalog.TypePenalty,
		Bases: []Basis{{Law: "《中华人民共和国食品安全法》", Article: "第一百二十二条"}}, Subject: "西湖区市场监督管理局",
		Process: "立案—调查取证—审查—告知—决定—送达—执行", Duties: []string{"立案责任"}, Accountability: []string{"滥用职权的"},
		Benchmarks: []Benchmark{{Violation: "未取得许可经营食品", Level: LevelLight, Kinds: []string{"没收违法所得", "罚款"},
			FineMin: 5000_00, FineMax: 20000_00}}}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		code  string
		edit  func(*Content)
		field string
	}{
		{"valid penalty power", "CF00001000", func(*Content) {}, ""},
		{"code of another type", "XK00001000", func(*Content) {}, "code"},
		{"no basis", "CF00001000", func(c *Content) { c.Bases = nil }, "bases"},
		{"no duties", "CF00001000", func(c *Content) { c.Duties = nil }, "duties"},
		{"no accountability", "CF00001000", func(c *Content) { c.Accountability = nil }, "accountability"},
		{"benchmark on a licence power", "XK00001000", func(c *Content) { c.Type = catalog.TypeLicence }, "benchmarks"},
		{"min above max", "CF00001000", func(c *Content) { c.Benchmarks[0].FineMin = 30000_00 }, "benchmarks"},
		{"fine range without 罚款", "CF00001000", func(c *Content) { c.Benchmarks[0].Kinds = []string{"警告"} }, "benchmarks"},
		{"unknown penalty kind", "CF00001000", func(c *Content) { c.Benchmarks[0].Kinds = append(c.Benchmarks[0].Kinds, "游街") }, "benchmarks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := penaltyContent()
			tc.edit(&c)
			err := c.Validate(tc.code)
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

// TestDeviations: a penalty outside the benchmark is named precisely.
func TestDeviations(t *testing.T) {
	b := penaltyContent().Benchmarks[0]
	for _, tc := range []struct {
		kinds []string
		fine  int64
		want  string
	}{
		{[]string{"罚款"}, 10000_00, ""},
		{[]string{"罚款"}, 5000_00, ""},
		{[]string{"罚款"}, 20000_00, ""},
		{[]string{"罚款"}, 25000_00, "罚款 25000.00 元超出裁量基准（从轻处罚：5000.00–20000.00 元）"},
		{[]string{"罚款"}, 4999_99, "超出裁量基准"},
		{[]string{"罚款", "吊销许可证件"}, 10000_00, "处罚种类“吊销许可证件”不在基准规定的种类"},
	} {
		got := strings.Join(b.Deviations(tc.kinds, tc.fine), "；")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%v %d: %q, want %q", tc.kinds, tc.fine, got, tc.want)
		}
	}
	noFine := Benchmark{Level: LevelGeneral, Kinds: []string{"警告"}}
	if len(noFine.Deviations([]string{"罚款"}, 100_00)) != 2 {
		t.Fatal("a fine where the benchmark has none must deviate")
	}
}

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "1000": 1000_00, "1,000.50": 1000_50, "0.1": 10, "20000元": 20000_00} {
		if got, err := ParseYuan(in); err != nil || got != want {
			t.Errorf("%q = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"abc", "-5", "1.005", "1e400"} {
		if _, err := ParseYuan(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestBenchmarkWorkbook(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBenchmarks(&buf, penaltyContent().Benchmarks); err != nil {
		t.Fatal(err)
	}
	got, err := ReadBenchmarks(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].FineMax != 20000_00 || got[0].Level != LevelLight || len(got[0].Kinds) != 2 {
		t.Fatalf("round trip: %+v", got)
	}
	rows := [][]string{
		{"未取得许可经营食品", "食品安全法第一百二十二条", "从轻", "", "罚款", "5000", "20000", ""},
		{"", "", "最轻", "", "游街", "abc", "1.005", ""},
	}
	buf.Reset()
	if err := BenchmarkSheet.Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	_, err = ReadBenchmarks(bytes.NewReader(buf.Bytes()))
	list := tabular.ProblemsOf(err)
	want := []string{"第 3 行 第 A 列（违法行为）：不能为空", "第 3 行 第 C 列（裁量阶次）", "第 3 行 第 E 列（处罚种类）",
		"第 3 行 第 F 列（罚款下限（元））", "第 3 行 第 G 列（罚款上限（元））"}
	if len(list) != len(want) {
		t.Fatalf("problems %v", list)
	}
	for i, w := range want {
		if !strings.HasPrefix(list[i], w) {
			t.Errorf("problem %d = %q, want %q…", i, list[i], w)
		}
	}
}

func TestMalformedWorkbook(t *testing.T) {
	for name, data := range map[string][]byte{
		"not a workbook": []byte("违法行为,处罚依据\n"),
		"damaged zip":    append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 64)...),
	} {
		_, err := ReadBenchmarks(bytes.NewReader(data))
		if !apperr.Is(err, apperr.Invalid) || apperr.MessageOf(err) == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	var buf bytes.Buffer
	other := tabular.Sheet{Name: "裁量基准", Headers: []string{"违法行为", "依据"}}
	if err := other.Write(&buf, [][]string{{"x", "y"}}); err != nil {
		t.Fatal(err)
	}
	_, err := ReadBenchmarks(&buf)
	if list := tabular.ProblemsOf(err); len(list) == 0 || !strings.Contains(list[0], "第 1 行 第 B 列（表头）：应为“处罚依据”") {
		t.Fatalf("header problems %v (%v)", list, err)
	}
}
