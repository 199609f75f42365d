package keeper

import (
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
)

// Measure reports the length of the expiry queue of open listings and bids.
func (k Keeper) Measure(root store.KV) []module.Gauge {
	return []module.Gauge{{Name: module.GaugeQueueLength, Label: "market_expiry", Value: store.Count(k.kv(root), expiryPrefix)}}
}
