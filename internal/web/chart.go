package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// chart is a small chart rendered on the server as SVG: bars (stacked when
// there are several series) or lines. It carries its figures as <title>
// elements and a description, so screen readers get the numbers; pages show
// the same figures in a table beside it.
type chart struct {
	Title   string
	Labels  []string // one per x position
	Series  []series
	Line    bool // lines instead of bars
	Percent bool // values are shares 0…1, shown as %
}

// series is one row of values.
type series struct {
	Name   string
	Values []float64
	Colour string // a CSS colour
}

const (
	chartW, chartH         = 640, 240
	padL, padR, padT, padB = 48, 12, 16, 44
)

// SVG renders the chart.
func (c chart) SVG() template.HTML {
	var b strings.Builder
	top := c.top()
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		chartW, chartH, html.EscapeString(c.Title))
	fmt.Fprintf(&b, `<title>%s</title><desc>%s</desc>`, html.EscapeString(c.Title), html.EscapeString(c.describe()))
	c.axes(&b, top)
	if c.Line {
		c.lines(&b, top)
	} else {
		c.bars(&b, top)
	}
	c.legend(&b)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// top is the value at the top of the plot: 100 % for shares, else a round
// number above the largest (stacked) value.
func (c chart) top() float64 {
	if c.Percent {
		return 1
	}
	peak := 0.0
	for i := range c.Labels {
		sum := 0.0
		for _, s := range c.Series {
			if i < len(s.Values) {
				if c.Line {
					peak = math.Max(peak, s.Values[i])
				} else {
					sum += s.Values[i]
				}
			}
		}
		peak = math.Max(peak, sum)
	}
	if peak <= 0 {
		return 1
	}
	step := math.Pow(10, math.Floor(math.Log10(peak)))
	return math.Ceil(peak/step) * step
}

func (c chart) fmtValue(v float64) string {
	if c.Percent {
		return fmt.Sprintf("%.0f%%", v*100)
	}
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func (c chart) x(i int) float64 {
	w := float64(chartW-padL-padR) / float64(max(len(c.Labels), 1))
	return float64(padL) + w*float64(i) + w/2
}

func y(v, top float64) float64 {
	return float64(chartH-padB) - v/top*float64(chartH-padT-padB)
}

func (c chart) axes(b *strings.Builder, top float64) {
	for k := 0; k <= 4; k++ {
		v := top * float64(k) / 4
		yy := y(v, top)
		fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/><text x="%d" y="%.1f" class="tick" text-anchor="end">%s</text>`,
			padL, yy, chartW-padR, yy, padL-4, yy+4, c.fmtValue(v))
	}
	every := max(1, len(c.Labels)/12)
	for i, l := range c.Labels {
		if i%every == 0 {
			fmt.Fprintf(b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, c.x(i), chartH-padB+16, html.EscapeString(l))
		}
	}
}

func (c chart) bars(b *strings.Builder, top float64) {
	w := float64(chartW-padL-padR) / float64(max(len(c.Labels), 1)) * 0.7
	for i, l := range c.Labels {
		base := 0.0
		for _, s := range c.Series {
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			if v > 0 {
				fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s：%s</title></rect>`,
					c.x(i)-w/2, y(base+v, top), w, y(base, top)-y(base+v, top), s.Colour, html.EscapeString(l),
					html.EscapeString(s.Name), c.fmtValue(v))
			}
			base += v
		}
	}
}

func (c chart) lines(b *strings.Builder, top float64) {
	for _, s := range c.Series {
		var pts []string
		for i, v := range s.Values {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", c.x(i), y(v, top)))
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), s.Colour)
		for i, v := range s.Values {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s：%s</title></circle>`, c.x(i), y(v, top), s.Colour,
				html.EscapeString(c.Labels[i]), html.EscapeString(s.Name), c.fmtValue(v))
		}
	}
}

func (c chart) legend(b *strings.Builder) {
	x := padL
	for _, s := range c.Series {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d" class="tick">%s</text>`,
			x, chartH-14, s.Colour, x+14, chartH-5, html.EscapeString(s.Name))
		x += 24 + 14*len([]rune(s.Name))
	}
}

// describe is the chart's figures in words.
func (c chart) describe() string {
	var parts []string
	for _, s := range c.Series {
		var vs []string
		for i, v := range s.Values {
			vs = append(vs, c.Labels[i]+" "+c.fmtValue(v))
		}
		parts = append(parts, s.Name+"："+strings.Join(vs, "，"))
	}
	return strings.Join(parts, "；")
}

// pct formats a share (a float64 or a *float64, nil meaning no data) as a
// percentage; no data is "—", never 0 %.
func pct(v any) string {
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%.1f%%", x*100)
	case *float64:
		if x != nil {
			return fmt.Sprintf("%.1f%%", *x*100)
		}
	}
	return "—"
}
