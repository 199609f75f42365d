package keeper

import (
	"strconv"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/provenance/types"
)

// Keeper owns the entities' history (its own prefix) and answers traces by
// reading the other modules through the interfaces of types/expected.go.
// It has no messages: the app records history for every successful tx and
// every block's end-block work (Record).
type Keeper struct {
	registry types.Registry
	rights   types.Rights
	auth     types.Authorizations
	market   types.Market
	identity types.Identity
}

// New returns the provenance keeper over the modules a trace reads.
func New(reg types.Registry, rights types.Rights, auth types.Authorizations, market types.Market, id types.Identity) Keeper {
	return Keeper{registry: reg, rights: rights, auth: auth, market: market, identity: id}
}

// Position says where a list of events happened: a tx of a block (TxHash,
// TxIndex, Actor) or the block's end-block work (TxIndex =
// types.EndBlockTxIndex, no hash, no actor).
type Position struct {
	Height  int64
	Time    time.Time
	TxHash  []byte
	TxIndex uint32
	Actor   string
}

// Record appends one history entry per (event, entity it names) for
// events, where events[i] has event_index i: pass the tx result's (or the
// end-block's) complete event list. It writes, and never reads: one write
// per entry.
func (k Keeper) Record(root store.KV, pos Position, events []abci.Event) {
	ts := timestamppb.New(pos.Time)
	for i, ev := range events {
		ids := types.Subjects(ev)
		if len(ids) == 0 {
			continue
		}
		e := &types.HistoryEntry{
			Height: pos.Height, Time: ts, TxHash: pos.TxHash, TxIndex: pos.TxIndex,
			MsgIndex: msgIndex(ev), EventIndex: uint32(i), Action: ev.Type, Actor: pos.Actor,
		}
		for _, id := range ids {
			e.EntityId, e.Summary = id, types.Summary(ev, id)
			bz, err := proto.MarshalOptions{Deterministic: true}.Marshal(e)
			if err != nil {
				panic(&store.Fault{Err: err}) // a well-formed message always marshals
			}
			root.Set(types.HistoryKey(id, pos.Height, pos.TxIndex, uint32(i)), bz)
		}
	}
}

// msgIndex is the msg_index attribute env.Emit puts on every event.
func msgIndex(ev abci.Event) uint32 {
	for _, a := range ev.Attributes {
		if a.Key == "msg_index" {
			n, err := strconv.ParseUint(a.Value, 10, 32)
			if err == nil {
				return uint32(n)
			}
		}
	}
	return 0
}
