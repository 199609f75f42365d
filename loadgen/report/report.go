package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/datarights/datarights/loadgen"
)

// Comparison is one ours-versus-kvstore figure, flat out, same validators.
type Comparison struct {
	Workload   string  `json:"workload"`
	Validators int     `json:"validators"`
	OursTPS    float64 `json:"ours_tps"`
	KVStoreTPS float64 `json:"kvstore_tps"`
	Ratio      float64 `json:"ratio"`
}

// Report is the results JSON.
type Report struct {
	Date        string            `json:"date"`
	Machine     string            `json:"machine"`
	Command     string            `json:"command"`
	Comparisons []Comparison      `json:"comparisons"`
	Runs        []*loadgen.Result `json:"runs"`
}

// Read reads result lines (one JSON object a line; other lines skipped).
func Read(path string) ([]*loadgen.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*loadgen.Result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		r := &loadgen.Result{}
		if err := json.Unmarshal([]byte(line), r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// Compare pairs each flat-out datarights run with the flat-out kvstore run
// of the same number of validators.
func Compare(runs []*loadgen.Result) []Comparison {
	kv := map[int]float64{}
	for _, r := range runs {
		if r.Workload == loadgen.KVStore && r.OfferedTPS == 0 {
			kv[r.Validators] = r.CommittedTPS
		}
	}
	var out []Comparison
	for _, r := range runs {
		k, ok := kv[r.Validators]
		if r.Workload == loadgen.KVStore || r.OfferedTPS != 0 || !ok || k == 0 {
			continue
		}
		out = append(out, Comparison{Workload: r.Workload, Validators: r.Validators, OursTPS: round(r.CommittedTPS),
			KVStoreTPS: round(k), Ratio: round(r.CommittedTPS/k*1000) / 1000})
	}
	return out
}

func round(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

// Table writes every run and the comparisons as text tables.
func Table(w io.Writer, rep *Report) {
	fmt.Fprintln(w, "| engine | workload | validators | offered tx/s | committed tx/s | p50 latency s | p99 latency s | block interval s | failed | node CPU % | node RSS max MiB |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rep.Runs {
		offered := "flat out"
		if r.OfferedTPS > 0 {
			offered = fmt.Sprintf("%.0f", r.OfferedTPS)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %.0f | %.2f | %.2f | %.2f | %d | %.0f | %.0f |\n", r.Engine, r.Workload, r.Validators, offered,
			r.CommittedTPS, r.LatencyP50, r.LatencyP99, r.BlockInterval, r.Failed, r.CPUPercent, r.RSSMaxMB)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| workload | validators | ours tx/s | kvstore tx/s | ours/kvstore |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, c := range rep.Comparisons {
		fmt.Fprintf(w, "| %s | %d | %.0f | %.0f | %.2f |\n", c.Workload, c.Validators, c.OursTPS, c.KVStoreTPS, c.Ratio)
	}
	Memory(w, rep.Runs)
}

// Memory writes, for each run long enough to have one (a minute or more),
// its nodes' RSS over time: a row per run, sampled as the run recorded it.
func Memory(w io.Writer, runs []*loadgen.Result) {
	for _, r := range runs {
		if len(r.RSSSeries) < 3 || r.DurationS < 60 {
			continue
		}
		fmt.Fprintf(w, "\nnode RSS MiB, %s %s %d validator(s), every %.0f s over %.0f s:", r.Engine, r.Workload, r.Validators, r.RSSEveryS, r.DurationS)
		for _, mb := range r.RSSSeries {
			fmt.Fprintf(w, " %.0f", mb)
		}
		fmt.Fprintln(w)
	}
}
