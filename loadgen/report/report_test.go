package report_test

import (
	"strings"
	"testing"

	"github.com/datarights/datarights/loadgen"
	"github.com/datarights/datarights/loadgen/report"
)

// Compare pairs each flat-out run of ours with kvstore's flat-out run on as
// many validators; rate-limited runs and runs without a kvstore twin have
// no comparison.
func TestCompare(t *testing.T) {
	runs := []*loadgen.Result{
		{Engine: "datarights", Workload: loadgen.Usage, Validators: 1, CommittedTPS: 5000},
		{Engine: "kvstore", Workload: loadgen.KVStore, Validators: 1, CommittedTPS: 15000},
		{Engine: "datarights", Workload: loadgen.Usage, Validators: 1, OfferedTPS: 2500, CommittedTPS: 2500},
		{Engine: "datarights", Workload: loadgen.Mixed, Validators: 4, CommittedTPS: 1000},
	}
	got := report.Compare(runs)
	if len(got) != 1 {
		t.Fatalf("comparisons: %+v, want one (usage, 1 validator)", got)
	}
	if c := got[0]; c.Workload != loadgen.Usage || c.Validators != 1 || c.OursTPS != 5000 || c.KVStoreTPS != 15000 || c.Ratio != 0.3333 {
		t.Fatalf("comparison %+v", c)
	}
}

// Memory prints the RSS series of runs of a minute or more, and nothing
// for short runs.
func TestMemory(t *testing.T) {
	var b strings.Builder
	report.Memory(&b, []*loadgen.Result{
		{Engine: "datarights", Workload: loadgen.Usage, Validators: 1, DurationS: 600, RSSEveryS: 10, RSSSeries: []float64{100, 250.4, 260}},
		{Engine: "datarights", Workload: loadgen.Mixed, Validators: 1, DurationS: 15, RSSEveryS: 1, RSSSeries: []float64{1, 2, 3}},
	})
	want := "\nnode RSS MiB, datarights usage 1 validator(s), every 10 s over 600 s: 100 250 260\n"
	if b.String() != want {
		t.Fatalf("Memory wrote %q, want %q", b.String(), want)
	}
}
