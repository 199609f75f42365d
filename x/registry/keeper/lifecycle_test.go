package keeper_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/registry/types"
)

func status(t *testing.T, kv store.KV, id string, want types.AssetStatus) *types.Asset {
	t.Helper()
	a := asset(t, kv, id)
	if a.Status != want {
		t.Fatalf("%s is %s, want %s", id, types.StatusName(a.Status), types.StatusName(want))
	}
	return a
}

var object5 = step{e2, &types.MsgObjectAsset{AssetId: "a-5", EvidenceHash: hash(900), Reason: "the inputs are not theirs"}}

func TestObjectAsset(t *testing.T) {
	obj := func(id string) *types.MsgObjectAsset {
		return &types.MsgObjectAsset{AssetId: id, EvidenceHash: hash(900), Reason: "copied from our dataset"}
	}
	notice4 := t3.Add(notice) // when a-4's period ends
	disputed := func(by *idtypes.Party) func(*testing.T, store.KV, *harness, string) {
		return func(t *testing.T, kv store.KV, _ *harness, id string) {
			a := status(t, kv, id, types.AssetStatus_ASSET_STATUS_DISPUTED)
			o := a.Objection
			if o.GetObjector() != by.Address || o.EvidenceHash != hash(900) || o.Height != testHeight || o.Reason == "" {
				t.Fatalf("objection %v", o)
			}
		}
	}
	objected := []string{types.EventAssetObjected}
	runCases(t, []msgCase{
		{name: "a party objects", signer: e2, msg: obj("a-5"), events: objected, check: disputed(e2)},
		{name: "a department objects", signer: d1, msg: obj("a-4"), events: objected, check: disputed(d1)},
		{name: "the last nanosecond of the period", signer: d1, at: notice4.Add(-time.Nanosecond), msg: obj("a-4"), events: objected, check: disputed(d1)},

		{name: "the period has ended, not yet processed", signer: d1, at: notice4, msg: obj("a-4"), want: types.ErrNotInNotice},
		{name: "own registration", signer: e1, msg: obj("a-5"), want: types.ErrOwnRegistration},
		{name: "certified asset", signer: e2, msg: obj("a-1"), want: types.ErrNotInNotice},
		{name: "catalogued core data", signer: e2, msg: obj("a-3"), want: types.ErrNotInNotice},
		{name: "already disputed", setup: []step{object5}, signer: d1, msg: obj("a-5"), want: types.ErrNotInNotice},
		{name: "unknown asset", signer: e2, msg: obj("a-77"), want: types.ErrAssetNotFound},
		{name: "unknown signer", msg: obj("a-5"), want: idtypes.ErrUnknownSigner},
		{name: "suspended signer", signer: susp, msg: obj("a-5"), want: idtypes.ErrPartySuspended},
		{name: "malformed id", signer: e2, msg: obj("a-05"), want: types.ErrInvalidField},
		{name: "no evidence", signer: e2, msg: &types.MsgObjectAsset{AssetId: "a-5", Reason: "r"}, want: types.ErrInvalidField},
		{name: "no reason", signer: e2, msg: &types.MsgObjectAsset{AssetId: "a-5", EvidenceHash: hash(900), Reason: " "}, want: types.ErrInvalidField},
	})
}

func TestResolveObjection(t *testing.T) {
	resolve := func(id string, uphold bool) *types.MsgResolveObjection {
		return &types.MsgResolveObjection{AssetId: id, Uphold: uphold, Reason: "evidence weighed"}
	}
	toCore := step{admin, &types.MsgReclassifyAsset{AssetId: "a-5", Grade: core, Reason: "national security"}}
	runCases(t, []msgCase{
		{name: "dismissed: certified now", setup: []step{object5}, signer: admin, msg: resolve("a-5", false),
			events: []string{types.EventObjectionResolved, types.EventAssetCertified},
			check: func(t *testing.T, kv store.KV, h *harness, id string) {
				a := status(t, kv, id, types.AssetStatus_ASSET_STATUS_CERTIFIED)
				if a.CertificateNo != "BZDR-2026-000003" || a.CertifiedHeight != testHeight || a.Objection == nil || len(h.rights.ended) != 0 {
					t.Fatalf("asset %v, ended %v", a, h.rights.ended)
				}
			}},
		{name: "upheld: cancelled, rights ended", setup: []step{object5}, signer: admin, msg: resolve("a-5", true),
			events: []string{types.EventObjectionResolved, types.EventAssetCancelled},
			check: func(t *testing.T, kv store.KV, h *harness, id string) {
				a := status(t, kv, id, types.AssetStatus_ASSET_STATUS_CANCELLED)
				if a.StatusReason != "evidence weighed" || a.CertificateNo != "" || !slices.Equal(h.rights.ended, []string{"a-5"}) {
					t.Fatalf("asset %v, ended %v", a, h.rights.ended)
				}
			}},
		{name: "dismissed, but core by now: catalogued", setup: []step{object5, toCore}, signer: admin, msg: resolve("a-5", false),
			events: []string{types.EventObjectionResolved},
			check: func(t *testing.T, kv store.KV, _ *harness, id string) {
				if a := status(t, kv, id, types.AssetStatus_ASSET_STATUS_CATALOGUED); a.CertificateNo != "" {
					t.Fatalf("core data got certificate %s", a.CertificateNo)
				}
			}},

		{name: "not the data admin", setup: []step{object5}, signer: d1, msg: resolve("a-5", true), want: types.ErrNotDataAdmin},
		{name: "not disputed", signer: admin, msg: resolve("a-4", false), want: types.ErrNotDisputed},
		{name: "already resolved", setup: []step{object5, {admin, resolve("a-5", false)}}, signer: admin, msg: resolve("a-5", true), want: types.ErrNotDisputed},
		{name: "unknown asset", signer: admin, msg: resolve("a-9", true), want: types.ErrAssetNotFound},
		{name: "no reason", setup: []step{object5}, signer: admin, msg: &types.MsgResolveObjection{AssetId: "a-5", Uphold: true}, want: types.ErrInvalidField},
	})
}

func TestAddVersion(t *testing.T) {
	add := func(id string, seed int) *types.MsgAddVersion {
		return &types.MsgAddVersion{AssetId: id, ContentHash: hash(seed), Note: "monthly refresh"}
	}
	freeze := step{admin, &types.MsgFreezeAsset{AssetId: "a-1", Reason: "audit"}}
	added := []string{types.EventVersionAdded}
	version2 := func(t *testing.T, kv store.KV, _ *harness, id string) {
		a := asset(t, kv, id)
		if a.Version != 2 || a.ContentHash != hash(100) {
			t.Fatalf("asset %v", a)
		}
	}
	runCases(t, []msgCase{
		{name: "the registrant holds it", signer: d1, msg: add("a-1", 100), events: added, check: version2},
		{name: "a transferee holds it", rights: func(r *fakeRights) { r.holders["a-2"] = e2.Address }, signer: e2, msg: add("a-2", 100), events: added, check: version2},
		{name: "catalogued core data", signer: d1, msg: add("a-3", 100), events: added, check: version2},
		{name: "in notice", signer: e2, msg: add("a-4", 100), events: added, check: version2},
		{name: "third version", setup: []step{{d1, add("a-1", 101)}}, signer: d1, msg: add("a-1", 100), events: added,
			check: func(t *testing.T, kv store.KV, h *harness, id string) {
				if a := asset(t, kv, id); a.Version != 3 || a.ContentHash != hash(100) {
					t.Fatalf("asset %v", a)
				}
			}},

		{name: "the registrant no longer holds it", rights: func(r *fakeRights) { r.holders["a-2"] = e2.Address }, signer: e1, msg: add("a-2", 100), want: types.ErrNotHolder},
		{name: "not the holder", signer: d2, msg: add("a-1", 100), want: types.ErrNotHolder},
		{name: "frozen", setup: []step{freeze}, signer: d1, msg: add("a-1", 100), want: types.ErrFrozen},
		{name: "cancelled", setup: []step{object5, {admin, &types.MsgResolveObjection{AssetId: "a-5", Uphold: true, Reason: "r"}}},
			signer: e1, msg: add("a-5", 100), want: types.ErrCancelled},
		{name: "hash of another asset", signer: d1, msg: add("a-1", 2), want: types.ErrDuplicateContentHash},
		{name: "its own current hash", signer: d1, msg: add("a-1", 1), want: types.ErrDuplicateContentHash},
		{name: "unknown asset", signer: d1, msg: add("a-9", 100), want: types.ErrAssetNotFound},
		{name: "bad hash", signer: d1, msg: &types.MsgAddVersion{AssetId: "a-1", ContentHash: "xyz"}, want: types.ErrInvalidField},
		{name: "unknown signer", msg: add("a-1", 100), want: idtypes.ErrUnknownSigner},
	})
}

func TestRecordValuation(t *testing.T) {
	value := func(id string) *types.MsgRecordValuation {
		return &types.MsgRecordValuation{AssetId: id, ValueFen: 12_345_600, Method: types.ValuationMethod_VALUATION_METHOD_INCOME, ReportHash: hash(800)}
	}
	recorded := []string{types.EventValuationRecorded}
	number := func(want uint32) func(*testing.T, store.KV, *harness, string) {
		return func(t *testing.T, kv store.KV, h *harness, id string) {
			r, err := h.k.QueryValuations(kv, &types.QueryValuationsRequest{AssetId: id})
			if err != nil || uint32(len(r.Valuations)) != want {
				t.Fatalf("valuations %v %v", r, err)
			}
			v := r.Valuations[want-1]
			if v.Number != want || v.Assessor != assessor.Address || v.ValueFen != 12_345_600 || v.ReportHash != hash(800) || v.Height != testHeight {
				t.Fatalf("valuation %v", v)
			}
		}
	}
	runCases(t, []msgCase{
		{name: "an assessor values an asset", signer: assessor, msg: value("a-1"), events: recorded, check: number(1)},
		{name: "a second valuation", setup: []step{{assessor, value("a-1")}}, signer: assessor, msg: value("a-1"), events: recorded, check: number(2)},
		{name: "core data is valued too", signer: assessor, msg: value("a-3"), events: recorded, check: number(1)},
		{name: "a frozen asset is valued too", setup: []step{{admin, &types.MsgFreezeAsset{AssetId: "a-1", Reason: "r"}}},
			signer: assessor, msg: value("a-1"), events: recorded, check: number(1)},

		{name: "not an assessor", signer: d1, msg: value("a-1"), want: types.ErrNotAssessor},
		{name: "cancelled", setup: []step{object5, {admin, &types.MsgResolveObjection{AssetId: "a-5", Uphold: true, Reason: "r"}}},
			signer: assessor, msg: value("a-5"), want: types.ErrCancelled},
		{name: "unknown asset", signer: assessor, msg: value("a-9"), want: types.ErrAssetNotFound},
		{name: "zero value", signer: assessor, msg: &types.MsgRecordValuation{AssetId: "a-1", Method: 1, ReportHash: hash(800)}, want: types.ErrInvalidField},
		{name: "no method", signer: assessor, msg: &types.MsgRecordValuation{AssetId: "a-1", ValueFen: 1, ReportHash: hash(800)}, want: types.ErrInvalidField},
		{name: "undefined method", signer: assessor, msg: &types.MsgRecordValuation{AssetId: "a-1", ValueFen: 1, Method: 7, ReportHash: hash(800)}, want: types.ErrInvalidField},
		{name: "no report hash", signer: assessor, msg: &types.MsgRecordValuation{AssetId: "a-1", ValueFen: 1, Method: 1}, want: types.ErrInvalidField},
	})
}

func TestFreezeAndUnfreeze(t *testing.T) {
	freeze := func(id string) *types.MsgFreezeAsset {
		return &types.MsgFreezeAsset{AssetId: id, Reason: "suspected leak"}
	}
	unfreeze := func(id string) *types.MsgUnfreezeAsset {
		return &types.MsgUnfreezeAsset{AssetId: id, Reason: "cleared"}
	}
	frozen := func(want bool) func(*testing.T, store.KV, *harness, string) {
		return func(t *testing.T, kv store.KV, _ *harness, id string) {
			if a := asset(t, kv, id); a.Frozen != want || (a.FrozenReason != "") != want {
				t.Fatalf("asset %v", a)
			}
		}
	}
	cancel5 := []step{object5, {admin, &types.MsgResolveObjection{AssetId: "a-5", Uphold: true, Reason: "r"}}}
	runCases(t, []msgCase{
		{name: "freeze", signer: admin, msg: freeze("a-1"), events: []string{types.EventAssetFrozen}, check: frozen(true)},
		{name: "freeze in notice", signer: admin, msg: freeze("a-4"), events: []string{types.EventAssetFrozen}, check: frozen(true)},
		{name: "unfreeze", setup: []step{{admin, freeze("a-1")}}, signer: admin, msg: unfreeze("a-1"), events: []string{types.EventAssetUnfrozen}, check: frozen(false)},

		{name: "freeze twice", setup: []step{{admin, freeze("a-1")}}, signer: admin, msg: freeze("a-1"), want: types.ErrFrozen},
		{name: "unfreeze what is not frozen", signer: admin, msg: unfreeze("a-1"), want: types.ErrNotFrozen},
		{name: "freeze by a department", signer: d1, msg: freeze("a-1"), want: types.ErrNotDataAdmin},
		{name: "unfreeze by the holder", setup: []step{{admin, freeze("a-1")}}, signer: d1, msg: unfreeze("a-1"), want: types.ErrNotDataAdmin},
		{name: "freeze a cancelled asset", setup: cancel5, signer: admin, msg: freeze("a-5"), want: types.ErrCancelled},
		{name: "unknown asset", signer: admin, msg: freeze("a-9"), want: types.ErrAssetNotFound},
		{name: "no reason", signer: admin, msg: &types.MsgFreezeAsset{AssetId: "a-1"}, want: types.ErrInvalidField},
		{name: "unfreeze without reason", signer: admin, msg: &types.MsgUnfreezeAsset{AssetId: "a-1"}, want: types.ErrInvalidField},
	})
}

func TestReclassifyAsset(t *testing.T) {
	re := func(id string, c types.Classification, g types.Grade, o types.OpenLevel) *types.MsgReclassifyAsset {
		return &types.MsgReclassifyAsset{AssetId: id, Classification: c, Grade: g, OpenLevel: o, Reason: "review of 2026"}
	}
	reclassified := []string{types.EventAssetReclassified}
	expect := func(st types.AssetStatus, c types.Classification, g types.Grade, o types.OpenLevel) func(*testing.T, store.KV, *harness, string) {
		return func(t *testing.T, kv store.KV, h *harness, id string) {
			a := status(t, kv, id, st)
			if a.Classification != c || a.Grade != g || a.OpenLevel != o || !slices.Equal(h.rights.rechecked, []string{id}) {
				t.Fatalf("asset %v, rechecked %v", a, h.rights.rechecked)
			}
		}
	}
	const (
		certified  = types.AssetStatus_ASSET_STATUS_CERTIFIED
		catalogued = types.AssetStatus_ASSET_STATUS_CATALOGUED
		inNotice   = types.AssetStatus_ASSET_STATUS_IN_NOTICE
	)
	runCases(t, []msgCase{
		{name: "grade up, certified stays certified", signer: admin, msg: re("a-1", 0, important, 0), events: reclassified,
			check: expect(certified, public, important, condOpen)},
		{name: "certified to core: certificate withdrawn, catalogued", signer: admin, msg: re("a-1", 0, core, 0), events: reclassified,
			check: func(t *testing.T, kv store.KV, h *harness, id string) {
				expect(catalogued, public, core, condOpen)(t, kv, h, id)
				a := asset(t, kv, id)
				if a.CertificateNo != "BZDR-2026-000001" || !strings.Contains(a.StatusReason, "withdrawn") {
					t.Fatalf("certificate number %q and reason %q: the withdrawn certificate must stay on the record", a.CertificateNo, a.StatusReason)
				}
			}},
		{name: "in notice to core: catalogued, out of the queue", signer: admin, msg: re("a-4", 0, core, 0), events: reclassified,
			check: func(t *testing.T, kv store.KV, h *harness, id string) {
				expect(catalogued, personal, core, noOpen)(t, kv, h, id)
				if asset(t, kv, id).NoticeEnds != nil {
					t.Fatal("catalogued asset keeps a notice end")
				}
			}},
		{name: "core to general: a fresh notice period", signer: admin, msg: re("a-3", 0, general, 0), events: reclassified,
			check: func(t *testing.T, kv store.KV, h *harness, id string) {
				expect(inNotice, public, general, notOpen)(t, kv, h, id)
				if !asset(t, kv, id).NoticeEnds.AsTime().Equal(t4.Add(notice)) {
					t.Fatal("notice does not end a period from now")
				}
			}},
		{name: "enterprise to public with an open level", signer: admin, msg: re("a-2", public, 0, condOpen), events: reclassified,
			check: expect(certified, public, general, condOpen)},
		{name: "public to enterprise drops the open level", signer: admin, msg: re("a-1", enterprise, 0, 0), events: reclassified,
			check: expect(certified, enterprise, general, noOpen)},
		{name: "open level only", signer: admin, msg: re("a-1", 0, 0, types.OpenLevel_OPEN_LEVEL_UNCONDITIONAL), events: reclassified,
			check: expect(certified, public, general, types.OpenLevel_OPEN_LEVEL_UNCONDITIONAL)},
		{name: "disputed stays disputed", setup: []step{object5}, signer: admin, msg: re("a-5", 0, important, 0), events: reclassified,
			check: expect(types.AssetStatus_ASSET_STATUS_DISPUTED, enterprise, important, noOpen)},

		{name: "to public without an open level", signer: admin, msg: re("a-2", public, 0, 0), want: types.ErrInvalidField},
		{name: "open level on enterprise data", signer: admin, msg: re("a-2", 0, 0, condOpen), want: types.ErrInvalidField},
		{name: "open level with a non-public classification", signer: admin, msg: re("a-1", personal, 0, condOpen), want: types.ErrInvalidField},
		{name: "nothing changes", signer: admin, msg: re("a-1", public, general, condOpen), want: types.ErrNoChange},
		{name: "nothing given", signer: admin, msg: re("a-1", 0, 0, 0), want: types.ErrInvalidField},
		{name: "undefined grade", signer: admin, msg: re("a-1", 0, 8, 0), want: types.ErrInvalidField},
		{name: "no reason", signer: admin, msg: &types.MsgReclassifyAsset{AssetId: "a-1", Grade: important}, want: types.ErrInvalidField},
		{name: "not the data admin", signer: d1, msg: re("a-1", 0, important, 0), want: types.ErrNotDataAdmin},
		{name: "cancelled", setup: []step{object5, {admin, &types.MsgResolveObjection{AssetId: "a-5", Uphold: true, Reason: "r"}}},
			signer: admin, msg: re("a-5", 0, important, 0), want: types.ErrCancelled},
		{name: "unknown asset", signer: admin, msg: re("a-9", 0, important, 0), want: types.ErrAssetNotFound},
	})
}
