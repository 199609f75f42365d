package app

import (
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
)

// What the node's metrics read from the app (see package metrics). None
// of it writes, and none of it runs inside block execution.

// TxType names a tx for metrics by its messages' type: "register_party",
// "mixed" when its messages differ, "undecodable" when it does not decode.
func TxType(raw []byte) string {
	var t tx.Tx
	var body tx.TxBody
	if proto.Unmarshal(raw, &t) != nil || proto.Unmarshal(t.GetBodyBytes(), &body) != nil || len(body.GetMessages()) == 0 {
		return "undecodable"
	}
	name := msgName(body.Messages[0])
	for _, m := range body.Messages[1:] {
		if msgName(m) != name {
			return "mixed"
		}
	}
	return name
}

// Committed is the last committed state, read-only: what Measure reads.
// Call it where ABCI calls are serialised (e.g. right after Commit); the
// view it returns may then be read from any goroutine.
func (a *App) Committed() (*store.Snapshot, error) {
	a.stateMu.RLock()
	defer a.stateMu.RUnlock()
	return a.tree.At(a.tree.Version())
}

// Measure collects the modules' gauges from a committed state.
func (a *App) Measure(kv store.KV) []module.Gauge {
	var out []module.Gauge
	for _, m := range a.modules {
		if ms, ok := m.(module.Measurer); ok {
			out = append(out, ms.Measure(kv)...)
		}
	}
	return out
}
