package sheet_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"openhall/internal/catalog"
	"openhall/internal/catalog/sheet"

	"github.com/xuri/excelize/v2"
)

func sample() catalog.ItemInput {
	g := catalog.Guide{Name: "道路货物运输经营许可", Type: catalog.TypeLicence, Level: catalog.LevelCity,
		Subject:    catalog.Subject{Name: "杭州市交通运输局", CreditCode: "11330100002506991M", Nature: catalog.NatureStatutory},
		LegalBases: []catalog.LegalBasis{{Law: "《中华人民共和国道路运输条例》", Article: "第二十四条", Text: "申请程序"}},
		Conditions: "有经检测合格的车辆",
		Materials: []catalog.Material{{Name: "申请表", Source: "申请人自备", Originals: 1, Need: catalog.NeedRequired, Type: catalog.MaterialUpload, Form: &catalog.FileRef{ID: 7}},
			{Name: "委托书", Originals: 1, Need: catalog.NeedConditional, Condition: "委托办理的", Type: catalog.MaterialSign}},
		Fees: catalog.Fees{Charged: true, Items: []catalog.Fee{{Name: "工本费", Basis: "某文件", Standard: "每证 10.5 元", AmountFen: 1050},
			{Name: "增发", Basis: "某文件", Standard: "每本 10 元", Formula: &catalog.Formula{Quantity: "本数", UnitFen: 1000, Free: 1, MaxFen: 5000}}}},
		Audiences: []catalog.Audience{catalog.AudienceEnterprise}, Themes: []string{"交通运输"}, Forms: []catalog.HandlingForm{catalog.FormWindow},
		Result: catalog.Result{Name: "道路运输经营许可证", Type: catalog.ResultCertificate, ValidMonths: 48, Validity: "4年"},
		Kind:   catalog.KindPromised, Scope: catalog.ScopeNone, Online: true, OnlineURL: "https://example.gov.cn/",
		FAQs: []catalog.FAQ{{Question: "问", Answer: "答"}}}
	g.LegalLimit.N, g.LegalLimit.Unit, g.PromisedLimit.N, g.PromisedLimit.Unit = 20, "workday", 5, "workday"
	g.Steps = []catalog.Step{{Name: "受理", Role: "window_clerk", CounterMin: 15, WaitMin: 10},
		{Name: "审查", Role: "approver", Parallel: true, Department: &catalog.DeptRef{CreditCode: "11330100002506991M"}}}
	g.Steps[0].Limit.Unit, g.Steps[1].Limit.Unit, g.Steps[1].Limit.N = "workday", "natural_day", 3
	return catalog.ItemInput{Code: "XK00207000", ImplCode: "X-1", DeptCode: "11330100002506991M", Guide: g}
}

func TestRoundTrip(t *testing.T) {
	in := []catalog.ItemInput{sample()}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	rows, err := sheet.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Line != 2 || !reflect.DeepEqual(rows[0].Input, in[0]) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", rows[0].Input, in[0])
	}
}

// workbook builds an .xlsx with the given rows on the catalogue sheet.
func workbook(t *testing.T, rows ...[]any) []byte {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", sheet.SheetName)
	for i, r := range rows {
		f.SetSheetRow(sheet.SheetName, "A"+string(rune('1'+i)), &r)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func problems(t *testing.T, data []byte) []string {
	t.Helper()
	_, err := sheet.Read(bytes.NewReader(data))
	if err == nil {
		t.Fatal("a bad file was read")
	}
	return sheet.ProblemsOf(err)
}

func TestBadFiles(t *testing.T) {
	if _, err := sheet.Read(strings.NewReader("名称,编码\n")); err == nil || !strings.Contains(err.Error(), "不是 Excel 工作簿") {
		t.Fatalf("a CSV file: %v", err)
	}
	ps := problems(t, workbook(t, []any{"事项名称", "基本编码"}))
	if len(ps) != len(sheet.Headers()) || ps[0] != "第 1 行 第 A 列（表头）：应为“基本编码”，实际为“事项名称”" {
		t.Fatalf("wrong header: %d problems, first %q", len(ps), ps[0])
	}
	head := make([]any, 0, len(sheet.Headers()))
	for _, h := range sheet.Headers() {
		head = append(head, h)
	}
	row := make([]any, len(head))
	row[0], row[4], row[13] = "XK00001000", "行政许可证", "受理|窗口人员|一天"
	ps = problems(t, workbook(t, head, row))
	want := []string{"第 2 行 第 E 列（事项类型）：事项类型“行政许可证”不是有效的代码", "第 2 行 第 N 列（办理流程）：第 1 个环节的时限“一天”应为不小于 0 的整数"}
	if len(ps) != 2 || !strings.HasPrefix(ps[0], want[0]) || ps[1] != want[1] {
		t.Fatalf("bad cells: %q", ps)
	}
}
