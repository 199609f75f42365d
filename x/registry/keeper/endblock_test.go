package keeper_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/keeper"
	"github.com/datarights/datarights/x/registry/types"
)

// endBlock runs the end-of-block step at (height, at) and returns the
// asset_certified events' asset ids and certificate numbers.
func endBlock(t *testing.T, h *harness, kv store.KV, height int64, at time.Time) (ids, certs []string) {
	t.Helper()
	ev := &env.Events{}
	ctx := env.WithTx(env.WithBlock(t.Context(), env.Block{Height: height, Time: at}), env.Tx{}, ev)
	if err := h.k.EndBlock(ctx, kv); err != nil {
		t.Fatal(err)
	}
	for _, e := range ev.List() {
		if e.Type != types.EventAssetCertified {
			t.Fatalf("unexpected event %s", e.Type)
		}
		id, indexed := attr(e, types.AttrAssetID)
		if !indexed {
			t.Fatal("asset_id not indexed")
		}
		cert, _ := attr(e, types.AttrCertificateNo)
		ids, certs = append(ids, id), append(certs, cert)
	}
	checkLayout(t, kv)
	return ids, certs
}

// registerN registers n enterprise datasets by e1 at (height, at).
func registerN(t *testing.T, h *harness, kv store.KV, n int, height int64, at time.Time) {
	t.Helper()
	for i := range n {
		seed := 1000 + int(height)*100 + i
		h.mustRun(t, kv, height, at, step{e1, dataset(fmt.Sprintf("BZ-%d", seed), seed, enterprise, general, noOpen, nil)})
	}
}

func TestEndBlockCertifiesWhenTheNoticeEnds(t *testing.T) {
	params := &types.Params{NoticePeriodSeconds: 100, MaxCertificationsPerBlock: 10}
	kv := openTree(t, params)
	h := newHarness()
	start := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	registerN(t, h, kv, 2, 1, start)
	end := start.Add(100 * time.Second)
	if ids, _ := endBlock(t, h, kv, 2, end.Add(-time.Nanosecond)); len(ids) != 0 {
		t.Fatalf("certified %v before the notice ended", ids)
	}
	ids, certs := endBlock(t, h, kv, 3, end)
	if !slices.Equal(ids, []string{"a-1", "a-2"}) || !slices.Equal(certs, []string{"BZDR-2026-000001", "BZDR-2026-000002"}) {
		t.Fatalf("certified %v %v", ids, certs)
	}
	a := asset(t, kv, "a-2")
	if a.Status != types.AssetStatus_ASSET_STATUS_CERTIFIED || a.CertifiedHeight != 3 || a.CertificateNo != "BZDR-2026-000002" {
		t.Fatalf("asset %v", a)
	}
	if ids, _ := endBlock(t, h, kv, 4, end.Add(time.Hour)); len(ids) != 0 {
		t.Fatalf("certified %v twice", ids)
	}
}

func TestEndBlockIsBounded(t *testing.T) {
	params := &types.Params{NoticePeriodSeconds: 100, MaxCertificationsPerBlock: 2}
	kv := openTree(t, params)
	h := newHarness()
	start := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	registerN(t, h, kv, 5, 1, start)
	late := start.Add(time.Hour)
	var all, allCerts []string
	for i, want := range []int{2, 2, 1, 0} {
		ids, certs := endBlock(t, h, kv, int64(2+i), late.Add(time.Duration(i)*time.Second))
		if len(ids) != want {
			t.Fatalf("block %d certified %v, want %d", i, ids, want)
		}
		all, allCerts = append(all, ids...), append(allCerts, certs...)
	}
	if !slices.Equal(all, []string{"a-1", "a-2", "a-3", "a-4", "a-5"}) {
		t.Fatalf("certified in order %v", all)
	}
	for i, c := range allCerts {
		if want := fmt.Sprintf("BZDR-2026-%06d", i+1); c != want {
			t.Fatalf("certificate %d is %s, want %s", i, c, want)
		}
	}
}

// TestEndBlockSkipsDisputedAndCore: the queue is in notice-end order;
// disputed and core assets are never certified; the backlog keeps order.
func TestEndBlockSkipsDisputedAndCore(t *testing.T) {
	params := &types.Params{NoticePeriodSeconds: 100, MaxCertificationsPerBlock: 10}
	kv := openTree(t, params)
	h := newHarness()
	start := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	h.mustRun(t, kv, 1, start,
		step{e1, dataset("BZ-1", 1, enterprise, general, noOpen, nil)},   // a-1: disputed
		step{d1, dataset("BZ-2", 2, public, core, notOpen, d1)},          // a-2: core, catalogued
		step{e1, dataset("BZ-3", 3, enterprise, important, noOpen, nil)}, // a-3: reclassified core in notice
		step{e2, dataset("BZ-4", 4, personal, general, noOpen, nil)},     // a-4: certified
	)
	h.mustRun(t, kv, 2, start.Add(10*time.Second),
		step{e2, &types.MsgObjectAsset{AssetId: "a-1", EvidenceHash: hash(9), Reason: "ours"}},
		step{admin, &types.MsgReclassifyAsset{AssetId: "a-3", Grade: core, Reason: "critical infrastructure"}},
		step{e1, dataset("BZ-5", 5, enterprise, general, noOpen, nil)}, // a-5: ends 10 s later
	)
	ids, _ := endBlock(t, h, kv, 3, start.Add(105*time.Second))
	if !slices.Equal(ids, []string{"a-4"}) {
		t.Fatalf("certified %v", ids)
	}
	ids, certs := endBlock(t, h, kv, 4, start.Add(110*time.Second))
	if !slices.Equal(ids, []string{"a-5"}) || certs[0] != "BZDR-2026-000002" {
		t.Fatalf("certified %v %v", ids, certs)
	}
	for id, want := range map[string]types.AssetStatus{
		"a-1": types.AssetStatus_ASSET_STATUS_DISPUTED, "a-2": types.AssetStatus_ASSET_STATUS_CATALOGUED,
		"a-3": types.AssetStatus_ASSET_STATUS_CATALOGUED, "a-4": types.AssetStatus_ASSET_STATUS_CERTIFIED,
	} {
		if a := asset(t, kv, id); a.Status != want || (a.IsCore() && a.CertificateNo != "") {
			t.Fatalf("%s: %v", id, a)
		}
	}
}

// TestCertificateYearIsChinaTime: the year in the number is the year in
// Bazhong (UTC+8), not in UTC.
func TestCertificateYearIsChinaTime(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		seq  uint64
		want string
	}{
		{time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC), 7, "BZDR-2026-000007"},
		{time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), 8, "BZDR-2027-000008"},
		{time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), 1234567, "BZDR-2027-1234567"},
	} {
		if got := keeper.CertificateNo(c.at, c.seq); got != c.want {
			t.Errorf("CertificateNo(%s, %d) = %s, want %s", c.at, c.seq, got, c.want)
		}
	}
}
