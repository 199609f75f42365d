package keeper

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/datarights/datarights/address"

	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	markettypes "github.com/datarights/datarights/x/market/types"
	"github.com/datarights/datarights/x/provenance/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Trace limits. A trace reads only the edges it follows (no scans), and
// stops at the node cap, so no request can make a node read without bound.
const (
	DefaultDepth    = 32
	MaxDepth        = 256
	DefaultMaxNodes = 2_000
	MaxMaxNodes     = 50_000
)

// Why a trace stopped early.
const (
	ReasonMaxNodes = "max_nodes"
	ReasonDepth    = "depth"
)

// Trace answers /provenance/trace: from the root entity, the lineage in
// the requested direction (breadth first, each asset once) and, for each
// asset reached, its custody: every right on it with its parent, holder
// and authorisation, and every trade of it with its listing.
func (k Keeper) Trace(root store.KV, req *types.TraceRequest) (*types.Trace, error) {
	if err := checkID(req.Id); err != nil {
		return nil, err
	}
	if _, ok := types.Direction_name[int32(req.Direction)]; !ok {
		return nil, types.ErrInvalidTrace.Wrapf("direction %d", req.Direction)
	}
	t := &tracer{k: k, kv: root, depth: limit(req.Depth, DefaultDepth, MaxDepth),
		max: limit(req.MaxNodes, DefaultMaxNodes, MaxMaxNodes), seen: map[string]bool{}, edges: map[edgeKey]bool{}, cache: map[string]*regtypes.Asset{},
		out: &types.Trace{Root: req.Id}}
	start, err := t.root(req.Id)
	if err != nil {
		return nil, err
	}
	up := req.Direction != types.Direction_DIRECTION_DOWN
	down := req.Direction != types.Direction_DIRECTION_UP
	t.walk(start, up, down)
	return t.out, nil
}

func limit(n, def, max uint32) int {
	switch {
	case n == 0:
		return int(def)
	case n > max:
		return int(max)
	}
	return int(n)
}

// tracer is one trace in progress.
type tracer struct {
	k     Keeper
	kv    store.KV
	depth int
	max   int
	seen  map[string]bool // node ids added
	cache map[string]*regtypes.Asset
	edges map[edgeKey]bool
	out   *types.Trace
}

// step is an asset in the BFS queue: its lineage distance from the root,
// and the directions it is followed in (up from ancestors only, down
// from descendants only; the root both ways if asked).
type step struct {
	asset    *regtypes.Asset
	depth    int
	up, down bool
}

// root adds the root's node and returns the assets the lineage walk
// starts from.
func (t *tracer) root(id string) ([]*regtypes.Asset, error) {
	switch {
	case strings.HasPrefix(id, "a-"):
		a, err := t.k.registry.Asset(t.kv, id)
		if err != nil {
			return nil, unknown(id, err)
		}
		return []*regtypes.Asset{a}, nil
	case strings.HasPrefix(id, rightstypes.RightIDPrefix):
		r, err := t.k.rights.Right(t.kv, id)
		if err != nil {
			return nil, unknown(id, err)
		}
		t.right(r, 0)
		return t.assets(r.AssetId)
	case strings.HasPrefix(id, authtypes.IDPrefix):
		a, err := t.k.auth.Authorization(t.kv, id)
		if err != nil {
			return nil, unknown(id, err)
		}
		t.node(authNode(a, 0))
		return t.assets(a.AssetIds...)
	case strings.HasPrefix(id, markettypes.TradeIDPrefix):
		tr, err := t.k.market.Trade(t.kv, id)
		if err != nil {
			return nil, unknown(id, err)
		}
		t.trade(tr, 0)
		return t.assets(tr.AssetId)
	case strings.HasPrefix(id, markettypes.ListingIDPrefix):
		l, err := t.k.market.Listing(t.kv, id)
		if err != nil {
			return nil, unknown(id, err)
		}
		t.listing(l, 0)
		return t.assets(l.AssetId)
	case strings.HasPrefix(id, "0x"):
		if _, err := address.Normalize(id); err != nil {
			return nil, types.ErrInvalidID.Wrap(err.Error())
		}
		p, err := t.k.identity.Party(t.kv, id)
		if err != nil {
			return nil, unknown(id, err)
		}
		t.party(p.Address, 0)
		return nil, nil
	}
	return nil, types.ErrInvalidID.Wrapf("%q is not an asset, right, authorisation, trade, listing or party id", id)
}

// unknown maps a module's not-found error to ours, keeping any other
// error (a malformed id) as its module reported it.
func unknown(id string, err error) error {
	for _, nf := range []error{regtypes.ErrAssetNotFound, rightstypes.ErrRightNotFound, authtypes.ErrNotFound,
		markettypes.ErrTradeNotFound, markettypes.ErrListingNotFound, idtypes.ErrPartyNotFound} {
		if errors.Is(err, nf) {
			return types.ErrUnknownEntity.Wrapf("%s: %v", id, err)
		}
	}
	return err
}

func (t *tracer) assets(ids ...string) ([]*regtypes.Asset, error) {
	var out []*regtypes.Asset
	for _, id := range ids {
		a, err := t.k.registry.Asset(t.kv, id)
		if err != nil {
			panic(&store.Fault{Err: fmt.Errorf("provenance: %s is named in state but not stored: %w", id, err)})
		}
		out = append(out, a)
	}
	return out, nil
}

// walk is the breadth-first lineage walk.
func (t *tracer) walk(start []*regtypes.Asset, up, down bool) {
	var queue []step
	for _, a := range start {
		if t.node(assetNode(a, 0)) {
			queue = append(queue, step{asset: a, up: up, down: down})
		}
	}
	for len(queue) > 0 && !t.full() {
		s := queue[0]
		queue = queue[1:]
		t.custody(s.asset, s.depth)
		if s.up {
			queue = t.upstream(s, queue)
		}
		if s.down {
			queue = t.downstream(s, queue)
		}
	}
	if len(queue) > 0 {
		t.truncate(ReasonMaxNodes)
	}
}

// upstream adds the inputs of s's asset and the derived_from edges to them.
func (t *tracer) upstream(s step, queue []step) []step {
	for _, in := range s.asset.Inputs {
		if s.depth >= t.depth {
			t.truncate(ReasonDepth)
			return queue
		}
		if !t.seen[in.AssetId] {
			a := t.mustAsset(in.AssetId)
			if !t.node(assetNode(a, s.depth+1)) {
				return queue
			}
			queue = append(queue, step{asset: a, depth: s.depth + 1, up: true})
		}
		t.edge(s.asset.Id, in.AssetId, types.EdgeDerivedFrom, via(in))
	}
	return queue
}

// downstream adds the products of s's asset, a page at a time.
func (t *tracer) downstream(s step, queue []step) []step {
	page := &query.PageRequest{Limit: query.MaxLimit}
	for {
		ids, resp, err := t.k.registry.Products(t.kv, s.asset.Id, page)
		if err != nil {
			panic(&store.Fault{Err: err})
		}
		for _, id := range ids {
			if s.depth >= t.depth {
				t.truncate(ReasonDepth)
				return queue
			}
			p := t.mustAsset(id)
			if !t.seen[id] {
				if !t.node(assetNode(p, s.depth+1)) {
					return queue
				}
				queue = append(queue, step{asset: p, depth: s.depth + 1, down: true})
			}
			for _, in := range p.Inputs {
				if in.AssetId == s.asset.Id {
					t.edge(p.Id, s.asset.Id, types.EdgeDerivedFrom, via(in))
				}
			}
		}
		if len(resp.GetNextKey()) == 0 {
			return queue
		}
		page.Key = resp.NextKey
	}
}

// via is what allowed a derivation, as the registry recorded it on the
// product's input: the registrant's right on the input and the
// authorisation that right was granted under, if any.
func via(in *regtypes.Input) string {
	var parts []string
	for _, s := range []string{in.RightId, in.AuthorizationId} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ",")
}

// mustAsset reads an asset the lineage names, once per trace (a product
// is read again for each of its inputs the walk reaches).
func (t *tracer) mustAsset(id string) *regtypes.Asset {
	if a := t.cache[id]; a != nil {
		return a
	}
	a, err := t.k.registry.Asset(t.kv, id)
	if err != nil {
		panic(&store.Fault{Err: fmt.Errorf("provenance: lineage names %s, which is not stored: %w", id, err)})
	}
	t.cache[id] = a
	return a
}

// custody adds every right on the asset and every trade of it.
func (t *tracer) custody(a *regtypes.Asset, depth int) {
	page := &query.PageRequest{Limit: query.MaxLimit}
	for !t.full() {
		resp, err := t.k.rights.QueryRights(t.kv, &rightstypes.QueryRightsRequest{AssetId: a.Id, Page: page})
		if err != nil {
			panic(&store.Fault{Err: err})
		}
		for _, r := range resp.Rights {
			t.right(r, depth)
		}
		if len(resp.GetPage().GetNextKey()) == 0 {
			break
		}
		page.Key = resp.Page.NextKey
	}
	page = &query.PageRequest{Limit: query.MaxLimit}
	for !t.full() {
		resp, err := t.k.market.QueryTrades(t.kv, &markettypes.QueryTradesRequest{AssetId: a.Id, Page: page})
		if err != nil {
			panic(&store.Fault{Err: err})
		}
		for _, tr := range resp.Trades {
			t.trade(tr, depth)
		}
		if len(resp.GetPage().GetNextKey()) == 0 {
			break
		}
		page.Key = resp.Page.NextKey
	}
}

// right adds a right with its edges: to its asset, parent, holder and
// authorisation (their nodes too, except the asset's, which the walk adds).
func (t *tracer) right(r *rightstypes.Right, depth int) {
	if !t.node(&types.TraceNode{Id: r.Id, Kind: types.KindRight, Label: rightstypes.KindName(r.Kind),
		State: rightstypes.StatusName(r.Status), Depth: uint32(depth), Holder: r.Holder, Height: r.GrantedHeight}) {
		return
	}
	t.edge(r.Id, r.AssetId, types.EdgeRightOn, "")
	if r.ParentId != "" {
		t.edge(r.Id, r.ParentId, types.EdgeSublicensedFrom, "")
	}
	t.party(r.Holder, depth)
	t.edge(r.Id, r.Holder, types.EdgeHeldBy, "")
	if r.AuthorizationId != "" {
		if a, err := t.k.auth.Authorization(t.kv, r.AuthorizationId); err == nil {
			t.node(authNode(a, depth))
		}
		t.edge(r.Id, r.AuthorizationId, types.EdgeUnderAuthorization, "")
	}
}

func (t *tracer) trade(tr *markettypes.Trade, depth int) {
	if !t.node(&types.TraceNode{Id: tr.Id, Kind: types.KindTrade, Label: strconv.FormatUint(tr.AmountFen, 10) + " fen",
		State: "settled", Depth: uint32(depth), Holder: tr.Buyer, Height: tr.Height}) {
		return
	}
	for _, id := range tr.RightIds {
		t.edge(tr.Id, id, types.EdgeTradedIn, "")
	}
	if tr.ListingId != "" {
		if l, err := t.k.market.Listing(t.kv, tr.ListingId); err == nil {
			t.listing(l, depth)
		}
		t.edge(tr.Id, tr.ListingId, types.EdgeTradedIn, "")
	}
}

func (t *tracer) listing(l *markettypes.Listing, depth int) {
	if !t.node(&types.TraceNode{Id: l.Id, Kind: types.KindListing, Label: markettypes.KindName(l.Kind),
		State: markettypes.ListingStatusName(l.Status), Depth: uint32(depth), Holder: l.Seller, Height: l.Height}) {
		return
	}
	t.edge(l.Id, l.RightId, types.EdgeListed, "")
}

func (t *tracer) party(addr string, depth int) {
	if t.seen[addr] || addr == "" {
		return
	}
	n := &types.TraceNode{Id: addr, Kind: types.KindParty, Depth: uint32(depth)}
	if p, err := t.k.identity.Party(t.kv, addr); err == nil {
		n.Label, n.State, n.Height = p.Name, idtypes.StatusName(p.Status), p.RegisteredHeight
	}
	t.node(n)
}

func assetNode(a *regtypes.Asset, depth int) *types.TraceNode {
	kind := types.KindAsset
	if len(a.Inputs) > 0 {
		kind = types.KindProduct
	}
	return &types.TraceNode{Id: a.Id, Kind: kind, Label: a.Name, State: regtypes.StatusName(a.Status),
		Depth: uint32(depth), Holder: a.Registrant, Height: a.RegisteredHeight}
}

func authNode(a *authtypes.Authorization, depth int) *types.TraceNode {
	return &types.TraceNode{Id: a.Id, Kind: types.KindAuthorization, Label: "operator " + a.Operator,
		State: authtypes.StatusName(a.Status), Depth: uint32(depth), Holder: a.Operator, Height: a.AppliedHeight}
}

// node adds n unless it is there already; it reports whether n is in the
// trace (false when the node cap stopped it).
func (t *tracer) node(n *types.TraceNode) bool {
	if t.seen[n.Id] {
		return true
	}
	if t.full() {
		t.truncate(ReasonMaxNodes)
		return false
	}
	t.seen[n.Id] = true
	t.out.Nodes = append(t.out.Nodes, n)
	return true
}

func (t *tracer) full() bool { return len(t.out.Nodes) >= t.max }

// edge adds an edge once, and only between nodes in the trace.
func (t *tracer) edge(from, to, kind, via string) {
	if !t.seen[from] || !t.seen[to] {
		return
	}
	key := edgeKey{from, to, kind}
	if t.edges[key] {
		return
	}
	t.edges[key] = true
	t.out.Edges = append(t.out.Edges, &types.TraceEdge{From: from, To: to, Kind: kind, Via: via})
}

type edgeKey struct{ from, to, kind string }

func (t *tracer) truncate(reason string) {
	t.out.Truncated = true
	if t.out.TruncatedReason == "" {
		t.out.TruncatedReason = reason
	}
}
