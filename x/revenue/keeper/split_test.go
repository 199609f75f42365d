package keeper_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/revenue/types"
)

const (
	levy      = types.LineKind_LINE_KIND_PUBLIC_LEVY
	operator  = types.LineKind_LINE_KIND_OPERATOR
	pubSvc    = types.LineKind_LINE_KIND_PUBLIC_SERVICE
	shareLine = types.LineKind_LINE_KIND_POLICY_SHARE
	holder    = types.LineKind_LINE_KIND_HOLDER
	remainder = types.LineKind_LINE_KIND_REMAINDER
)

func line(to string, amount uint64, kind types.LineKind, asset string, depth uint32) *types.Line {
	return &types.Line{Beneficiary: to, AmountFen: amount, Kind: kind, AssetId: asset, Depth: depth}
}

func sameLines(a, b []*types.Line) bool {
	return slices.EqualFunc(a, b, func(x, y *types.Line) bool {
		return x.Beneficiary == y.Beneficiary && x.AmountFen == y.AmountFen && x.Kind == y.Kind && x.AssetId == y.AssetId && x.Depth == y.Depth &&
			(x.AuthorizationId != "") == (x.Kind == operator || x.Kind == pubSvc)
	})
}

// authorizedProduct is a-3, e1's enterprise product of the given inputs,
// with them: a-1 and a-2 public data of d1's, a-4 enterprise data of e2's.
func authorizedProduct(inputs ...*regtypes.Input) []*regtypes.Asset {
	return []*regtypes.Asset{dataset("a-1", public, d1), dataset("a-2", public, d1), dataset("a-4", enterprise, e2),
		productOf("a-3", enterprise, e1, inputs...)}
}

func mustPolicy(t *testing.T, h *harness, kv store.KV, by *idtypes.Party, m *types.MsgSetPolicy) {
	t.Helper()
	if _, _, err := h.run(kv, by.Address, m); err != nil {
		t.Fatalf("set policy of %s: %v", m.AssetId, err)
	}
}

// TestSplitByHand is the worked example of the package documentation,
// computed by hand to the fen.
//
// a-3 is public data made from a-1 (weight 3333) and a-2 (weight 6667),
// held by e1, sold for 10,001 fen under authorisation au-1 (operator op,
// operator share 6000 bps, public-service share 2000 bps), with
// public_levy_bps 1000. a-3's policy: ind 1000 bps, upstream 3000 bps.
// a-1 (held by d1) has no policy; a-2 (held by e2) gives ind 2500 bps.
//
//	levy       floor(10001 × 1000 / 10000) = floor(1000.1) = 1000 → fund
//	                                   R1 = 10001 − 1000 = 9001
//	operator   floor(9001 × 6000 / 10000)  = floor(5400.6) = 5400 → op
//	public     floor(9001 × 2000 / 10000)  = floor(1800.2) = 1800 → fund
//	                                   R2 = 9001 − 5400 − 1800 = 1801
//	a-3 (depth 0, P = 1801, holder e1)
//	  share    floor(1801 × 1000 / 10000)  = floor(180.1)  =  180 → ind
//	  upstream floor(1801 × 3000 / 10000)  = floor(540.3)  =  540
//	    a-1    floor(540 × 3333 / 10000)   = floor(179.982) = 179
//	    a-2    floor(540 × 6667 / 10000)   = floor(360.018) = 360
//	  holder   floor(1801 × 6000 / 10000)  = floor(1080.6) = 1080 → e1
//	  remainder 1801 − 180 − 179 − 360 − 1080 = 2 → e1
//	            (0.1 + 0.3 + 0.6 = 1 lost by the policy split,
//	             540 − 539 = 1 lost by the upstream split)
//	a-1 (depth 1, P = 179, no policy)       holder d1 179
//	a-2 (depth 1, P = 360, holder e2)
//	  share    floor(360 × 2500 / 10000)   =   90 → ind
//	  holder   floor(360 × 7500 / 10000)   =  270 → e2 (no inputs: no upstream)
//	  remainder 360 − 90 − 270 = 0 (omitted)
//
// Total: 1000 + 5400 + 1800 + 180 + 179 + 90 + 270 + 1080 + 2 = 10001.
func TestSplitByHand(t *testing.T) {
	h := newHarness()
	h.registry.put(dataset("a-1", enterprise, d1))
	h.registry.put(dataset("a-2", enterprise, e2))
	sold := h.registry.put(productOf("a-3", public, e1, in("a-1", 3333), in("a-2", 6667)))
	h.auth.list["au-1"] = &authtypes.Authorization{Id: "au-1", Operator: op.Address,
		Revenue: &authtypes.RevenueTerms{OperatorShareBps: 6000, PublicServiceShareBps: 2000}}
	kv := store.NewBranch(openTree(t, nil))
	mustPolicy(t, h, kv, e1, &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(ind, 1000)}, UpstreamBps: 3000})
	mustPolicy(t, h, kv, e2, &types.MsgSetPolicy{AssetId: "a-2", Shares: []*types.Share{share(ind, 2500)}})

	ctx, ev := txCtx(op.Address)
	lines, err := h.k.Split(ctx, kv, "t-1", sold, "au-1", 10_001)
	if err != nil {
		t.Fatal(err)
	}
	fund := types.FundAddress
	want := []*types.Line{
		line(fund, 1000, levy, "a-3", 0),
		line(op.Address, 5400, operator, "a-3", 0),
		line(fund, 1800, pubSvc, "a-3", 0),
		line(ind.Address, 180, shareLine, "a-3", 0),
		line(d1.Address, 179, holder, "a-1", 1),
		line(ind.Address, 90, shareLine, "a-2", 1),
		line(e2.Address, 270, holder, "a-2", 1),
		line(e1.Address, 1080, holder, "a-3", 0),
		line(e1.Address, 2, remainder, "a-3", 0),
	}
	if !sameLines(lines, want) {
		t.Fatalf("lines\n got %v\nwant %v", lines, want)
	}
	if s := sum(t, lines); s != 10_001 {
		t.Fatalf("sum %d", s)
	}

	// Events: revenue_distributed, then one revenue_line per line.
	evs := ev.List()
	if len(evs) != 1+len(want) || evs[0].Type != types.EventDistributed {
		t.Fatalf("events %v", eventTypes(evs))
	}
	for _, k := range []string{types.AttrTradeID, types.AttrAssetID} {
		if _, indexed := attr(evs[0], k); !indexed {
			t.Fatalf("%s not indexed", k)
		}
	}
	for i, l := range want {
		e := evs[1+i]
		if b, indexed := attr(e, types.AttrBeneficiary); e.Type != types.EventLine || b != l.Beneficiary || !indexed {
			t.Fatalf("event %d: %v", i+1, e)
		}
		if k, _ := attr(e, types.AttrKind); k != types.KindName(l.Kind) {
			t.Fatalf("event %d kind %q", i+1, k)
		}
	}

	// Records: earnings, the fund, and the three indexes.
	if e := h.k.Earnings(kv, ind.Address); e.TotalFen != 270 || e.Lines != 2 {
		t.Fatalf("ind earnings %v", e)
	}
	f, err := h.k.QueryFund(kv, &types.QueryFundRequest{})
	if err != nil || f.Address != fund || f.TotalFen != 2800 || len(f.History) != 1 {
		t.Fatalf("fund %v, %v", f, err)
	}
	for _, req := range []*types.QueryDistributionsRequest{{TradeId: "t-1"}, {Beneficiary: d1.Address}, {AssetId: "a-3"}, {AssetId: "a-2"}} {
		r, err := h.k.QueryDistributions(kv, req)
		if err != nil || len(r.Distributions) != 1 || r.Distributions[0].TradeId != "t-1" || r.Distributions[0].AmountFen != 10_001 ||
			r.Distributions[0].Height != 5 || !r.Distributions[0].Time.AsTime().Equal(t0) {
			t.Fatalf("distributions %v: %v, %v", req, r, err)
		}
	}
	if r, _ := h.k.QueryDistributions(kv, &types.QueryDistributionsRequest{Beneficiary: e1.Address, AssetId: "a-3"}); r != nil && len(r.Distributions) > 0 {
		t.Fatal("two filters answered")
	}
}

func TestFundAddress(t *testing.T) {
	// keccak256("datarights/public-service-fund")[:20], EIP-55: pinned, since
	// changing it would orphan the fund's history.
	const want = "0x9D1490171fCf5cb385F2eFA4161ae3056BeF9058"
	if types.FundAddress != want {
		t.Fatalf("fund address %s, want %s", types.FundAddress, want)
	}
	if got := address.FromBytes(crypto.Keccak256([]byte("datarights/public-service-fund"))[:20]); got != want {
		t.Fatalf("derived %s, want %s", got, want)
	}
	if canon, err := address.Normalize(strings.ToLower(want)); err != nil || canon != want {
		t.Fatalf("fund address is not canonical EIP-55: %s, %v", canon, err)
	}
}

func TestSplitCases(t *testing.T) {
	fund := types.FundAddress
	cases := []struct {
		name   string
		params *types.Params
		assets []*regtypes.Asset
		pols   map[*idtypes.Party][]*types.MsgSetPolicy
		sell   string
		auth   string
		amount uint64
		want   []*types.Line
		err    error
	}{
		{name: "no policy, not public: all to the holder",
			assets: []*regtypes.Asset{dataset("a-1", enterprise, e1)}, sell: "a-1", amount: 999,
			want: []*types.Line{line(e1.Address, 999, holder, "a-1", 0)}},
		{name: "zero amount: no lines",
			assets: []*regtypes.Asset{dataset("a-1", public, e1)}, sell: "a-1", amount: 0},
		{name: "levy rounds down, holder takes the rest",
			assets: []*regtypes.Asset{dataset("a-1", public, d1)}, sell: "a-1", amount: 9,
			want: []*types.Line{line(d1.Address, 9, holder, "a-1", 0)}},
		{name: "derived from public within the depth",
			assets: []*regtypes.Asset{dataset("a-1", public, d1), productOf("a-2", enterprise, e1, in("a-1", 10000))},
			sell:   "a-2", amount: 1000,
			want: []*types.Line{line(fund, 100, levy, "a-2", 0), line(e1.Address, 900, holder, "a-2", 0)}},
		{name: "public beyond the depth pays no levy", params: &types.Params{PublicLevyBps: 1000, MaxLineageDepth: 1, MaxLines: types.MinLines},
			assets: []*regtypes.Asset{dataset("a-1", public, d1), productOf("a-2", enterprise, e1, in("a-1", 10000)),
				productOf("a-3", enterprise, e2, in("a-2", 10000))},
			sell: "a-3", amount: 1000,
			want: []*types.Line{line(e2.Address, 1000, holder, "a-3", 0)}},
		{name: "upstream stops at the depth limit", params: &types.Params{PublicLevyBps: 0, MaxLineageDepth: 2, MaxLines: 64},
			assets: []*regtypes.Asset{dataset("a-1", enterprise, d1), productOf("a-2", enterprise, e1, in("a-1", 10000)),
				productOf("a-3", enterprise, e2, in("a-2", 10000)), productOf("a-4", enterprise, ind, in("a-3", 10000))},
			pols: map[*idtypes.Party][]*types.MsgSetPolicy{
				e1:  {{AssetId: "a-2", UpstreamBps: 10000}},
				e2:  {{AssetId: "a-3", UpstreamBps: 10000}},
				ind: {{AssetId: "a-4", UpstreamBps: 5000}},
			},
			sell: "a-4", amount: 1000,
			// a-4 gives 500 to a-3 (depth 1), which gives all to a-2 (depth
			// 2); a-2 is at the limit, so its upstream stays with e1.
			want: []*types.Line{line(e1.Address, 500, holder, "a-2", 2), line(ind.Address, 500, holder, "a-4", 0)}},
		{name: "huge amount does not overflow",
			assets: []*regtypes.Asset{dataset("a-1", public, d1)},
			pols:   map[*idtypes.Party][]*types.MsgSetPolicy{d1: {{AssetId: "a-1", Shares: []*types.Share{share(e1, 3333)}}}},
			sell:   "a-1", amount: math.MaxUint64,
			// levy floor((2^64−1)/10) = 1844674407370955161; R = 16602069666338596454
			// share floor(R × 3333 / 10000) = 5533469819790654198 (…198.1182)
			// holder floor(R × 6667 / 10000) = 11068599846547942255 (…255.8818)
			// remainder R − share − holder = 1 (0.1182 + 0.8818)
			want: []*types.Line{line(fund, 1844674407370955161, levy, "a-1", 0),
				line(e1.Address, 5533469819790654198, shareLine, "a-1", 0),
				line(d1.Address, 11068599846547942255, holder, "a-1", 0),
				line(d1.Address, 1, remainder, "a-1", 0)}},
		{name: "a product's authorisations are paid their terms on their inputs' weight",
			assets: authorizedProduct(inUnder("a-1", 3000, "au-1"), inUnder("a-2", 2000, "au-2"), in("a-4", 5000)), sell: "a-3", amount: 10_000,
			// levy 1,000; R = 9,000. au-1 covers 3000 bps: operator
			// 9000 × 0.3 × 0.6 = 1,620, fund 9000 × 0.3 × 0.2 = 540; au-2
			// covers 2000 bps: 9000 × 0.2 × 0.1 = 180 each; e1 keeps 6,480.
			want: []*types.Line{line(fund, 1000, levy, "a-3", 0),
				line(op.Address, 1620, operator, "a-3", 0), line(fund, 540, pubSvc, "a-3", 0),
				line(e2.Address, 180, operator, "a-3", 0), line(fund, 180, pubSvc, "a-3", 0),
				line(e1.Address, 6480, holder, "a-3", 0)}},
		{name: "inputs under one authorisation add up their weights",
			assets: authorizedProduct(inUnder("a-1", 3000, "au-1"), inUnder("a-2", 2000, "au-1"), in("a-4", 5000)), sell: "a-3", amount: 10_000,
			want: []*types.Line{line(fund, 1000, levy, "a-3", 0),
				line(op.Address, 2700, operator, "a-3", 0), line(fund, 900, pubSvc, "a-3", 0),
				line(e1.Address, 5400, holder, "a-3", 0)}},
		{name: "a right sold under an authorisation pays its terms on the whole",
			assets: authorizedProduct(inUnder("a-1", 3000, "au-1"), inUnder("a-2", 2000, "au-1"), in("a-4", 5000)), sell: "a-3", auth: "au-2", amount: 10_000,
			want: []*types.Line{line(fund, 1000, levy, "a-3", 0),
				line(e2.Address, 900, operator, "a-3", 0), line(fund, 900, pubSvc, "a-3", 0),
				line(e1.Address, 7200, holder, "a-3", 0)}},
		{name: "an input's unknown authorisation", assets: authorizedProduct(inUnder("a-1", 5000, "au-9"), in("a-2", 5000)),
			sell: "a-3", amount: 10, err: authtypes.ErrNotFound},
		{name: "unknown authorisation", assets: []*regtypes.Asset{dataset("a-1", public, d1)}, sell: "a-1", auth: "au-9",
			amount: 10, err: authtypes.ErrNotFound},
		{name: "unknown input", assets: []*regtypes.Asset{productOf("a-2", enterprise, e1, in("a-1", 10000))}, sell: "a-2",
			amount: 10, err: regtypes.ErrAssetNotFound},
		{name: "terms over 10000", assets: []*regtypes.Asset{dataset("a-1", public, d1)}, sell: "a-1", auth: "au-bad",
			amount: 10, err: types.ErrInvalidTerms},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness()
			h.auth.list["au-bad"] = &authtypes.Authorization{Id: "au-bad", Operator: op.Address,
				Revenue: &authtypes.RevenueTerms{OperatorShareBps: 9000, PublicServiceShareBps: 1001}}
			h.auth.list["au-1"] = &authtypes.Authorization{Id: "au-1", Operator: op.Address,
				Revenue: &authtypes.RevenueTerms{OperatorShareBps: 6000, PublicServiceShareBps: 2000}}
			h.auth.list["au-2"] = &authtypes.Authorization{Id: "au-2", Operator: e2.Address,
				Revenue: &authtypes.RevenueTerms{OperatorShareBps: 1000, PublicServiceShareBps: 1000}}
			for _, a := range tc.assets {
				h.registry.put(a)
			}
			kv := store.NewBranch(openTree(t, tc.params))
			for _, by := range []*idtypes.Party{d1, e1, e2, ind} {
				for _, m := range tc.pols[by] {
					mustPolicy(t, h, kv, by, m)
				}
			}
			before := testkit.Dump(kv)
			ctx, _ := txCtx(op.Address)
			lines, err := h.k.Split(ctx, kv, "t-1", h.registry.assets[tc.sell], tc.auth, tc.amount)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				if !testkit.SameDump(before, testkit.Dump(kv)) {
					t.Fatal("a refused split changed the store")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !sameLines(lines, tc.want) {
				t.Fatalf("lines\n got %v\nwant %v", lines, tc.want)
			}
			if s := sum(t, lines); s != tc.amount {
				t.Fatalf("sum %d, want %d", s, tc.amount)
			}
		})
	}
}

func TestSplitOncePerTrade(t *testing.T) {
	h := newHarness()
	a := h.registry.put(dataset("a-1", enterprise, e1))
	kv := store.NewBranch(openTree(t, nil))
	ctx, _ := txCtx(op.Address)
	if _, err := h.k.Split(ctx, kv, "t-1", a, "", 100); err != nil {
		t.Fatal(err)
	}
	before := testkit.Dump(kv)
	if _, err := h.k.Split(ctx, kv, "t-1", a, "", 100); !errors.Is(err, types.ErrDuplicateTrade) {
		t.Fatalf("second split: %v", err)
	}
	if _, err := h.k.Split(ctx, kv, "", a, "", 100); !errors.Is(err, types.ErrInvalidTrade) {
		t.Fatalf("empty trade: %v", err)
	}
	if !testkit.SameDump(before, testkit.Dump(kv)) {
		t.Fatal("a refused split changed the store")
	}
	if _, err := h.k.Split(ctx, kv, "t-2", a, "", 50); err != nil {
		t.Fatal(err)
	}
	if e := h.k.Earnings(kv, e1.Address); e.TotalFen != 150 || e.Lines != 2 {
		t.Fatalf("earnings %v", e)
	}
}

// TestSplitMaxLines: the widest settlement — a product whose 16 inputs
// were each derived under a different authorisation, a wide policy and a
// wide lineage — under the smallest max_lines still fits, pays every
// authorisation its terms and every fen.
func TestSplitMaxLines(t *testing.T) {
	h := newHarness()
	var inputs []*regtypes.Input
	for i := range regtypes.MaxInputs {
		id := "a-" + string(rune('b'+i))
		h.registry.put(dataset(id, enterprise, d1))
		au := fmt.Sprintf("au-%d", i+1)
		h.auth.list[au] = &authtypes.Authorization{Id: au, Operator: address.FromBytes(bytes.Repeat([]byte{byte(0x40 + i)}, 20)),
			Revenue: &authtypes.RevenueTerms{OperatorShareBps: 1000, PublicServiceShareBps: 1000}}
		edge := in(id, 625)
		edge.AuthorizationId = au
		inputs = append(inputs, edge)
	}
	sold := h.registry.put(productOf("a-a", public, e1, inputs...))
	kv := store.NewBranch(openTree(t, &types.Params{PublicLevyBps: 1000, MaxLineageDepth: 8, MaxLines: types.MinLines}))
	mustPolicy(t, h, kv, e1, &types.MsgSetPolicy{AssetId: "a-a",
		Shares: []*types.Share{share(e2, 1000), share(ind, 1000), share(d1, 1000), share(op, 1000)}, UpstreamBps: 5000})
	ctx, _ := txCtx(op.Address)
	lines, err := h.k.Split(ctx, kv, "t-1", sold, "", 1_000_003)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) > types.MinLines {
		t.Fatalf("%d lines, max %d: %v", len(lines), types.MinLines, lines)
	}
	if s := sum(t, lines); s != 1_000_003 {
		t.Fatalf("sum %d", s)
	}
	// levy 100,000; each authorisation covers 625 bps of the 900,003 left:
	// floor(900,003 × 625 × 1000 / 10⁸) = 5,625 to its operator and as much
	// to the fund.
	terms := 0
	for _, l := range lines {
		if l.Kind == operator || l.Kind == pubSvc {
			terms++
			if l.AmountFen != 5625 || l.AuthorizationId == "" {
				t.Fatalf("term line %v", l)
			}
		}
	}
	if terms != 2*regtypes.MaxInputs {
		t.Fatalf("%d term lines, want %d", terms, 2*regtypes.MaxInputs)
	}
	if last := lines[len(lines)-1]; last.Beneficiary != e1.Address || last.Kind != holder {
		t.Fatalf("last line %v: the not-yet-split amount goes to the holder", last)
	}
}
