package explorer

import (
	"fmt"
	"html/template"
	"strings"
)

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value uint64
	Href  string // optional link
}

// BarChart draws horizontal bars, longest scaled to the full width, with
// each bar's label on the left and value on the right; unit follows the
// values as format writes them. Integer arithmetic only: the chart of the
// same data is the same bytes.
func BarChart(id string, bars []Bar, format func(uint64) string) template.HTML {
	const labelW, barW, rowH, valueW = 200, 360, 26, 110
	var peak uint64
	for _, b := range bars {
		peak = max(peak, b.Value)
	}
	h := len(bars)*rowH + 10
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" id="%s" width="%d" height="%d" viewBox="0 0 %d %d" role="img">`,
		esc(id), labelW+barW+valueW, h, labelW+barW+valueW, h)
	for i, b := range bars {
		y := 5 + i*rowH
		w := 0
		if peak > 0 {
			w = int(b.Value * barW / peak)
		}
		if b.Value > 0 && w < 2 {
			w = 2
		}
		label := esc(clip(b.Label, 16))
		if b.Href != "" {
			label = fmt.Sprintf(`<a href="%s">%s</a>`, esc(b.Href), label)
		}
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="12" text-anchor="end" fill="#0f172a">%s<title>%s</title></text>`, labelW-8, y+15, label, esc(b.Label))
		fmt.Fprintf(&s, `<rect class="bar" x="%d" y="%d" width="%d" height="%d" fill="#2563eb" rx="2"/>`, labelW, y+3, w, rowH-8)
		fmt.Fprintf(&s, `<text class="value" x="%d" y="%d" font-size="12" fill="#334155">%s</text>`, labelW+w+6, y+15, esc(format(b.Value)))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String()) // all text escaped above
}

// Point is one point of a line chart: X in any increasing unit (block
// height, seconds), Y the value.
type Point struct {
	X     int64
	Y     uint64
	Label string // shown under the first and last points
}

// LineChart draws points joined by a line over axes scaled to the data,
// with the first and last X labels and the peak Y value as format writes
// it.
func LineChart(id string, pts []Point, format func(uint64) string) template.HTML {
	const w, h, left, bottom, top, right = 600, 220, 70, 30, 14, 20
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" class="chart line-chart" id="%s" width="%d" height="%d" viewBox="0 0 %d %d" role="img">`,
		esc(id), w, h, w, h)
	fmt.Fprintf(&s, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#94a3b8"/><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#94a3b8"/>`,
		left, top, left, h-bottom, left, h-bottom, w-right, h-bottom)
	if len(pts) > 0 {
		x0, x1 := pts[0].X, pts[len(pts)-1].X
		var peak uint64
		for _, p := range pts {
			peak = max(peak, p.Y)
		}
		px := func(x int64) int64 {
			if x1 == x0 {
				return left + (w-left-right)/2
			}
			return left + (x-x0)*(w-left-right)/(x1-x0)
		}
		py := func(y uint64) int64 {
			if peak == 0 {
				return h - bottom
			}
			return int64(h-bottom) - int64(y*uint64(h-bottom-top)/peak)
		}
		var path strings.Builder
		for i, p := range pts {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%d,%d ", cmd, px(p.X), py(p.Y))
		}
		fmt.Fprintf(&s, `<path class="line" d="%s" fill="none" stroke="#16a34a" stroke-width="2"/>`, strings.TrimSpace(path.String()))
		for _, p := range pts {
			fmt.Fprintf(&s, `<circle cx="%d" cy="%d" r="3" fill="#16a34a"><title>%s: %s</title></circle>`, px(p.X), py(p.Y), esc(p.Label), esc(format(p.Y)))
		}
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="11" text-anchor="end" fill="#334155">%s</text>`, left-6, top+10, esc(format(peak)))
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="11" fill="#334155">%s</text>`, left, h-8, esc(pts[0].Label))
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="11" text-anchor="end" fill="#334155">%s</text>`, w-right, h-8, esc(pts[len(pts)-1].Label))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// groupDigits writes 1234567 as "1,234,567".
func groupDigits(v uint64) string {
	s := fmt.Sprint(v)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// yuan writes fen as yuan with two decimals ("1,234.50").
func yuan(fen uint64) string { return fmt.Sprintf("%s.%02d", groupDigits(fen/100), fen%100) }
