package supervision

import (
	"bytes"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"
)

// XLSXType is the media type of the workbooks below.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ExportLimit bounds the rows of a list export.
const ExportLimit = 10000

// sheetOf writes rows (the first is the header) into a one-sheet workbook.
func sheetOf(name, title string, rows [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return nil, err
	}
	if err := writeRows(f, name, rows); err != nil {
		return nil, err
	}
	f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "阳光政务大厅"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeRows(f *excelize.File, sheet string, rows [][]any) error {
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func cstTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format("2006-01-02 15:04")
}

func yes(b bool) string {
	if b {
		return "是"
	}
	return ""
}

// CasesXLSX is a list of open cases as a workbook.
func CasesXLSX(rows []*WatchRow, dept, window func(int64) string) ([]byte, error) {
	out := [][]any{{"办件编号", "事项编码", "事项名称", "状态", "受理部门", "受理窗口", "提交时间", "受理时间", "承诺办结日", "暂定",
		"红黄牌", "暂停计时", "已超期", "初审超期"}}
	for _, r := range rows {
		due := r.PromisedDue
		prov := ""
		if r.Provisional != 0 {
			prov = fmt.Sprintf("%d 年节假日未导入", r.Provisional)
		}
		out = append(out, []any{r.Number, r.ItemCode, r.ItemName, r.Status.Label(), dept(r.DeptID), window(r.WindowID),
			cstTime(r.SubmittedAt), cstTime(r.AcceptedAt), due, prov, colourText(r.Colour), yes(r.Paused), yes(r.Overdue), yes(r.IntakeLate)})
	}
	return sheetOf("在办件", "在办件监察清单", out)
}

func colourText(c Colour) string {
	if c == None {
		return ""
	}
	return c.Label()
}

// CardsXLSX is a list of cards as a workbook, with the GB/T 39046 电子监察
// fields as columns.
func CardsXLSX(cards []*Card) ([]byte, error) {
	out := [][]any{{"监察编号", "办件编号", "监察规则编号", "监察预警类型代码", "预警类型", "颜色", "状态产生时间", "责任部门", "责任人",
		"情况", "暂定", "解除时间", "监察结果描述", "监察人员结论"}}
	for _, c := range cards {
		prov := ""
		if c.Provisional != 0 {
			prov = fmt.Sprintf("%d 年节假日未导入", c.Provisional)
		}
		out = append(out, []any{c.Number, c.CaseNumber, c.Rule, string(c.Kind), c.Kind.Label(), c.Colour.Label(), cstTime(c.AroseAt),
			c.DeptName, c.UserLabel, c.Detail, prov, cstTime(c.ClearedAt), c.Outcome, c.Resolution})
	}
	return sheetOf("红黄牌", "红黄牌清单", out)
}

// EvaluationXLSX is an evaluation as a workbook: a sheet per dimension.
func EvaluationXLSX(ev *Evaluation) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheets := []struct {
		name string
		rows []Row
	}{{"部门", append(append([]Row(nil), ev.Depts...), ev.Total)}, {"窗口", ev.Windows}, {"工作人员", ev.Users}}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return nil, err
		}
		if err := writeRows(f, sh.name, evaluationRows(ev, sh.rows)); err != nil {
			return nil, err
		}
	}
	title := ev.CentreName + ev.Label + "绩效评估"
	if ev.Frozen {
		title += "（已关闭）"
	}
	f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "阳光政务大厅"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func evaluationRows(ev *Evaluation, rows []Row) [][]any {
	head := []any{"名称", "收件", "受理", "不予受理", "补正", "办结", "按时办结", "提前办结", "平均用时（工作日）", "平均承诺时限", "黄牌", "红牌", "督办"}
	for _, ind := range ev.Indicators {
		head = append(head, ind[1])
	}
	out := [][]any{append(head, "综合得分", "等次")}
	for _, r := range rows {
		c := r.Counts
		line := []any{r.Name, c.Received, c.Accepted, c.Refused, c.Supplemented, c.Decided, c.OnTime, c.Early,
			round1(r.AvgUsed), round1(r.AvgPromised), c.Yellow, c.Red, c.Orders}
		for _, ind := range ev.Indicators {
			fig, ok := r.Figure(ind[0])
			if ok {
				line = append(line, fig.Display)
			} else {
				line = append(line, "—")
			}
		}
		score := any("—")
		if r.Scored {
			score = round1(r.Score)
		}
		out = append(out, append(line, score, r.Grade))
	}
	return out
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

// OrdersXLSX is a list of 督办 as a workbook; late marks those past their
// feedback deadline without an answer.
func OrdersXLSX(orders []*Order, late func(*Order) bool) ([]byte, error) {
	out := [][]any{{"督办编号", "级别", "被督办部门", "办件编号", "督办内容", "发出时间", "发出人", "反馈期限", "暂定", "状态", "逾期",
		"反馈", "反馈时间", "监察结果描述", "办结时间", "升级时间", "升级至"}}
	for _, o := range orders {
		prov := ""
		if o.Provisional != 0 {
			prov = fmt.Sprintf("%d 年节假日未导入", o.Provisional)
		}
		out = append(out, []any{o.Number, o.LevelLabel(), o.DeptName, o.CaseNumber, o.Content, cstTime(o.IssuedAt), o.IssuedByLabel,
			o.Due.String(), prov, o.Status.Label(), yes(late(o)), o.Feedback, cstTime(o.AnsweredAt), o.Result, cstTime(o.ClosedAt),
			cstTime(o.EscalatedAt), o.EscalatedTo})
	}
	return sheetOf("督办", "督办清单", out)
}
