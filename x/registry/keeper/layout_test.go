package keeper_test

import (
	"bytes"
	"encoding/hex"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/keeper"
	"github.com/datarights/datarights/x/registry/types"
)

// checkLayout verifies the key layout documented in keys.go, from the raw
// bytes: every asset has exactly its index entries, the notice queue holds
// exactly the assets in notice, the catalogue and content indexes point at
// live assets that have the code or hash, versions and lineage agree with
// the assets, and the id sequence is the last asset.
func checkLayout(t *testing.T, root store.KV) {
	t.Helper()
	kv := store.NewPrefix(root, keeper.StorePrefix)
	sub := func(b byte) []testkit.Pair { return testkit.Dump(store.NewPrefix(kv, []byte{b})) }
	assets := map[uint64]*types.Asset{}
	want := map[string]bool{} // expected marker-valued index keys (0x05-0x0A, 0x0D, 0x0E)
	var last uint64
	versions, inputs, live := 0, 0, 0
	for _, e := range sub(0x01) {
		a := &types.Asset{}
		if err := proto.Unmarshal(e.Value, a); err != nil {
			t.Fatal(err)
		}
		n := u64(e.Key)
		if a.Id != types.FormatAssetID(n) {
			t.Fatalf("asset %s stored under number %d", a.Id, n)
		}
		assets[n], last = a, n
		for _, k := range expectedIndexKeys(a, n) {
			want[string(k)] = true
		}
		inputs += len(a.Inputs)
		if !a.IsCancelled() {
			live++
			versions += int(a.Version)
		}
	}
	if got := kv.Get([]byte{0x02}); len(assets) > 0 && u64(got) != last {
		t.Fatalf("id sequence %X, last asset %d", got, last)
	}
	got := 0
	for _, p := range []byte{0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0D, 0x0E} {
		for _, e := range sub(p) {
			key := append([]byte{p}, e.Key...)
			if !want[string(key)] || !bytes.Equal(e.Value, store.Marker) {
				t.Fatalf("unexpected index entry %X = %X", key, e.Value)
			}
			got++
		}
	}
	if got != len(want) {
		t.Fatalf("%d index entries, want %d", got, len(want))
	}
	codes := sub(0x03)
	for _, e := range codes {
		if a := assets[u64(e.Value)]; a == nil || a.CatalogueCode != string(e.Key) || a.IsCancelled() {
			t.Fatalf("catalogue code %s indexed for %d", e.Key, u64(e.Value))
		}
	}
	hashes := sub(0x04)
	for _, e := range hashes {
		n := u64(e.Value)
		if a := assets[n]; a == nil || a.IsCancelled() || !hasVersion(kv, n, hex.EncodeToString(e.Key)) {
			t.Fatalf("content hash %x indexed for %d, which has no such version", e.Key, n)
		}
	}
	if len(codes) != live || len(hashes) != versions {
		t.Fatalf("%d codes and %d hashes indexed, want %d and %d", len(codes), len(hashes), live, versions)
	}
	checkVersions(t, kv, assets)
}

// expectedIndexKeys are the marker-valued entries keys.go documents for an
// asset: kind, classification, grade, source, status, queue, lineage.
func expectedIndexKeys(a *types.Asset, n uint64) [][]byte {
	num := u64bytes(n)
	keys := [][]byte{
		cat([]byte{0x05, byte(a.Kind)}, num), cat([]byte{0x06, byte(a.Classification)}, num),
		cat([]byte{0x07, byte(a.Grade)}, num), cat([]byte{0x09, byte(a.Status)}, num),
	}
	if a.SourceDepartment != "" {
		keys = append(keys, cat([]byte{0x08}, address.Bytes(a.SourceDepartment), num))
	}
	if a.Status == types.AssetStatus_ASSET_STATUS_IN_NOTICE {
		end := uint64(a.NoticeEnds.AsTime().UnixNano()) ^ 1<<63
		keys = append(keys, cat([]byte{0x0A}, u64bytes(end), num))
	}
	for _, in := range a.Inputs {
		i, err := types.ParseAssetID("input", in.AssetId)
		if err != nil {
			panic(err)
		}
		keys = append(keys, cat([]byte{0x0D}, num, u64bytes(i)), cat([]byte{0x0E}, u64bytes(i), num))
	}
	return keys
}

// checkVersions: an asset's versions are numbered 1..Version and the last
// has its current content hash.
func checkVersions(t *testing.T, kv store.KV, assets map[uint64]*types.Asset) {
	t.Helper()
	for n, a := range assets {
		vs := testkit.Dump(store.NewPrefix(kv, cat([]byte{0x0B}, u64bytes(n))))
		if len(vs) != int(a.Version) {
			t.Fatalf("%s: %d versions stored, version %d", a.Id, len(vs), a.Version)
		}
		for i, e := range vs {
			v := &types.Version{}
			if err := proto.Unmarshal(e.Value, v); err != nil {
				t.Fatal(err)
			}
			if v.Number != uint32(i+1) || (v.Number == a.Version && v.ContentHash != a.ContentHash) {
				t.Fatalf("%s: version %d at position %d, hash %s (asset has %s)", a.Id, v.Number, i, v.ContentHash, a.ContentHash)
			}
		}
	}
}

func hasVersion(kv store.KV, n uint64, h string) bool {
	for _, e := range testkit.Dump(store.NewPrefix(kv, cat([]byte{0x0B}, u64bytes(n)))) {
		v := &types.Version{}
		if proto.Unmarshal(e.Value, v) == nil && v.ContentHash == h {
			return true
		}
	}
	return false
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func u64bytes(n uint64) []byte {
	b := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		b[i] = byte(n)
		n >>= 8
	}
	return b
}
