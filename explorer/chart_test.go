package explorer

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var widthRe = regexp.MustCompile(`class="bar" x="\d+" y="\d+" width="(\d+)"`)

func TestBarChartScales(t *testing.T) {
	svg := string(BarChart("c", []Bar{{Label: "公共数据", Value: 40}, {Label: "企业数据", Value: 10}, {Label: "个人数据", Value: 0}}, groupDigits))
	var widths []int
	for _, m := range widthRe.FindAllStringSubmatch(svg, -1) {
		w, _ := strconv.Atoi(m[1])
		widths = append(widths, w)
	}
	if len(widths) != 3 || widths[0] != 360 || widths[1] != 90 || widths[2] != 0 {
		t.Fatalf("bar widths %v, want [360 90 0]", widths)
	}
	if !strings.Contains(svg, "公共数据") || !strings.Contains(svg, ">40<") {
		t.Errorf("labels or values missing: %s", svg)
	}
}

func TestLineChart(t *testing.T) {
	svg := string(LineChart("f", []Point{{X: 0, Y: 0, Label: "start"}, {X: 10, Y: 500, Label: "mid"}, {X: 20, Y: 1000, Label: "end"}}, yuan))
	if !strings.Contains(svg, `d="M70,190 L325,102 L580,14"`) {
		t.Errorf("path not scaled to the axes: %s", svg)
	}
	if !strings.Contains(svg, ">10.00<") || !strings.Contains(svg, ">start<") || !strings.Contains(svg, ">end<") {
		t.Errorf("labels missing: %s", svg)
	}
	if svg := string(LineChart("f", nil, yuan)); strings.Contains(svg, "<path") {
		t.Error("an empty series drew a line")
	}
}

func TestYuanAndDigits(t *testing.T) {
	for in, want := range map[uint64]string{0: "0.00", 5: "0.05", 123456789: "1,234,567.89"} {
		if got := yuan(in); got != want {
			t.Errorf("yuan(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestTimeBuckets(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	bars := timeBuckets([]time.Time{t0.Add(90 * time.Second), t0, t0.Add(30 * time.Second)}, []uint64{5, 1, 2})
	if len(bars) != 2 || bars[0].Value != 3 || bars[1].Value != 5 || bars[0].Label != "11-28 09:00" {
		t.Fatalf("minute buckets: %+v", bars)
	}
	bars = timeBuckets([]time.Time{t0, t0.Add(40 * 24 * time.Hour)}, []uint64{1, 1})
	// 40 days is too many day buckets: weeks, counted from the epoch.
	if len(bars) != 2 || bars[0].Label != "2026-11-26" || bars[1].Label != "2027-01-07" {
		t.Fatalf("week buckets: %+v", bars)
	}
}
