package keeper

import (
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
)

// Measure reports the lengths of the voting deadline queue and of the
// queue of passed proposals awaiting execution.
func (k Keeper) Measure(root store.KV) []module.Gauge {
	kv := k.kv(root)
	return []module.Gauge{
		{Name: module.GaugeQueueLength, Label: "governance_deadline", Value: store.Count(kv, deadlinePrefix)},
		{Name: module.GaugeQueueLength, Label: "governance_passed", Value: store.Count(kv, passedPrefix)},
	}
}
