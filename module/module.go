// Package module is the contract between the app and its modules: how a
// message reaches its handler, how a query path reaches its answer, and how
// a module's time-driven work runs at the end of each block.
//
// The app holds an ordered list of modules (app/app.go says why in that
// order). A module is a keeper that implements these interfaces; it declares
// what it needs from other modules as small interfaces of its own.
package module

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
)

// Module is what every module gives the app.
type Module interface {
	// Name is the module's codespace and query route prefix.
	Name() string
	// Handle runs msg if the module owns its type and reports whether it
	// did. It returns the id of the entity the message created or changed.
	Handle(ctx context.Context, kv store.KV, msg proto.Message) (id string, handled bool, err error)
	// Queries maps query paths ("/identity/party") to handlers.
	Queries() map[string]query.Handler
}

// EndBlocker is a module with work due at block time: notice periods
// ending, rights expiring, proposals closing. EndBlock must bound its work
// per block (and leave the rest queued); it emits events with env.Emit.
// An error stops the node: EndBlock has no user to blame.
type EndBlocker interface {
	EndBlock(ctx context.Context, kv store.KV) error
}

// Gauge is one figure of a module's state for monitoring: Name is the
// metric ("queue_length", "rights_active"), Label its one label's value
// (the queue, the kind).
type Gauge struct {
	Name  string
	Label string
	Value int64
}

// Measurer is a module that reports gauges of its state for the node's
// metrics. Measure reads a committed version, never writes, and may take
// a while (it runs beside consensus, not in it).
type Measurer interface {
	Measure(kv store.KV) []Gauge
}

// Metric names modules report under.
const (
	GaugeQueueLength  = "queue_length"
	GaugeRightsActive = "rights_active"
)
