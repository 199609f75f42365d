package keeper

import (
	"context"
	"math/bits"
	"strconv"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/revenue/types"
)

const (
	kindLevy      = types.LineKind_LINE_KIND_PUBLIC_LEVY
	kindOperator  = types.LineKind_LINE_KIND_OPERATOR
	kindPublic    = types.LineKind_LINE_KIND_PUBLIC_SERVICE
	kindShare     = types.LineKind_LINE_KIND_POLICY_SHARE
	kindHolder    = types.LineKind_LINE_KIND_HOLDER
	kindRemainder = types.LineKind_LINE_KIND_REMAINDER
)

// mulDiv is floor(a*b/d) on 128 bits, so that a*b never overflows. Callers
// pass b <= d, so the quotient is at most a and fits (bits.Div64 would
// panic otherwise: a programming error, not user input).
func mulDiv(a, b, d uint64) uint64 {
	if b > d || d == 0 {
		panic("revenue: mulDiv with b > d or d = 0")
	}
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, d)
	return q
}

// Split computes and records the distribution of amount for a settlement
// of trade tradeID selling asset (authorizationID is the sold right's
// authorisation, or empty). The lines sum to amount exactly; see the
// package documentation for the order and the remainder rule. The market
// credits each line; Split writes only the revenue module's records (the
// distribution, its indexes, the earnings) and emits revenue_distributed
// and one revenue_line per line.
func (k Keeper) Split(ctx context.Context, root store.KV, tradeID string, asset *regtypes.Asset, authorizationID string, amount uint64) ([]*types.Line, error) {
	if err := types.CheckID("trade_id", tradeID); err != nil {
		return nil, types.ErrInvalidTrade.Wrap(err.Error())
	}
	if err := types.CheckID("asset_id", asset.GetId()); err != nil {
		return nil, err
	}
	if k.distributed(root, tradeID) {
		return nil, types.ErrDuplicateTrade.Wrapf("trade %s", tradeID)
	}
	lines, err := k.compute(root, asset, authorizationID, amount)
	if err != nil {
		return nil, err
	}
	b := env.BlockOf(ctx)
	d := &types.Distribution{TradeId: tradeID, AssetId: asset.Id, AmountFen: amount, Lines: lines,
		Height: b.Height, Time: timestamppb.New(b.Time)}
	if err := k.record(root, d); err != nil {
		return nil, err
	}
	env.Emit(ctx, types.EventDistributed,
		env.Indexed(types.AttrTradeID, tradeID),
		env.Indexed(types.AttrAssetID, asset.Id),
		env.Plain(types.AttrAmount, strconv.FormatUint(amount, 10)),
		env.Plain(types.AttrLines, strconv.Itoa(len(lines))))
	for _, l := range lines {
		env.Emit(ctx, types.EventLine,
			env.Indexed(types.AttrBeneficiary, l.Beneficiary),
			env.Indexed(types.AttrAmount, strconv.FormatUint(l.AmountFen, 10)),
			env.Indexed(types.AttrKind, types.KindName(l.Kind)),
			env.Plain(types.AttrTradeID, tradeID),
			env.Plain(types.AttrAssetID, l.AssetId),
			env.Plain(types.AttrDepth, strconv.FormatUint(uint64(l.Depth), 10)),
			env.Indexed(types.AttrAuthorizationID, l.AuthorizationId))
	}
	return lines, nil
}

// distributed reports whether the trade already has its distribution: a
// settlement is split once.
func (k Keeper) distributed(root store.KV, tradeID string) bool {
	prefix := byTrade(tradeID)
	it := k.kv(root).Iterator(prefix, store.PrefixEnd(prefix))
	defer it.Close()
	return it.Valid()
}

// record stores the distribution with its indexes and adds each line to
// its beneficiary's earnings. Every total is checked before anything is
// written, so an overflow leaves the store as it was.
func (k Keeper) record(root store.KV, d *types.Distribution) error {
	kv := k.kv(root)
	totals := map[string]*types.QueryEarningsResponse{} // looked up by key only, never ranged
	var order []string
	for _, l := range d.Lines {
		e, ok := totals[l.Beneficiary]
		if !ok {
			e = k.Earnings(root, l.Beneficiary)
			totals[l.Beneficiary] = e
			order = append(order, l.Beneficiary)
		}
		sum, carry := bits.Add64(e.TotalFen, l.AmountFen, 0)
		if carry != 0 {
			return types.ErrOverflow.Wrapf("earnings of %s", l.Beneficiary)
		}
		e.TotalFen, e.Lines = sum, e.Lines+1
	}
	n := uint64(1)
	if bz := kv.Get(seqKey); bz != nil {
		n = decodeN(bz) + 1
	}
	kv.Set(seqKey, u64(n))
	kv.Set(distributionKey(n), store.Encode(d))
	kv.Set(store.Concat(byTrade(d.TradeId), u64(n)), store.Marker)
	kv.Set(store.Concat(byAsset(d.AssetId), u64(n)), store.Marker)
	for _, l := range d.Lines {
		kv.Set(store.Concat(byAsset(l.AssetId), u64(n)), store.Marker)
	}
	for _, p := range order {
		kv.Set(store.Concat(byBeneficiary(p), u64(n)), store.Marker)
		kv.Set(earningsKey(p), store.Encode(totals[p]))
	}
	return nil
}

// splitter computes one settlement's lines. It caches the assets, holders
// and policies it reads (a lineage DAG reaches an asset by many paths);
// the caches are looked up by key only, never ranged over.
type splitter struct {
	k        Keeper
	root     store.KV
	maxDepth uint32
	lines    []*types.Line
	assets   map[string]*regtypes.Asset
	holders  map[string]string
}

func (s *splitter) add(beneficiary string, amount uint64, kind types.LineKind, asset string, depth uint32) *types.Line {
	if amount == 0 {
		return nil
	}
	l := &types.Line{Beneficiary: beneficiary, AmountFen: amount, Kind: kind, AssetId: asset, Depth: depth}
	s.lines = append(s.lines, l)
	return l
}

func (s *splitter) asset(id string) (*regtypes.Asset, error) {
	if a, ok := s.assets[id]; ok {
		return a, nil
	}
	a, err := s.k.registry.Asset(s.root, id)
	if err != nil {
		return nil, err
	}
	s.assets[id] = a
	return a, nil
}

func (s *splitter) holder(a *regtypes.Asset) (string, error) {
	if h, ok := s.holders[a.Id]; ok {
		return h, nil
	}
	h, err := s.k.rights.HolderOf(s.root, a)
	if err != nil {
		return "", err
	}
	s.holders[a.Id] = h
	return h, nil
}

// compute is Split without the writes: levy, authorisation terms, then the
// policy down the lineage.
func (k Keeper) compute(root store.KV, asset *regtypes.Asset, authorizationID string, amount uint64) ([]*types.Line, error) {
	p := k.Params(root)
	s := &splitter{k: k, root: root, maxDepth: p.MaxLineageDepth,
		assets: map[string]*regtypes.Asset{asset.Id: asset}, holders: map[string]string{}}
	rest := amount
	public, err := s.derivedFromPublic(asset)
	if err != nil {
		return nil, err
	}
	if public {
		levy := mulDiv(amount, uint64(p.PublicLevyBps), types.TotalBps)
		s.add(types.FundAddress, levy, kindLevy, asset.Id, 0)
		rest -= levy
	}
	paid, err := s.authorizationTerms(asset, authorizationID, rest)
	if err != nil {
		return nil, err
	}
	rest -= paid
	// MinLines leaves at least 5 lines for the policy after the levy and
	// two lines for each authorisation (at most one per input).
	if _, err := s.level(asset, rest, 0, int(p.MaxLines)-len(s.lines)); err != nil {
		return nil, err
	}
	return s.lines, nil
}

// derivedFromPublic reports whether the asset, or any input reached within
// max_lineage_depth levels, is public data. It walks the lineage breadth
// first, each asset once.
func (s *splitter) derivedFromPublic(a *regtypes.Asset) (bool, error) {
	seen := map[string]bool{a.Id: true}
	level := []*regtypes.Asset{a}
	for depth := uint32(0); len(level) > 0; depth++ {
		var next []*regtypes.Asset
		for _, x := range level {
			if x.Classification == regtypes.Classification_CLASSIFICATION_PUBLIC {
				return true, nil
			}
			if depth == s.maxDepth {
				continue
			}
			for _, in := range x.Inputs {
				if seen[in.AssetId] {
					continue
				}
				seen[in.AssetId] = true
				y, err := s.asset(in.AssetId)
				if err != nil {
					return false, err
				}
				next = append(next, y)
			}
		}
		level = next
	}
	return false, nil
}

// level splits amount by asset a's policy at the given depth, producing at
// most budget lines (budget >= 1), and returns how many it produced.
//
// The policy's shares, its upstream part and the holder's part are each
// the floor of their bps of amount; the upstream part is split among the
// inputs by their weights, each floored, each input's part split by that
// input's policy one level deeper. What the flooring lost at this level
// (in the policy split and in the upstream split) goes to this level's
// holder as one REMAINDER line. Upstream stops at max_lineage_depth, or at
// an asset without inputs: its part then stays with the holder.
//
// Each level keeps two lines of its budget for its holder and remainder.
// When the budget runs out (or is too small to split at all), whatever is
// not yet paid out goes to this level's holder as its HOLDER line, with
// no REMAINDER line.
func (s *splitter) level(a *regtypes.Asset, amount uint64, depth uint32, budget int) (int, error) {
	if amount == 0 {
		return 0, nil
	}
	holder, err := s.holder(a)
	if err != nil {
		return 0, err
	}
	start := len(s.lines)
	pol := s.k.Policy(s.root, a.Id)
	if pol == nil || budget < 3 {
		s.add(holder, amount, kindHolder, a.Id, depth)
		return 1, nil
	}
	up := uint64(pol.UpstreamBps)
	var weights uint64
	for _, in := range a.Inputs {
		weights += uint64(in.WeightBps)
	}
	if depth >= s.maxDepth || weights == 0 {
		up = 0 // upstream stays with the holder
	}
	sharesBps := uint64(0)
	for _, sh := range pol.Shares {
		sharesBps += uint64(sh.Bps)
	}
	if sharesBps+up > types.TotalBps {
		// SetPolicy refuses such a policy; a stored one is corruption.
		panic(&store.Fault{Err: types.ErrBpsTooHigh.Wrapf("stored policy of %s", a.Id)})
	}
	avail := budget - 2 // kept for HOLDER and REMAINDER
	paid := uint64(0)   // what this level has paid out so far
	capped := false
	for _, sh := range pol.Shares {
		part := mulDiv(amount, uint64(sh.Bps), types.TotalBps)
		if part == 0 {
			continue
		}
		if avail == 0 {
			capped = true
			break
		}
		s.add(sh.Beneficiary, part, kindShare, a.Id, depth)
		avail--
		paid += part
	}
	upPart := mulDiv(amount, up, types.TotalBps)
	if !capped && upPart > 0 {
		for _, in := range a.Inputs {
			part := mulDiv(upPart, uint64(in.WeightBps), weights)
			if part == 0 {
				continue
			}
			if avail == 0 {
				capped = true
				break
			}
			x, err := s.asset(in.AssetId)
			if err != nil {
				return 0, err
			}
			used, err := s.level(x, part, depth+1, avail)
			if err != nil {
				return 0, err
			}
			avail -= used
			paid += part
		}
	}
	if capped {
		s.add(holder, amount-paid, kindHolder, a.Id, depth)
		return len(s.lines) - start, nil
	}
	holderPart := mulDiv(amount, types.TotalBps-sharesBps-up, types.TotalBps)
	s.add(holder, holderPart, kindHolder, a.Id, depth)
	s.add(holder, amount-paid-holderPart, kindRemainder, a.Id, depth)
	return len(s.lines) - start, nil
}
