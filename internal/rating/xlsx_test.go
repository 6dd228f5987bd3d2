package rating_test

import (
	"testing"

	"openhall/internal/rating"
)

// TestFigureSheetRates: a rate of nothing (no ratings, no real-name bad
// review, no ticket) is "—" in the sheet, as on the page, never 0.
func TestFigureSheetRates(t *testing.T) {
	f := &rating.Figures{Query: rating.FigureQuery{By: rating.ByDepartment}, Rows: []rating.FigureRow{
		{Label: "甲局", Total: 4, Good: 3, Bad: 1, Tickets: 1, Rectified: 1},
		{Label: "乙局"},
	}, Sum: rating.FigureRow{Label: "合计", Total: 4, Good: 3, Bad: 1, Tickets: 1, Rectified: 1}}
	s := rating.FigureSheet(f)
	col := func(name string) int {
		for i, h := range s.Header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return 0
	}
	good, callback, rectify := col("好评率(%)"), col("回访率(%)"), col("差评整改率(%)")
	want := [][3]any{{75.0, rating.NoRate, 100.0}, {rating.NoRate, rating.NoRate, rating.NoRate}, {75.0, rating.NoRate, 100.0}}
	for i, w := range want {
		if got := [3]any{s.Rows[i][good], s.Rows[i][callback], s.Rows[i][rectify]}; got != w {
			t.Errorf("row %d (%v): rates %v, want %v", i, s.Rows[i][0], got, w)
		}
	}
}
