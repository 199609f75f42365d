package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/query"
	mkttypes "github.com/datarights/datarights/x/market/types"
	provkeeper "github.com/datarights/datarights/x/provenance/keeper"
	provtypes "github.com/datarights/datarights/x/provenance/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// ask runs an unproven list query at height and decodes its answer; what
// it returns is only a claim, which the caller proves item by item.
func ask(ctx context.Context, src source, path string, req, resp proto.Message, height int64) error {
	data, err := proto.Marshal(req)
	if err != nil {
		return err
	}
	res, err := src.query(ctx, path, data, height)
	if err != nil {
		return err
	}
	if res.Code != 0 {
		return fmt.Errorf("%s: %s code %d: %s", path, res.Codespace, res.Code, res.Log)
	}
	if res.Height != height {
		return fmt.Errorf("%s answered for height %d, asked %d", path, res.Height, height)
	}
	return proto.Unmarshal(res.Value, resp)
}

// checkHistory proves every entry of the entity's history that the node
// lists: the entry under its state key, then its tx (inclusion in its
// block and success). End-block entries have no tx: their state proof is
// the proof.
func checkHistory(ctx context.Context, r *Report, src source, ent *entity, height int64, appHash []byte) {
	page := &query.PageRequest{Limit: query.MaxLimit}
	txs := map[string]bool{} // a tx with several entries is proven once
	for {
		var resp provtypes.HistoryResponse
		if err := ask(ctx, src, provkeeper.PathHistory, &provtypes.HistoryRequest{Id: ent.ID, Page: page}, &resp, height); err != nil {
			r.fail(KindHistory, ent.ID+" history", err)
			return
		}
		for _, e := range resp.Entries {
			checkEntry(ctx, r, src, ent.ID, e, height, appHash, txs)
		}
		if len(resp.GetPage().GetNextKey()) == 0 {
			return
		}
		page = &query.PageRequest{Key: resp.Page.NextKey, Limit: query.MaxLimit}
	}
}

func checkEntry(ctx context.Context, r *Report, src source, id string, listed *provtypes.HistoryEntry, height int64, appHash []byte, txs map[string]bool) {
	what := fmt.Sprintf("%s at %d: %s", id, listed.Height, listed.Action)
	key := provtypes.HistoryKey(id, listed.Height, listed.TxIndex, listed.EventIndex)
	v, err := proveKey(ctx, src, key, height, appHash)
	if err == nil && v == nil {
		err = errors.New("the node lists this entry, but the state proves there is none")
	}
	var e provtypes.HistoryEntry
	if err == nil {
		err = proto.Unmarshal(v, &e)
	}
	if err == nil && !proto.Equal(&e, listed) {
		err = fmt.Errorf("the node listed %q, the proven entry is %q", listed.Summary+" "+listed.Action, e.Summary+" "+e.Action)
	}
	if err != nil {
		r.fail(KindHistory, what, err)
		return
	}
	if e.TxIndex == provtypes.EndBlockTxIndex {
		r.ok(KindHistory, what, "entry proven against app hash %X of header %d; end-block work (no tx): proven by state only", appHash, height+1)
		return
	}
	r.ok(KindHistory, what, "entry proven against app hash %X of header %d; tx %X", appHash, height+1, e.TxHash)
	if txs[string(e.TxHash)] {
		return
	}
	txs[string(e.TxHash)] = true
	note, err := proveTx(ctx, src, e.TxHash, e.Height, e.TxIndex)
	r.check(KindTx, fmt.Sprintf("tx %X", e.TxHash), err, note)
}

// traceDirections maps --direction to the query's.
var traceDirections = map[string]provtypes.Direction{
	"": provtypes.Direction_DIRECTION_BOTH, "both": provtypes.Direction_DIRECTION_BOTH,
	"up": provtypes.Direction_DIRECTION_UP, "down": provtypes.Direction_DIRECTION_DOWN,
}

// checkTrace proves every node of the trace the node returns (its state)
// and every edge (implied by the proven state of the node it leaves).
func checkTrace(ctx context.Context, r *Report, src source, root *entity, opts Options, height int64, appHash []byte) {
	dir, ok := traceDirections[opts.Direction]
	if !ok {
		r.fail(KindTraceNode, root.ID, fmt.Errorf("direction %q: want up, down or both", opts.Direction))
		return
	}
	var tr provtypes.Trace
	if err := ask(ctx, src, provkeeper.PathTrace, &provtypes.TraceRequest{Id: root.ID, Direction: dir, Depth: opts.Depth}, &tr, height); err != nil {
		r.fail(KindTraceNode, root.ID+" trace", err)
		return
	}
	proven := map[string]*entity{root.ID: root}
	for _, n := range tr.Nodes {
		if _, done := proven[n.Id]; done {
			continue
		}
		ent, err := proveNode(ctx, src, n, height, appHash)
		if err != nil {
			r.fail(KindTraceNode, n.Kind+" "+n.Id, err)
			continue
		}
		proven[n.Id] = ent
		r.ok(KindTraceNode, n.Kind+" "+n.Id, "state proven against app hash %X of header %d", appHash, height+1)
	}
	for _, e := range tr.Edges {
		what := fmt.Sprintf("%s %s %s", e.From, e.Kind, e.To)
		from, ok := proven[e.From]
		if !ok || from.Value == nil {
			r.fail(KindTraceEdge, what, fmt.Errorf("%s is not a proven node of the trace", e.From))
			continue
		}
		if err := edgeImplied(from, e); err != nil {
			r.fail(KindTraceEdge, what, err)
			continue
		}
		r.ok(KindTraceEdge, what, "implied by the proven state of %s", e.From)
	}
	if tr.Truncated {
		r.ok(KindTraceNode, root.ID+" trace", "the trace was cut by a server limit (%s): the nodes and edges shown are proven, the rest was not asked", tr.TruncatedReason)
	}
}

// proveNode proves a trace node's state; a party node may be an address
// with no registered party (proven absent).
func proveNode(ctx context.Context, src source, n *provtypes.TraceNode, height int64, appHash []byte) (*entity, error) {
	ent, err := resolve(n.Id)
	if err != nil {
		return nil, err
	}
	if kind := strings.Replace(n.Kind, "product", "asset", 1); kind != ent.Kind {
		return nil, fmt.Errorf("the trace calls it a %s, its id is a %s's", n.Kind, ent.Kind)
	}
	v, err := proveKey(ctx, src, ent.Key, height, appHash)
	if err != nil {
		return nil, err
	}
	if v == nil {
		if ent.Kind == "party" {
			ent.Value = nil
			return ent, nil
		}
		return nil, errors.New("the state proves it does not exist")
	}
	if err := proto.Unmarshal(v, ent.Value); err != nil {
		return nil, err
	}
	return ent, nil
}

// edgeImplied checks that the proven state of e's source names e's target
// in the way e's kind says.
func edgeImplied(from *entity, e *provtypes.TraceEdge) error {
	var ok bool
	switch v := from.Value.(type) {
	case *regtypes.Asset:
		ok = e.Kind == provtypes.EdgeDerivedFrom && slices.ContainsFunc(v.Inputs, func(in *regtypes.Input) bool {
			return in.AssetId == e.To && via(in) == e.Via
		})
	case *rightstypes.Right:
		switch e.Kind {
		case provtypes.EdgeRightOn:
			ok = v.AssetId == e.To
		case provtypes.EdgeSublicensedFrom:
			ok = v.ParentId != "" && v.ParentId == e.To
		case provtypes.EdgeHeldBy:
			ok = v.Holder == e.To
		case provtypes.EdgeUnderAuthorization:
			ok = v.AuthorizationId != "" && v.AuthorizationId == e.To
		}
	case *mkttypes.Trade:
		ok = e.Kind == provtypes.EdgeTradedIn && (slices.Contains(v.RightIds, e.To) || v.ListingId != "" && v.ListingId == e.To)
	case *mkttypes.Listing:
		ok = e.Kind == provtypes.EdgeListed && v.RightId == e.To
	}
	if !ok {
		return fmt.Errorf("the proven state of %s does not say %s %s", from.ID, e.Kind, e.To)
	}
	return nil
}

// via is how the registry names what allowed a derivation (the right and
// the authorisation on the product's input), as the trace shows it.
func via(in *regtypes.Input) string {
	var parts []string
	for _, s := range []string{in.RightId, in.AuthorizationId} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ",")
}
