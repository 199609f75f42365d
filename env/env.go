package env

import (
	"context"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
)

// Block is what a handler may know about the block being executed.
type Block struct {
	Height  int64
	Time    time.Time
	ChainID string
}

// Tx is what a handler may know about the transaction being executed.
type Tx struct {
	// Hash is the tx id (sha256 of the tx bytes, as CometBFT computes it).
	Hash []byte
	// Signer is the address that signed the tx; Actor is the party it acts
	// for (the same address unless the signer is an agent).
	Signer string
	Actor  string
	// MsgIndex is the position of the current message in the tx.
	MsgIndex int
	// Index is the tx's position in its block.
	Index uint32
}

type (
	blockKey  struct{}
	txKey     struct{}
	eventsKey struct{}
)

// Events collects the events of one tx; it is discarded if the tx fails.
type Events struct{ list []abci.Event }

// List returns the events in emission order.
func (e *Events) List() []abci.Event { return e.list }

// WithBlock returns ctx carrying the block.
func WithBlock(ctx context.Context, b Block) context.Context {
	return context.WithValue(ctx, blockKey{}, b)
}

// WithTx returns ctx carrying the tx and a fresh event sink.
func WithTx(ctx context.Context, t Tx, ev *Events) context.Context {
	return context.WithValue(context.WithValue(ctx, txKey{}, t), eventsKey{}, ev)
}

// BlockOf returns the block in ctx (zero if none).
func BlockOf(ctx context.Context) Block {
	b, _ := ctx.Value(blockKey{}).(Block)
	return b
}

// TxOf returns the tx in ctx (zero if none).
func TxOf(ctx context.Context) Tx {
	t, _ := ctx.Value(txKey{}).(Tx)
	return t
}

// Emit records an event for the current message. Attribute keys are
// snake_case; index marks the ids people search by with tx_search.
// Attributes with an empty value are left out.
func Emit(ctx context.Context, typ string, attrs ...Attr) {
	ev, _ := ctx.Value(eventsKey{}).(*Events)
	if ev == nil {
		return
	}
	e := abci.Event{Type: typ}
	for _, a := range attrs {
		if a.Value == "" {
			continue // unset: an empty indexed value would only pollute tx_search
		}
		e.Attributes = append(e.Attributes, abci.EventAttribute{Key: a.Key, Value: a.Value, Index: a.Index})
	}
	t := TxOf(ctx)
	e.Attributes = append(e.Attributes, abci.EventAttribute{Key: "msg_index", Value: itoa(t.MsgIndex)})
	ev.list = append(ev.list, e)
}

// Attr is one event attribute.
type Attr struct {
	Key, Value string
	Index      bool
}

// Indexed is an attribute that CometBFT indexes for tx_search.
func Indexed(key, value string) Attr { return Attr{Key: key, Value: value, Index: true} }

// Plain is an attribute that is not indexed.
func Plain(key, value string) Attr { return Attr{Key: key, Value: value} }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// WithMsgIndex returns ctx for message i of the current tx, sharing its
// event sink.
func WithMsgIndex(ctx context.Context, i int) context.Context {
	t := TxOf(ctx)
	t.MsgIndex = i
	return context.WithValue(ctx, txKey{}, t)
}
