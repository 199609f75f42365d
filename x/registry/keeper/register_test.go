package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/registry/types"
)

func TestRegisterAsset(t *testing.T) {
	inNotice := func(want *types.Asset) func(*testing.T, store.KV, *harness, string) {
		return func(t *testing.T, kv store.KV, h *harness, id string) {
			a := asset(t, kv, id)
			if id != "a-6" || a.Status != types.AssetStatus_ASSET_STATUS_IN_NOTICE || !a.NoticeEnds.AsTime().Equal(t4.Add(notice)) ||
				a.Registrant != want.Registrant || a.SourceDepartment != want.SourceDepartment || a.Version != 1 ||
				a.HoldingRightId != "r-a-6" || a.RegisteredHeight != testHeight || len(h.rights.minted) != 1 {
				t.Fatalf("id %s, asset %v, minted %v", id, a, h.rights.minted)
			}
		}
	}
	lower := dataset("BZ-NEW", 100, public, general, condOpen, nil)
	lower.SourceDepartment = strings.ToLower(d2.Address)
	scenario := &types.MsgRegisterAsset{Kind: types.AssetKind_ASSET_KIND_SCENARIO, CatalogueCode: "BZ-SC-1", Name: "scenario",
		Classification: enterprise, Grade: general, ContentHash: hash(100), Inputs: []*types.Input{in("a-1", 0), in("a-4", 0)}}
	model := &types.MsgRegisterAsset{Kind: types.AssetKind_ASSET_KIND_MODEL, CatalogueCode: "BZ-M-1", Name: "model",
		Classification: enterprise, Grade: general, ContentHash: hash(100), Inputs: []*types.Input{in("a-1", 2500), in("a-2", 7500)}}
	registered := []string{types.EventAssetRegistered}
	upheld := []step{
		{e1, &types.MsgObjectAsset{AssetId: "a-4", EvidenceHash: hash(900), Reason: "not theirs"}},
		{admin, &types.MsgResolveObjection{AssetId: "a-4", Uphold: true, Reason: "upheld"}},
	}
	freezeA1 := []step{{admin, &types.MsgFreezeAsset{AssetId: "a-1", Reason: "investigation"}}}
	cases := []msgCase{
		{name: "public data by its source department", signer: d2, msg: dataset("BZ-NEW", 100, public, general, condOpen, d2), events: registered,
			check: inNotice(&types.Asset{Registrant: d2.Address, SourceDepartment: d2.Address})},
		{name: "enterprise data with a supervising department", signer: e2, msg: dataset("BZ-NEW", 100, enterprise, important, noOpen, d1), events: registered,
			check: inNotice(&types.Asset{Registrant: e2.Address, SourceDepartment: d1.Address})},
		{name: "enterprise data without a source department", signer: e2, msg: dataset("BZ-NEW", 100, enterprise, general, noOpen, nil), events: registered,
			check: inNotice(&types.Asset{Registrant: e2.Address})},
		{name: "personal data by an individual", signer: ind, msg: dataset("BZ-NEW", 100, personal, general, noOpen, nil), events: registered,
			check: inNotice(&types.Asset{Registrant: ind.Address})},
		{name: "source department in lower case is stored canonically", signer: d2, msg: lower, events: registered,
			check: inNotice(&types.Asset{Registrant: d2.Address, SourceDepartment: d2.Address})},
		{name: "core data by its source department is catalogued", signer: d2, msg: dataset("BZ-NEW", 100, enterprise, core, noOpen, d2), events: registered,
			check: func(t *testing.T, kv store.KV, h *harness, id string) {
				a := asset(t, kv, id)
				if a.Status != types.AssetStatus_ASSET_STATUS_CATALOGUED || a.NoticeEnds != nil || a.HoldingRightId != "r-a-6" {
					t.Fatalf("asset %v", a)
				}
			}},
		{name: "data product from inputs it may derive from", signer: e2, msg: productMsg("BZ-NEW", 100, in("a-4", 5000), in("a-1", 5000)), events: registered,
			rights: func(r *fakeRights) { r.authorizations["a-1"] = "au-7" },
			check: func(t *testing.T, kv store.KV, h *harness, id string) {
				inNotice(&types.Asset{Registrant: e2.Address})(t, kv, h, id)
				ids, _, err := h.k.Products(kv, "a-1", nil)
				if err != nil || strings.Join(ids, ",") != "a-5,a-6" {
					t.Fatalf("products of a-1: %v %v", ids, err)
				}
				// The right (and authorisation) that allowed each
				// derivation is recorded on its input.
				got := asset(t, kv, id).Inputs
				if got[0].RightId != "use-a-4" || got[0].AuthorizationId != "" || got[1].RightId != "use-a-1" || got[1].AuthorizationId != "au-7" {
					t.Fatalf("inputs %v", got)
				}
			}},
		{name: "scenario links assets without weights", signer: e2, msg: scenario, events: registered},
		{name: "model links assets with weights", signer: e2, msg: model, events: registered},
		{name: "scenario may link a frozen asset", setup: freezeA1, signer: e2, msg: scenario, events: registered},
		{name: "code and hash of a cancelled registration are free again", setup: upheld, signer: e1,
			msg: dataset("BZ-E2-001", 4, personal, important, noOpen, nil), events: registered},

		{name: "duplicate catalogue code", signer: e2, msg: dataset("BZ-E1-001", 100, enterprise, general, noOpen, nil), want: types.ErrDuplicateCatalogueCode},
		{name: "duplicate content hash", signer: e2, msg: dataset("BZ-NEW", 2, enterprise, general, noOpen, nil), want: types.ErrDuplicateContentHash},
		{name: "content hash of a later version", setup: []step{{d1, &types.MsgAddVersion{AssetId: "a-1", ContentHash: hash(100)}}},
			signer: e2, msg: dataset("BZ-NEW", 100, enterprise, general, noOpen, nil), want: types.ErrDuplicateContentHash},
		{name: "content hash of a replaced version", setup: []step{{d1, &types.MsgAddVersion{AssetId: "a-1", ContentHash: hash(100)}}},
			signer: e2, msg: dataset("BZ-NEW", 1, enterprise, general, noOpen, nil), want: types.ErrDuplicateContentHash},
		{name: "public data by an enterprise", signer: e1, msg: dataset("BZ-NEW", 100, public, general, condOpen, d1), want: types.ErrPublicDataSource},
		{name: "public data for another department", signer: d1, msg: dataset("BZ-NEW", 100, public, general, condOpen, d2), want: types.ErrPublicDataSource},
		{name: "public data without a source department", signer: d1, msg: dataset("BZ-NEW", 100, public, general, condOpen, nil), want: types.ErrPublicDataSource},
		{name: "core data by an enterprise", signer: e1, msg: dataset("BZ-NEW", 100, enterprise, core, noOpen, d1), want: types.ErrCoreData},
		{name: "core data for another department", signer: d1, msg: dataset("BZ-NEW", 100, public, core, notOpen, d2), want: types.ErrCoreData},
		{name: "core data without a source department", signer: d1, msg: dataset("BZ-NEW", 100, enterprise, core, noOpen, nil), want: types.ErrCoreData},
		{name: "source department is an enterprise", signer: e1, msg: dataset("BZ-NEW", 100, enterprise, general, noOpen, e2), want: types.ErrSourceNotDepartment},
		{name: "source department is unknown", signer: e1, msg: func() *types.MsgRegisterAsset {
			m := dataset("BZ-NEW", 100, enterprise, general, noOpen, nil)
			m.SourceDepartment = stranger
			return m
		}(), want: types.ErrSourceNotDepartment},
		{name: "unknown signer", msg: dataset("BZ-NEW", 100, enterprise, general, noOpen, nil), want: idtypes.ErrUnknownSigner},
		{name: "suspended signer", signer: susp, msg: dataset("BZ-NEW", 100, enterprise, general, noOpen, nil), want: idtypes.ErrPartySuspended},
		{name: "input does not exist", signer: e2, msg: productMsg("BZ-NEW", 100, in("a-99", 10000)), want: types.ErrAssetNotFound},
		{name: "input cancelled", setup: upheld, signer: e1, msg: productMsg("BZ-NEW", 100, in("a-4", 10000)), want: types.ErrCancelled},
		{name: "scenario links a cancelled asset", setup: upheld, signer: e1, msg: scenario, want: types.ErrCancelled},
		{name: "input frozen", setup: freezeA1, signer: e2, msg: productMsg("BZ-NEW", 100, in("a-1", 10000)), want: types.ErrFrozen},
		{name: "no right to derive from an input", rights: func(r *fakeRights) { r.refuse["a-2"] = true },
			signer: e2, msg: productMsg("BZ-NEW", 100, in("a-1", 5000), in("a-2", 5000)), want: errNoDerive},
		{name: "product without inputs", signer: e2, msg: productMsg("BZ-NEW", 100), want: types.ErrInvalidInputs},
		{name: "weights short of 10000", signer: e2, msg: productMsg("BZ-NEW", 100, in("a-1", 5000), in("a-2", 4000)), want: types.ErrInvalidInputs},
		{name: "zero weight in a product", signer: e2, msg: productMsg("BZ-NEW", 100, in("a-1", 10000), in("a-2", 0)), want: types.ErrInvalidInputs},
		{name: "input twice", signer: e2, msg: productMsg("BZ-NEW", 100, in("a-1", 5000), in("a-1", 5000)), want: types.ErrInvalidInputs},
		{name: "malformed input id", signer: e2, msg: productMsg("BZ-NEW", 100, in("b-1", 10000)), want: types.ErrInvalidInputs},
		{name: "input declares the right that allowed it", signer: e2, msg: func() *types.MsgRegisterAsset {
			m := productMsg("BZ-NEW", 100, in("a-1", 10000))
			m.Inputs[0].RightId = "r-1"
			return m
		}(), want: types.ErrInvalidInputs},
		{name: "input declares an authorisation", signer: e2, msg: func() *types.MsgRegisterAsset {
			m := productMsg("BZ-NEW", 100, in("a-1", 10000))
			m.Inputs[0].AuthorizationId = "au-1"
			return m
		}(), want: types.ErrInvalidInputs},
		{name: "too many inputs", signer: e2, msg: productMsg("BZ-NEW", 100, manyInputs(types.MaxInputs+1)...), want: types.ErrInvalidInputs},
		{name: "dataset with inputs", signer: e2, msg: func() *types.MsgRegisterAsset {
			m := dataset("BZ-NEW", 100, enterprise, general, noOpen, nil)
			m.Inputs = []*types.Input{in("a-1", 10000)}
			return m
		}(), want: types.ErrInvalidInputs},
	}
	for _, f := range invalidRegistrations() {
		cases = append(cases, msgCase{name: "invalid: " + f.name, signer: e2, msg: f.msg, want: types.ErrInvalidField})
	}
	runCases(t, cases)
}

func manyInputs(n int) []*types.Input {
	out := make([]*types.Input, n)
	for i := range out {
		out[i] = in(types.FormatAssetID(uint64(i+1)), 0)
	}
	out[0].WeightBps = types.TotalWeightBps
	return out
}

type namedMsg struct {
	name string
	msg  *types.MsgRegisterAsset
}

// invalidRegistrations break one field each of a valid registration.
func invalidRegistrations() []namedMsg {
	mk := func(name string, f func(m *types.MsgRegisterAsset)) namedMsg {
		m := dataset("BZ-NEW", 100, enterprise, general, noOpen, nil)
		f(m)
		return namedMsg{name, m}
	}
	return []namedMsg{
		mk("no kind", func(m *types.MsgRegisterAsset) { m.Kind = 0 }),
		mk("undefined kind", func(m *types.MsgRegisterAsset) { m.Kind = 99 }),
		mk("no catalogue code", func(m *types.MsgRegisterAsset) { m.CatalogueCode = "" }),
		mk("catalogue code with a space", func(m *types.MsgRegisterAsset) { m.CatalogueCode = "BZ 1" }),
		mk("catalogue code too long", func(m *types.MsgRegisterAsset) { m.CatalogueCode = strings.Repeat("A", 65) }),
		mk("blank name", func(m *types.MsgRegisterAsset) { m.Name = "  " }),
		mk("name with a control character", func(m *types.MsgRegisterAsset) { m.Name = "a\x00b" }),
		mk("description too long", func(m *types.MsgRegisterAsset) { m.Description = strings.Repeat("数", 2000) }),
		mk("standard ref with a space", func(m *types.MsgRegisterAsset) { m.StandardRef = "GB/T 35273" }),
		mk("source department not an address", func(m *types.MsgRegisterAsset) { m.SourceDepartment = "0x1234" }),
		mk("no classification", func(m *types.MsgRegisterAsset) { m.Classification = 0 }),
		mk("no grade", func(m *types.MsgRegisterAsset) { m.Grade = 0 }),
		mk("undefined grade", func(m *types.MsgRegisterAsset) { m.Grade = 9 }),
		mk("open level on enterprise data", func(m *types.MsgRegisterAsset) { m.OpenLevel = condOpen }),
		mk("public data without open level", func(m *types.MsgRegisterAsset) { m.Classification = public }),
		mk("no content hash", func(m *types.MsgRegisterAsset) { m.ContentHash = "" }),
		mk("upper-case content hash", func(m *types.MsgRegisterAsset) { m.ContentHash = strings.ToUpper(hash(100)) }),
		mk("short schema hash", func(m *types.MsgRegisterAsset) { m.SchemaHash = "abcd" }),
		mk("uri with a space", func(m *types.MsgRegisterAsset) { m.Uri = "https://x.example/a b" }),
	}
}

// TestRegisterRecordsEverything checks one registration in full: the
// stored fields, version 1, the event's attributes, the right minted.
func TestRegisterRecordsEverything(t *testing.T) {
	tree := base(t)
	h := newHarness()
	kv := store.NewBranch(tree)
	m := productMsg("BZ-NEW", 100, in("a-1", 6000), in("a-4", 4000))
	m.Description, m.StandardRef, m.SchemaHash, m.Uri, m.Deidentified = "desc", "GB/T-35273-2020", hash(101), "https://data.example/p", true
	id, events, err := h.run(kv, e2.Address, testHeight, t4, m)
	if err != nil {
		t.Fatal(err)
	}
	a := asset(t, kv, id)
	if a.Description != "desc" || a.StandardRef != m.StandardRef || a.SchemaHash != m.SchemaHash || a.Uri != m.Uri || !a.Deidentified ||
		a.Kind != product || a.CatalogueCode != "BZ-NEW" || types.FormatInputs(a.Inputs) != "a-1:6000,a-4:4000" ||
		!a.RegisteredTime.AsTime().Equal(t4) {
		t.Fatalf("asset %v", a)
	}
	vs, err := h.k.QueryVersions(kv, &types.QueryVersionsRequest{AssetId: id})
	if err != nil || len(vs.Versions) != 1 || vs.Versions[0].ContentHash != hash(100) || vs.Versions[0].AddedBy != e2.Address {
		t.Fatalf("versions %v %v", vs, err)
	}
	if len(events) != 1 {
		t.Fatalf("events %v", events)
	}
	e := events[0]
	for key, want := range map[string]string{
		types.AttrAssetID: id, types.AttrParty: e2.Address, types.AttrKind: "data_product", types.AttrStatus: "in_notice",
		types.AttrInputs: "a-1:6000,a-4:4000", types.AttrRightID: "r-a-6", types.AttrNoticeEnds: t4.Add(notice).Format(time.RFC3339),
		types.AttrClassification: "enterprise", types.AttrGrade: "general", types.AttrCatalogueCode: "BZ-NEW",
	} {
		got, indexed := attr(e, key)
		if got != want || indexed != (key == types.AttrAssetID || key == types.AttrParty) {
			t.Errorf("attribute %s = %q (indexed %v), want %q", key, got, indexed, want)
		}
	}
	if strings.Join(h.rights.minted, ",") != id {
		t.Fatalf("minted %v", h.rights.minted)
	}
}

// TestDuplicateNamesTheAsset: the refusal says which asset has the code or
// hash, so the registrant can go and look.
func TestDuplicateNamesTheAsset(t *testing.T) {
	tree := base(t)
	h := newHarness()
	_, _, err := h.run(store.NewBranch(tree), e2.Address, testHeight, t4, dataset("BZ-E1-001", 100, enterprise, general, noOpen, nil))
	if err == nil || !strings.Contains(err.Error(), "a-2") {
		t.Fatalf("error %v does not name a-2", err)
	}
	_, _, err = h.run(store.NewBranch(tree), e2.Address, testHeight, t4, dataset("BZ-NEW", 3, enterprise, general, noOpen, nil))
	if err == nil || !strings.Contains(err.Error(), "a-3") {
		t.Fatalf("error %v does not name a-3", err)
	}
}
