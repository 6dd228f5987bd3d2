package web

import (
	"fmt"
	"strconv"

	"openhall/internal/opendata"
)

// barChart is a horizontal bar chart drawn as inline SVG on the server: it
// needs no script, prints, scales to a phone's width, and the same numbers
// are in a table next to it for screen readers.
type barChart struct {
	Title  string
	Series []string // one or two series (last year, this year)
	Rows   []chartRow
	Width  int
	Height int
}

type chartRow struct {
	Label string
	Y     int
	Bars  []chartBar
}

type chartBar struct {
	Series int
	Value  string
	Y, W   int
	TextX  int
}

const (
	chartLabelW = 150
	chartBarsW  = 420
	chartBarH   = 14
)

// newBarChart lays out rows of values (one per series); nil when there is
// nothing to draw.
func newBarChart(title string, series []string, labels []string, values [][]float64) *barChart {
	maxV := 0.0
	for _, vs := range values {
		for _, v := range vs {
			maxV = max(maxV, v)
		}
	}
	if len(labels) == 0 || maxV <= 0 {
		return nil
	}
	c := &barChart{Title: title, Series: series, Width: chartLabelW + chartBarsW + 90}
	y := 24
	for i, label := range labels {
		row := chartRow{Label: label, Y: y + chartBarH*len(series)/2 + 4}
		for j, v := range values[i] {
			w := int(v / maxV * chartBarsW)
			row.Bars = append(row.Bars, chartBar{Series: j, Value: fmtNumber(v), Y: y + j*chartBarH, W: w, TextX: chartLabelW + w + 4})
		}
		c.Rows = append(c.Rows, row)
		y += chartBarH*len(series) + 10
	}
	c.Height = y + 4
	return c
}

func fmtNumber(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return fmt.Sprintf("%.2f", v)
}

// datasetChart draws a dataset's first numeric column against its first
// text column, over the previewed rows; nil when the data has no series.
func datasetChart(d *opendata.Dataset, rows [][]string) *barChart {
	label, num := -1, -1
	for i, c := range d.Columns {
		if label < 0 && (c.Type == opendata.TypeText || c.Type == opendata.TypeDate) {
			label = i
		}
		if num < 0 && (c.Type == opendata.TypeInteger || c.Type == opendata.TypeDecimal) {
			num = i
		}
	}
	if label < 0 || num < 0 {
		return nil
	}
	var labels []string
	var values [][]float64
	for _, r := range rows {
		if len(r) <= max(label, num) {
			continue
		}
		v, err := strconv.ParseFloat(r[num], 64)
		if err != nil {
			continue
		}
		labels, values = append(labels, clipLabel(rowLabel(d, r, label))), append(values, []float64{v})
	}
	return newBarChart(d.Columns[num].Title, []string{d.Columns[num].Title}, labels, values)
}

// rowLabel is the label column, with a second text column when the first
// repeats (月份 + 街道).
func rowLabel(d *opendata.Dataset, r []string, label int) string {
	for j := label + 1; j < len(d.Columns) && j < len(r); j++ {
		if d.Columns[j].Type == opendata.TypeText {
			return r[label] + " " + r[j]
		}
	}
	return r[label]
}

func clipLabel(s string) string {
	if r := []rune(s); len(r) > 12 {
		return string(r[:12]) + "…"
	}
	return s
}
