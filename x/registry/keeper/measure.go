package keeper

import (
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
)

// Measure reports the length of the notice queue (assets in their public
// notice period, 公示期).
func (k Keeper) Measure(root store.KV) []module.Gauge {
	return []module.Gauge{{Name: module.GaugeQueueLength, Label: "registry_notice", Value: store.Count(k.kv(root), noticePrefix)}}
}
