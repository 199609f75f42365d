package metrics

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datarights/datarights/module"
)

// Namespace prefixes every metric name.
const Namespace = "datarights"

// MeasureInterval is the least time between two state measurements.
const MeasureInterval = 5 * time.Second

// Metrics are the app's collectors.
type Metrics struct {
	txs        *prometheus.CounterVec
	rejected   *prometheus.CounterVec
	commit     prometheus.Histogram
	height     prometheus.Gauge
	stateKeys  prometheus.Gauge
	gauges     map[string]*prometheus.GaugeVec
	measureDur prometheus.Gauge

	mu        sync.Mutex
	measuring bool
	last      time.Time
}

// New creates the collectors and registers them with reg.
func New(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		txs: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "txs_total",
			Help: "Transactions executed in blocks, by message type and result (code 0 is success)."},
			[]string{"msg_type", "codespace", "code"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "checktx_rejected_total",
			Help: "Transactions refused by CheckTx (never reaching a block), by reason."}, []string{"codespace", "code"}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Name: "commit_duration_seconds",
			Help: "Time to save a block's state (Commit).", Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}),
		height:    prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "height", Help: "Last committed height."}),
		stateKeys: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "state_keys", Help: "Keys in the state tree at the last measured height."}),
		measureDur: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "state_measure_duration_seconds",
			Help: "Time the last measurement of the state gauges took."}),
		gauges: map[string]*prometheus.GaugeVec{
			module.GaugeQueueLength: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: module.GaugeQueueLength,
				Help: "Entries in an end-of-block queue."}, []string{"queue"}),
			module.GaugeRightsActive: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: module.GaugeRightsActive,
				Help: "Active rights by kind."}, []string{"kind"}),
		},
	}
	cs := []prometheus.Collector{m.txs, m.rejected, m.commit, m.height, m.stateKeys, m.measureDur,
		m.gauges[module.GaugeQueueLength], m.gauges[module.GaugeRightsActive]}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Tx counts one executed tx.
func (m *Metrics) Tx(msgType, codespace string, code uint32) {
	m.txs.WithLabelValues(msgType, orOK(codespace, code), strconv.FormatUint(uint64(code), 10)).Inc()
}

// Rejected counts one tx CheckTx refused.
func (m *Metrics) Rejected(codespace string, code uint32) {
	m.rejected.WithLabelValues(orOK(codespace, code), strconv.FormatUint(uint64(code), 10)).Inc()
}

func orOK(codespace string, code uint32) string {
	if codespace == "" && code == 0 {
		return "ok"
	}
	return codespace
}

// Committed records a commit's height and duration.
func (m *Metrics) Committed(height int64, d time.Duration) {
	m.height.Set(float64(height))
	m.commit.Observe(d.Seconds())
}

// Measure runs measure in the background unless a measurement is running
// or one ended less than MeasureInterval ago. measure returns the state's
// key count and the modules' gauges.
func (m *Metrics) Measure(measure func() (keys int64, gs []module.Gauge, err error), onErr func(error)) {
	m.mu.Lock()
	if m.measuring || time.Since(m.last) < MeasureInterval {
		m.mu.Unlock()
		return
	}
	m.measuring = true
	m.mu.Unlock()
	go func() {
		start := time.Now()
		defer func() {
			m.mu.Lock()
			m.measuring, m.last = false, time.Now()
			m.mu.Unlock()
		}()
		keys, gs, err := measure()
		if err != nil {
			onErr(err)
			return
		}
		m.stateKeys.Set(float64(keys))
		for _, g := range gs {
			if v, ok := m.gauges[g.Name]; ok {
				v.WithLabelValues(g.Label).Set(float64(g.Value))
			}
		}
		m.measureDur.Set(time.Since(start).Seconds())
	}()
}
