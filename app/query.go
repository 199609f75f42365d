package app

import (
	"encoding/binary"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// Query errors, in the "query" codespace.
var (
	ErrUnknownPath    = errs.Register(QueryCodespace, 2, "unknown query path")
	ErrBadRequest     = errs.Register(QueryCodespace, 3, "malformed query request")
	ErrHeightNotFound = errs.Register(QueryCodespace, 4, "height not available")
	ErrNotFound       = errs.Register(QueryCodespace, 5, "not found")
)

// QueryCodespace is the codespace of query-level errors.
const QueryCodespace = "query"

// ProofOpType names our proofs in a query response's proof ops: one ICS23
// commitment proof against the IAVL root, which is the app hash.
const ProofOpType = "ics23:iavl"

// Query paths. Requests and responses are protobuf; see each module's
// query.proto.
const (
	PathParty   = "/identity/party"
	PathParties = "/identity/parties"
	PathNonce   = "/app/nonce" // data: 20-byte address; value: committed and pending nonce, 8 bytes each
	PathStore   = "/store/key" // data: a raw state key; value: its raw value (for proofs of anything)
)

// answer is a query's value and, for single entities, the state key the
// value is stored at, which a proof is about.
type answer struct {
	value    []byte
	proofKey []byte
}

type queryFn func(a *App, kv store.KV, data []byte) (answer, error)

var queries = map[string]queryFn{
	PathParty: func(a *App, kv store.KV, data []byte) (answer, error) {
		req := &idtypes.QueryPartyRequest{}
		if err := decodeReq(data, req); err != nil {
			return answer{}, err
		}
		v, k, err := a.identity.QueryParty(kv, req)
		return answer{v, k}, err
	},
	PathParties: func(a *App, kv store.KV, data []byte) (answer, error) {
		req := &idtypes.QueryPartiesRequest{}
		if err := decodeReq(data, req); err != nil {
			return answer{}, err
		}
		resp, err := a.identity.QueryParties(kv, req)
		return marshalAnswer(resp, err)
	},
	PathStore: func(_ *App, kv store.KV, data []byte) (answer, error) {
		if len(data) == 0 {
			return answer{}, ErrBadRequest.Wrap("empty key")
		}
		v := kv.Get(data)
		if v == nil {
			return answer{proofKey: data}, ErrNotFound.Wrapf("key %X", data)
		}
		return answer{v, data}, nil
	},
}

func decodeReq(data []byte, m proto.Message) error {
	if err := proto.Unmarshal(data, m); err != nil {
		return ErrBadRequest.Wrapf("%v", err)
	}
	return nil
}

func marshalAnswer(m proto.Message, err error) (answer, error) {
	if err != nil {
		return answer{}, err
	}
	bz, err := proto.Marshal(m)
	return answer{value: bz}, err
}

// query answers one request at a committed height.
func (a *App) query(req *abci.RequestQuery) *abci.ResponseQuery {
	if req.Path == PathNonce {
		return a.queryNonce(req.Data)
	}
	fn, ok := queries[req.Path]
	if !ok {
		return queryErr(ErrUnknownPath.Wrapf("%q", req.Path), 0)
	}
	h := req.Height
	if h == 0 {
		h = a.tree.Version()
	}
	snap, err := a.tree.At(h)
	if err != nil {
		return queryErr(ErrHeightNotFound.Wrapf("%d (latest is %d): %v", h, a.tree.Version(), err), h)
	}
	ans, qerr := fn(a, snap, req.Data)
	resp := queryErr(qerr, h)
	resp.Value = ans.value
	if req.Prove && ans.proofKey != nil {
		p, err := snap.Proof(ans.proofKey)
		if err != nil {
			return queryErr(fmt.Errorf("build proof: %w", err), h)
		}
		bz, err := p.Marshal()
		if err != nil {
			return queryErr(fmt.Errorf("encode proof: %w", err), h)
		}
		resp.Key = ans.proofKey
		resp.ProofOps = &cmtcrypto.ProofOps{Ops: []cmtcrypto.ProofOp{{Type: ProofOpType, Key: ans.proofKey, Data: bz}}}
	}
	return resp
}

// queryNonce returns a signer's committed next nonce and the next nonce
// counting the txs this node's mempool has accepted.
func (a *App) queryNonce(data []byte) *abci.ResponseQuery {
	if len(data) != 20 {
		return queryErr(ErrBadRequest.Wrap("want a 20-byte address"), 0)
	}
	signer := address.FromBytes(data)
	committed := getNonce(a.checkKV, signer)
	pending, ok := a.pending[signer]
	if !ok {
		pending = committed
	}
	v := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, committed), pending)
	return &abci.ResponseQuery{Value: v, Height: a.tree.Version()}
}

func queryErr(err error, height int64) *abci.ResponseQuery {
	if err == nil {
		return &abci.ResponseQuery{Height: height}
	}
	space, code, log := errs.ABCIInfo(err)
	if code == errs.CodeInternal {
		log = err.Error() // queries are not consensus: keep the detail
	}
	return &abci.ResponseQuery{Codespace: space, Code: code, Log: log, Height: height}
}
