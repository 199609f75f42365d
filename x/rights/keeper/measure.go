package keeper

import (
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/types"
)

// Measure reports the active rights by kind and the lengths of the expiry
// and end-of-block cleanup queues. It walks every right: the node calls it
// in the background, on a committed version, at most every few seconds.
func (k Keeper) Measure(root store.KV) []module.Gauge {
	kv := k.kv(root)
	kinds := []types.RightKind{types.RightKind_RIGHT_KIND_HOLDING, types.RightKind_RIGHT_KIND_USE, types.RightKind_RIGHT_KIND_OPERATION}
	active := make([]int64, len(kinds)+1)
	it := kv.Iterator(rightPrefix, store.PrefixEnd(rightPrefix))
	for ; it.Valid(); it.Next() {
		r := &types.Right{}
		store.Decode(it.Value(), r)
		if r.Status == types.RightStatus_RIGHT_STATUS_ACTIVE && int(r.Kind) < len(active) {
			active[r.Kind]++
		}
	}
	it.Close()
	out := []module.Gauge{
		{Name: module.GaugeQueueLength, Label: "rights_expiry", Value: store.Count(kv, expiryPrefix)},
		{Name: module.GaugeQueueLength, Label: "rights_cleanup", Value: store.Count(kv, jobPrefix)},
	}
	for _, kind := range kinds {
		out = append(out, module.Gauge{Name: module.GaugeRightsActive, Label: types.KindName(kind), Value: active[kind]})
	}
	return out
}
