package keeper_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/governance/keeper"
	"github.com/datarights/datarights/x/governance/types"
)

// checkLayout verifies the key layout documented in keys.go, from the raw
// bytes: every proposal has exactly its status entry and, while voting,
// exactly one queue entry (the deadline queue until it passes, the passed
// queue after); every vote belongs to a proposal and says whose it is; the
// id sequence is the last proposal; nothing else is stored.
func checkLayout(t testing.TB, root store.KV) {
	t.Helper()
	kv := store.NewPrefix(root, keeper.StorePrefix)
	want := map[string]bool{}
	var last uint64
	for _, e := range testkit.Dump(store.NewPrefix(kv, []byte{0x01})) {
		p := &types.Proposal{}
		if err := proto.Unmarshal(e.Value, p); err != nil {
			t.Fatal(err)
		}
		n := binary.BigEndian.Uint64(e.Key)
		if len(e.Key) != 8 || p.Id != types.FormatProposalID(n) {
			t.Fatalf("proposal %s stored under %X", p.Id, e.Key)
		}
		last = n
		want[string(append([]byte{0x03, byte(p.Status)}, e.Key...))] = true
		if p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING {
			if p.DecidedHeight == 0 {
				end := binary.BigEndian.AppendUint64(nil, uint64(p.VotingEnds.AsTime().UnixNano())^1<<63)
				want[string(append(append([]byte{0x05}, end...), e.Key...))] = true
			} else {
				h := binary.BigEndian.AppendUint64(nil, uint64(p.DecidedHeight))
				want[string(append(append([]byte{0x06}, h...), e.Key...))] = true
			}
		}
	}
	if got := kv.Get([]byte{0x02}); last > 0 && (len(got) != 8 || binary.BigEndian.Uint64(got) != last) {
		t.Fatalf("id sequence %X, last proposal %d", got, last)
	}
	n := 0
	for _, p := range []byte{0x03, 0x05, 0x06} {
		for _, e := range testkit.Dump(store.NewPrefix(kv, []byte{p})) {
			key := append([]byte{p}, e.Key...)
			if !want[string(key)] || !bytes.Equal(e.Value, store.Marker) {
				t.Fatalf("unexpected index entry %X = %X", key, e.Value)
			}
			n++
		}
	}
	if n != len(want) {
		t.Fatalf("%d index entries, want %d", n, len(want))
	}
	for _, e := range testkit.Dump(store.NewPrefix(kv, []byte{0x04})) {
		v := &types.Vote{}
		if err := proto.Unmarshal(e.Value, v); err != nil {
			t.Fatal(err)
		}
		if len(e.Key) != 28 || kv.Get(append([]byte{0x01}, e.Key[:8]...)) == nil ||
			v.ProposalId != types.FormatProposalID(binary.BigEndian.Uint64(e.Key[:8])) || v.Department != address.FromBytes(e.Key[8:]) {
			t.Fatalf("vote %v stored under %X", v, e.Key)
		}
	}
	if bz := kv.Get([]byte{0x07}); bz != nil {
		if err := proto.Unmarshal(bz, &types.Params{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range testkit.Dump(kv) {
		if e.Key[0] < 0x01 || e.Key[0] > 0x07 {
			t.Fatalf("key %X outside the layout", e.Key)
		}
	}
}
