package rating

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// XLSXType is the media type of the workbooks written here.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Sheet is one extra sheet of a workbook: a header row and data rows.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]any
}

// FigureSheet lays out satisfaction figures as a sheet: one row per key
// and a total, with 好评率, 回访率 and 差评整改率 in percent.
func FigureSheet(f *Figures) Sheet {
	s := Sheet{Name: "好差评统计", Header: []string{f.Query.By.Label(), "评价总数", "非常满意", "满意", "基本满意", "不满意", "非常不满意",
		"默认评价", "好评率(%)", "差评数", "实名差评", "已回访", "回访率(%)", "已整改", "差评整改率(%)", "申诉成立"}}
	for _, r := range append(append([]FigureRow(nil), f.Rows...), f.Sum) {
		s.Rows = append(s.Rows, []any{r.Label, r.Total, r.Levels[0], r.Levels[1], r.Levels[2], r.Levels[3], r.Levels[4], r.Defaults,
			RateCell(r.GoodRate(), r.Total), r.Bad, r.RealName, r.CalledBack, RateCell(r.CallbackRate(), r.RealName), r.Rectified,
			RateCell(r.RectifyRate(), r.Tickets), r.Upheld})
	}
	return s
}

func round1(x float64) float64 { return float64(int(x*10+0.5)) / 10 }

// NoRate is what a sheet shows, as the page does, for a rate of nothing.
const NoRate = "—"

// RateCell is a percentage cell, or NoRate when there was nothing to count.
func RateCell(x float64, of int) any {
	if of == 0 {
		return NoRate
	}
	return round1(x)
}

// WorkbookXLSX writes sheets as a workbook.
func WorkbookXLSX(title string, sheets ...Sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return nil, err
		}
		if err := writeSheet(f, s); err != nil {
			return nil, fmt.Errorf("write sheet %s: %w", s.Name, err)
		}
	}
	f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "阳光政务大厅"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeSheet(f *excelize.File, s Sheet) error {
	head := make([]any, len(s.Header))
	for i, h := range s.Header {
		head[i] = h
	}
	if err := f.SetSheetRow(s.Name, "A1", &head); err != nil {
		return err
	}
	for i, row := range s.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(s.Name, cell, &row); err != nil {
			return err
		}
	}
	return f.SetColWidth(s.Name, "A", "A", 36)
}
