package query

import (
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/store"
)

// Codespace of query-level errors.
const Codespace = "query"

// Query errors shared by every module.
var (
	ErrUnknownPath    = errs.Register(Codespace, 2, "unknown query path")
	ErrBadRequest     = errs.Register(Codespace, 3, "malformed query request")
	ErrHeightNotFound = errs.Register(Codespace, 4, "height not available")
	ErrNotFound       = errs.Register(Codespace, 5, "not found")
)

// Handler answers one query path on a committed state. value is the
// answer; proofKey, when set, is the state key value is stored at, so that
// a proof of (proofKey, value), or of proofKey's absence on error, can be
// attached.
type Handler func(kv store.KV, data []byte) (value, proofKey []byte, err error)

// Entity adapts a single-entity query: fn returns the stored bytes and
// their state key.
func Entity[R any, PR interface {
	*R
	proto.Message
}](fn func(kv store.KV, req PR) (value, key []byte, err error)) Handler {
	return func(kv store.KV, data []byte) ([]byte, []byte, error) {
		req := PR(new(R))
		if err := decode(data, req); err != nil {
			return nil, nil, err
		}
		return fn(kv, req)
	}
}

// List adapts a query that answers with a response message (lists, pages,
// computed views); it has no single key to prove.
func List[R any, PR interface {
	*R
	proto.Message
}](fn func(kv store.KV, req PR) (proto.Message, error)) Handler {
	return func(kv store.KV, data []byte) ([]byte, []byte, error) {
		req := PR(new(R))
		if err := decode(data, req); err != nil {
			return nil, nil, err
		}
		resp, err := fn(kv, req)
		if err != nil {
			return nil, nil, err
		}
		bz, err := proto.Marshal(resp)
		return bz, nil, err
	}
}

func decode(data []byte, m proto.Message) error {
	if err := proto.Unmarshal(data, m); err != nil {
		return ErrBadRequest.Wrapf("%v", err)
	}
	return nil
}
