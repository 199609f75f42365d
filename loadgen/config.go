package loadgen

import (
	"crypto/ecdsa"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Workload names.
const (
	Usage    = "usage"
	Mixed    = "mixed"
	Identity = "identity"
	KVStore  = "kvstore"
)

// Workloads lists the workload names.
var Workloads = []string{Usage, Mixed, Identity, KVStore}

// Config is one load run.
type Config struct {
	// Endpoints are the nodes' RPC addresses (tcp://host:port or
	// http://host:port); workers are spread over them.
	Endpoints []string
	// Workload is one of Workloads.
	Workload string
	// Rate is the offered load in tx/s; 0 sends flat out.
	Rate float64
	// Duration is how long txs are sent. Enough txs are pre-signed to
	// cover it at Rate (flat out: at MaxRate).
	Duration time.Duration
	// MaxRate bounds how many txs are pre-signed for a flat-out run
	// (Duration × MaxRate); default 8,000 tx/s.
	MaxRate float64
	// Admin is a department's key with the data_admin and exchange roles
	// (a generic testnet's department-1): it sets up the assets, rights,
	// listing and balances. Not used by kvstore.
	Admin *ecdsa.PrivateKey
	// Keys are the signers, active enterprise parties in genesis (see
	// Parties). Not used by kvstore.
	Keys []*ecdsa.PrivateKey
	// Workers is the number of concurrent send streams (default 8); Batch
	// the txs per JSON-RPC batch (default 50).
	Workers, Batch int
	// TxBytes is the size of a kvstore tx (default 200).
	TxBytes int
	// Drain is how long to wait after sending for acked txs to commit
	// (default 30s).
	Drain time.Duration
	// PIDs are the node processes whose CPU and memory are sampled.
	PIDs []int
	// Progress receives a status line every second (nil: none).
	Progress io.Writer
	// Seed makes the workload's names unique per run on one chain.
	Seed string
}

// CheckWorkload rejects an unknown workload name.
func CheckWorkload(name string) error {
	if !slices.Contains(Workloads, name) {
		return fmt.Errorf("loadgen: unknown workload %q (want one of %s)", name, strings.Join(Workloads, ", "))
	}
	return nil
}

func (c *Config) defaults() error {
	if len(c.Endpoints) == 0 {
		return fmt.Errorf("loadgen: no endpoints")
	}
	if c.Duration <= 0 {
		return fmt.Errorf("loadgen: duration must be positive")
	}
	if c.Rate < 0 {
		return fmt.Errorf("loadgen: rate must not be negative")
	}
	if err := CheckWorkload(c.Workload); err != nil {
		return err
	}
	if c.Workload != KVStore && (c.Admin == nil || len(c.Keys) == 0) {
		return fmt.Errorf("loadgen: workload %s needs an admin key and signer keys", c.Workload)
	}
	if c.MaxRate <= 0 {
		c.MaxRate = 8000
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.Batch <= 0 {
		c.Batch = 50
	}
	if c.TxBytes <= 0 {
		c.TxBytes = 200
	}
	if c.Drain <= 0 {
		c.Drain = 30 * time.Second
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return nil
}

// Result is what a run measured. Field names are the JSON result line's.
type Result struct {
	Workload   string  `json:"workload"`
	Validators int     `json:"validators,omitempty"`
	Engine     string  `json:"engine,omitempty"`
	OfferedTPS float64 `json:"offered_tps"` // 0: flat out
	DurationS  float64 `json:"duration_s"`
	TxBytes    float64 `json:"tx_bytes"` // mean size of the sent txs

	Sent      int `json:"sent"`      // txs sent at least once
	Acked     int `json:"acked"`     // accepted by CheckTx
	Rejected  int `json:"rejected"`  // refused by CheckTx for good (not mempool full)
	Committed int `json:"committed"` // of ours, found in blocks
	Failed    int `json:"failed"`    // committed with a non-zero code

	// CommittedTPS: sum of txs over the run's blocks / time between the
	// header times of the block before the first and of the last.
	CommittedTPS  float64 `json:"committed_tps"`
	Blocks        int     `json:"blocks"`
	FirstHeight   int64   `json:"first_height"`
	LastHeight    int64   `json:"last_height"`
	BlockInterval float64 `json:"block_interval_s"` // mean over the run's blocks
	MaxBlockTxs   int     `json:"max_block_txs"`

	LatencyP50 float64 `json:"latency_p50_s"`
	LatencyP99 float64 `json:"latency_p99_s"`
	LatencyMax float64 `json:"latency_max_s"`

	CPUPercent float64 `json:"node_cpu_percent"` // per node, mean over the run (100 = one core)
	RSSStartMB float64 `json:"node_rss_start_mb"`
	RSSMaxMB   float64 `json:"node_rss_max_mb"`
	RSSEndMB   float64 `json:"node_rss_end_mb"`
	// RSSSeries is the nodes' summed RSS every RSSEveryS seconds from the
	// start of sending (at most 60 samples over the run).
	RSSSeries []float64 `json:"node_rss_series_mb,omitempty"`
	RSSEveryS float64   `json:"node_rss_every_s,omitempty"`
	LoadAvg   string    `json:"loadavg"` // /proc/loadavg at the end

	FailedCodes map[string]int `json:"failed_codes,omitempty"` // codespace/code: count, of failed and rejected txs

	// AckedHashes and CommittedHashes are hex tx hashes (upper case, as
	// CometBFT prints them). Not in the JSON line: they can be long.
	AckedHashes     []string `json:"-"`
	CommittedHashes []string `json:"-"`
}
