package explorer

import (
	"context"
	"encoding/hex"
	"strings"

	"github.com/datarights/datarights/query"
	provkeeper "github.com/datarights/datarights/x/provenance/keeper"
	provtypes "github.com/datarights/datarights/x/provenance/types"
)

// Bounds of what an entity page asks x/provenance for.
const (
	historyPage    = 50  // history entries per page
	traceDepth     = 6   // lineage hops each way
	traceMaxNodes  = 150 // nodes drawn; a bigger trace is marked truncated
	endBlockTxIndx = 0xFFFFFFFF
)

// ledgerProvenance reads x/provenance's queries.
type ledgerProvenance struct{ l *Ledger }

// NewProvenance reads history and traces from the ledger's x/provenance
// queries.
func NewProvenance(l *Ledger) Provenance { return ledgerProvenance{l} }

func (p ledgerProvenance) History(ctx context.Context, id string, pageKey []byte) ([]HistoryRow, []byte, error) {
	resp := &provtypes.HistoryResponse{}
	req := &provtypes.HistoryRequest{Id: id, Page: &query.PageRequest{Key: pageKey, Limit: historyPage}}
	if _, err := p.l.Ask(ctx, provkeeper.PathHistory, req, resp); err != nil {
		return nil, nil, err
	}
	rows := make([]HistoryRow, 0, len(resp.Entries))
	for _, e := range resp.Entries {
		row := HistoryRow{Height: e.Height, Action: e.Action, Actor: e.Actor, Summary: e.Summary}
		if e.Time != nil {
			row.Time = ChinaTime(e.Time.AsTime())
		}
		if e.TxIndex != endBlockTxIndx && len(e.TxHash) > 0 {
			row.TxHash = strings.ToUpper(hex.EncodeToString(e.TxHash))
		}
		rows = append(rows, row)
	}
	return rows, resp.GetPage().GetNextKey(), nil
}

func (p ledgerProvenance) Trace(ctx context.Context, id string) (Graph, error) {
	tr := &provtypes.Trace{}
	req := &provtypes.TraceRequest{Id: id, Direction: provtypes.Direction_DIRECTION_BOTH, Depth: traceDepth, MaxNodes: traceMaxNodes}
	if _, err := p.l.Ask(ctx, provkeeper.PathTrace, req, tr); err != nil {
		return Graph{}, err
	}
	return traceGraph(tr), nil
}

// traceGraph is a trace as the explorer draws it: states and labels that
// are enum short names ("active", "use") become the enums' catalogue keys,
// so they print translated.
func traceGraph(tr *provtypes.Trace) Graph {
	g := Graph{Root: tr.Root, Truncated: tr.Truncated}
	for _, n := range tr.Nodes {
		g.Nodes = append(g.Nodes, GraphNode{ID: n.Id, Kind: n.Kind, Label: enumKey(labelEnums[n.Kind], n.Label), State: enumKey(stateEnums[n.Kind], n.State)})
	}
	for _, e := range tr.Edges {
		g.Edges = append(g.Edges, GraphEdge{From: e.From, To: e.To, Kind: e.Kind, Via: e.Via})
	}
	return g
}

// stateEnums and labelEnums name the enum behind a trace node's state and
// label, by node kind.
var (
	stateEnums = map[string]string{
		provtypes.KindAsset: "ASSET_STATUS_", provtypes.KindProduct: "ASSET_STATUS_", provtypes.KindRight: "RIGHT_STATUS_",
		provtypes.KindAuthorization: "AUTHORIZATION_STATUS_", provtypes.KindListing: "LISTING_STATUS_", provtypes.KindParty: "PARTY_STATUS_",
		provtypes.KindTrade: "state.",
	}
	labelEnums = map[string]string{provtypes.KindRight: "RIGHT_KIND_", provtypes.KindListing: "LISTING_KIND_"}
)

func enumKey(prefix, short string) string {
	if prefix == "" || short == "" {
		return short
	}
	if prefix == "state." {
		return prefix + short
	}
	return prefix + strings.ToUpper(short)
}
