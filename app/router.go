package app

import (
	"context"

	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
)

// ErrUnknownMessage is a message type this node does not know: a newer
// client, or a malformed oneof.
var ErrUnknownMessage = errs.Register(tx.Codespace, 14, "unknown message type")

// route runs one message on kv and returns the id of the entity it created
// or changed. The switch is the closed set of messages: adding a message
// means adding a case here, next to its proto field in tx.proto.
func (a *App) route(ctx context.Context, kv store.KV, m *tx.Msg) (string, error) {
	switch s := m.Sum.(type) {
	case *tx.Msg_RegisterParty:
		return a.identity.RegisterParty(ctx, kv, s.RegisterParty)
	case *tx.Msg_UpdateParty:
		return a.identity.UpdateParty(ctx, kv, s.UpdateParty)
	case *tx.Msg_SuspendParty:
		return a.identity.SuspendParty(ctx, kv, s.SuspendParty)
	case *tx.Msg_ReactivateParty:
		return a.identity.ReactivateParty(ctx, kv, s.ReactivateParty)
	case *tx.Msg_AddAgent:
		return a.identity.AddAgent(ctx, kv, s.AddAgent)
	case *tx.Msg_RemoveAgent:
		return a.identity.RemoveAgent(ctx, kv, s.RemoveAgent)
	default:
		return "", ErrUnknownMessage.Wrapf("%T", m.Sum)
	}
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
