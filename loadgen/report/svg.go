package report

import (
	"fmt"
	"html"
	"io"
)

// SVG draws the comparisons as pairs of horizontal bars (ours, kvstore).
func SVG(w io.Writer, title string, cs []Comparison) {
	const left, barH, gap, width = 190, 18, 14, 460
	var top float64
	for _, c := range cs {
		top = max(top, c.OursTPS, c.KVStoreTPS)
	}
	if top == 0 {
		top = 1
	}
	height := 50 + len(cs)*(2*barH+gap) + 30
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", left+width+90, height)
	fmt.Fprintf(w, `<text x="10" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", html.EscapeString(title))
	y := 40
	for _, c := range cs {
		label := fmt.Sprintf("%s, %d validator(s)", c.Workload, c.Validators)
		fmt.Fprintf(w, `<text x="10" y="%d">%s</text>`+"\n", y+barH+4, html.EscapeString(label))
		for i, v := range []float64{c.OursTPS, c.KVStoreTPS} {
			color, name := "#2b6cb0", "datarights"
			if i == 1 {
				color, name = "#a0aec0", "kvstore"
			}
			bw := int(v / top * width)
			fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", left, y, bw, barH-2, color)
			fmt.Fprintf(w, `<text x="%d" y="%d">%.0f tx/s %s</text>`+"\n", left+bw+4, y+barH-5, v, name)
			y += barH
		}
		y += gap
	}
	fmt.Fprintf(w, `<text x="10" y="%d" fill="#555">committed tx/s from the blocks; ratio ours/kvstore in README.md</text>`+"\n", y+12)
	fmt.Fprintln(w, "</svg>")
}
