package keeper_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/registry/types"
)

// fuzzMsgs are the message types a fuzz input picks from.
var fuzzMsgs = []func() proto.Message{
	func() proto.Message { return &types.MsgRegisterAsset{} },
	func() proto.Message { return &types.MsgObjectAsset{} },
	func() proto.Message { return &types.MsgResolveObjection{} },
	func() proto.Message { return &types.MsgAddVersion{} },
	func() proto.Message { return &types.MsgRecordValuation{} },
	func() proto.Message { return &types.MsgFreezeAsset{} },
	func() proto.Message { return &types.MsgUnfreezeAsset{} },
	func() proto.Message { return &types.MsgReclassifyAsset{} },
}

var fuzzSigners = []*idtypes.Party{d1, d2, admin, assessor, e1, e2, ind, susp}

// FuzzMessages runs arbitrary messages from arbitrary parties on the
// fixture: a handler never panics, refuses only with a registered error
// (never an internal one), leaves the store as it was when it refuses, and
// keeps the documented key layout when it accepts.
func FuzzMessages(f *testing.F) {
	seeds := []proto.Message{
		productMsg("BZ-F", 100, in("a-1", 6000), in("a-2", 4000)),
		&types.MsgObjectAsset{AssetId: "a-4", EvidenceHash: hash(1), Reason: "r"},
		&types.MsgResolveObjection{AssetId: "a-4", Uphold: true, Reason: "r"},
		&types.MsgAddVersion{AssetId: "a-1", ContentHash: hash(100)},
		&types.MsgRecordValuation{AssetId: "a-3", ValueFen: 5, Method: 2, ReportHash: hash(7)},
		&types.MsgFreezeAsset{AssetId: "a-2", Reason: "r"},
		&types.MsgUnfreezeAsset{AssetId: "a-2", Reason: "r"},
		&types.MsgReclassifyAsset{AssetId: "a-3", Grade: general, Reason: "r"},
	}
	signers := []byte{4, 5, 2, 0, 3, 2, 2, 2}
	for i, m := range seeds {
		bz, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(byte(i), signers[i], bz)
	}
	tree := base(f)
	f.Fuzz(func(t *testing.T, which, signer byte, data []byte) {
		m := fuzzMsgs[int(which)%len(fuzzMsgs)]()
		if proto.Unmarshal(data, m) != nil {
			return
		}
		h := newHarness()
		kv := store.NewBranch(tree)
		before := testkit.Dump(kv)
		_, _, err := h.run(kv, fuzzSigners[int(signer)%len(fuzzSigners)].Address, testHeight, t4, m)
		checkLayout(t, kv)
		if err == nil {
			return
		}
		if _, code, _ := errs.ABCIInfo(err); code == errs.CodeInternal {
			t.Fatalf("internal error for user input: %v", err)
		}
		if !testkit.SameDump(before, testkit.Dump(kv)) {
			t.Fatalf("refused %T changed the store: %v", m, err)
		}
	})
}
