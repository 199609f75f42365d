package app

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
)

// ErrUnknownMessage is a message no module handles: a newer client, or a
// malformed oneof.
var ErrUnknownMessage = errs.Register(tx.Codespace, 14, "unknown message type")

// route runs one message on kv and returns the id of the entity it created
// or changed. The message set is closed by tx.proto's oneof; each module's
// Handle owns the cases for its own messages.
func (a *App) route(ctx context.Context, kv store.KV, m *tx.Msg) (string, error) {
	inner := innerMsg(m)
	if inner == nil {
		return "", ErrUnknownMessage.Wrap("empty message")
	}
	for _, mod := range a.modules {
		if id, ok, err := mod.Handle(ctx, kv, inner); ok {
			return id, err
		}
	}
	return "", ErrUnknownMessage.Wrapf("%s", msgName(m))
}

// innerMsg is the message inside the oneof.
func innerMsg(m *tx.Msg) proto.Message {
	r := m.ProtoReflect()
	fd := r.WhichOneof(r.Descriptor().Oneofs().ByName("sum"))
	if fd == nil {
		return nil
	}
	return r.Get(fd).Message().Interface()
}

// msgName is the snake_case name of a message ("register_party"): the
// oneof field's name in tx.proto, used as the action in events and metrics.
func msgName(m *tx.Msg) string {
	r := m.ProtoReflect()
	if fd := r.WhichOneof(r.Descriptor().Oneofs().ByName("sum")); fd != nil {
		return string(fd.Name())
	}
	return "unknown"
}
