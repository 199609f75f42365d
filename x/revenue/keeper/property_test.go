package keeper_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/revenue/types"
)

// TestSplitProperties splits random amounts over random lineage DAGs
// (depth up to beyond max_lineage_depth, fan-in up to 16) with random
// policies, terms and params. Whatever the shape: the lines sum to the
// amount exactly, no line is zero or larger than the amount, there are at
// most max_lines lines, no line is deeper than max_lineage_depth, and the
// same split on a fresh branch gives the same lines. The randomness is the
// test's own, seeded, so a failure names its iteration and replays.
func TestSplitProperties(t *testing.T) {
	iterations := 400
	if testing.Short() {
		iterations = 50
	}
	r := rand.New(rand.NewPCG(20260504, 7))
	var c coverage
	for it := range iterations {
		t.Run(fmt.Sprint(it), func(t *testing.T) { splitProperty(t, r, &c) })
	}
	// The generator must reach the cases the properties are about.
	if c.atDepthLimit == 0 || c.capped == 0 || c.remainders == 0 || c.levied == 0 {
		t.Fatalf("generator coverage too thin: %+v", c)
	}
	t.Logf("coverage: %+v", c)
}

// coverage counts the iterations that reached the interesting cases.
type coverage struct{ atDepthLimit, capped, remainders, levied int }

func splitProperty(t *testing.T, r *rand.Rand, c *coverage) {
	h := newHarness()
	pool := make([]*idtypes.Party, 24)
	for i := range pool {
		pool[i] = party(byte(0x20+i), idtypes.PartyKind_PARTY_KIND_ENTERPRISE)
		h.identity.parties[pool[i].Address] = pool[i]
	}
	p := &types.Params{
		PublicLevyBps:   uint32(r.IntN(types.TotalBps + 1)),
		MaxLineageDepth: uint32(1 + r.IntN(types.DefaultMaxLineageDepth)),
		MaxLines:        uint32(types.MinLines + r.IntN(300)),
	}
	kv := store.NewBranch(openTree(t, p))

	// Layers: layer 0 holds datasets; an asset of layer L takes 1 to 16
	// distinct inputs from the layers below, one of them from layer L-1,
	// so the DAG is as deep as its layers.
	layers := make([][]*regtypes.Asset, 2+r.IntN(int(p.MaxLineageDepth)+2))
	n := 0
	for l := range layers {
		for range 1 + r.IntN(5) {
			n++
			a := &regtypes.Asset{Id: fmt.Sprintf("a-%d", n), Registrant: pool[r.IntN(len(pool))].Address,
				Classification: regtypes.Classification(1 + r.IntN(3))}
			if r.IntN(8) != 0 && a.Classification == regtypes.Classification_CLASSIFICATION_PUBLIC {
				a.Classification = regtypes.Classification_CLASSIFICATION_ENTERPRISE // public stays rare
			}
			if l > 0 {
				a.Inputs = randomInputs(r, layers[:l])
			}
			layers[l] = append(layers[l], h.registry.put(a))
			if r.IntN(10) < 7 {
				mustPolicy(t, h, kv, h.identity.parties[a.Registrant], randomPolicy(r, a, pool))
			}
		}
	}
	auth := ""
	if r.IntN(2) == 0 {
		opBps := uint32(r.IntN(types.TotalBps + 1))
		h.auth.list["au-1"] = &authtypes.Authorization{Id: "au-1", Operator: op.Address, Revenue: &authtypes.RevenueTerms{
			OperatorShareBps: opBps, PublicServiceShareBps: uint32(r.IntN(int(types.TotalBps-opBps) + 1))}}
		auth = "au-1"
	}
	var amount uint64
	switch r.IntN(4) {
	case 0:
		amount = math.MaxUint64 - uint64(r.IntN(3))
	case 1:
		amount = r.Uint64()
	case 2:
		amount = uint64(r.IntN(100_000))
	default:
		amount = uint64(math.Pow10(r.IntN(19))) + uint64(r.IntN(10))
	}
	top := layers[len(layers)-1]
	sold := top[r.IntN(len(top))]

	ctx, _ := txCtx(op.Address)
	before := testkit.Dump(kv)
	lines, err := h.k.Split(ctx, kv, "t-1", sold, auth, amount)
	if err != nil {
		t.Fatal(err)
	}
	if s := sum(t, lines); s != amount {
		t.Fatalf("lines sum to %d, want %d: %v", s, amount, lines)
	}
	if len(lines) > int(p.MaxLines) {
		t.Fatalf("%d lines, max_lines %d", len(lines), p.MaxLines)
	}
	if len(lines) >= int(p.MaxLines)-1 {
		c.capped++
	}
	for _, l := range lines {
		switch {
		case l.Depth == p.MaxLineageDepth && l.Depth > 0:
			c.atDepthLimit++
		case l.Kind == types.LineKind_LINE_KIND_REMAINDER:
			c.remainders++
		case l.Kind == types.LineKind_LINE_KIND_PUBLIC_LEVY:
			c.levied++
		}
		if l.AmountFen == 0 || l.AmountFen > amount {
			t.Fatalf("line %v of %d", l, amount)
		}
		if l.Depth > p.MaxLineageDepth {
			t.Fatalf("line %v deeper than max_lineage_depth %d", l, p.MaxLineageDepth)
		}
		if _, err := address.Normalize(l.Beneficiary); err != nil {
			t.Fatalf("line %v: %v", l, err)
		}
	}

	// Determinism: the same split on the state before gives the same lines.
	again := store.NewBranch(openTree(t, p))
	for _, kvp := range before {
		again.Set(kvp.Key, kvp.Value)
	}
	lines2, err := h.k.Split(ctx, again, "t-1", sold, auth, amount)
	if err != nil || !sameLines(lines, lines2) {
		t.Fatalf("second run differs: %v", err)
	}
}

// randomInputs picks 1 to 16 distinct inputs, one from the layer just
// below, with weights summing to 10,000.
func randomInputs(r *rand.Rand, below [][]*regtypes.Asset) []*regtypes.Input {
	var cands []*regtypes.Asset
	for _, l := range below {
		cands = append(cands, l...)
	}
	last := below[len(below)-1]
	first := last[r.IntN(len(last))]
	picked := []*regtypes.Asset{first}
	for range r.IntN(16) {
		c := cands[r.IntN(len(cands))]
		dup := false
		for _, x := range picked {
			dup = dup || x.Id == c.Id
		}
		if !dup {
			picked = append(picked, c)
		}
	}
	inputs := make([]*regtypes.Input, len(picked))
	left := uint32(types.TotalBps)
	for i, a := range picked {
		w := left
		if i < len(picked)-1 {
			w = uint32(r.IntN(int(left) + 1))
		}
		left -= w
		inputs[i] = &regtypes.Input{AssetId: a.Id, WeightBps: w}
	}
	return inputs
}

// randomPolicy: up to 16 distinct beneficiaries and, for a product, an
// upstream share, within 10,000 bps.
func randomPolicy(r *rand.Rand, a *regtypes.Asset, pool []*idtypes.Party) *types.MsgSetPolicy {
	m := &types.MsgSetPolicy{AssetId: a.Id}
	left := types.TotalBps
	if len(a.Inputs) > 0 && r.IntN(4) != 0 {
		m.UpstreamBps = uint32(r.IntN(left + 1))
		left -= int(m.UpstreamBps)
	}
	perm := r.Perm(len(pool))
	for i := range r.IntN(types.MaxShares + 1) {
		if left == 0 {
			break
		}
		bps := 1 + r.IntN(min(left, 4000))
		left -= bps
		m.Shares = append(m.Shares, &types.Share{Beneficiary: pool[perm[i]].Address, Bps: uint32(bps)})
	}
	return m
}
