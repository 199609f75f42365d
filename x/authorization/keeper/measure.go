package keeper

import (
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
)

// Measure reports the length of the authorisation deadline (expiry) queue.
func (k Keeper) Measure(root store.KV) []module.Gauge {
	return []module.Gauge{{Name: module.GaugeQueueLength, Label: "authorization_expiry", Value: store.Count(k.kv(root), expiryPrefix)}}
}
