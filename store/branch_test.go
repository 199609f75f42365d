package store_test

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	ics23 "github.com/cosmos/ics23/go"
	"github.com/syndtr/goleveldb/leveldb/filter"
	"github.com/syndtr/goleveldb/leveldb/opt"

	"github.com/datarights/datarights/store"
)

// ---------------------------------------------------------------------------
// Reference model and helpers

// model is the reference: a plain map from key to value.
type model map[string][]byte

// pair is one key/value of an iteration.
type pair struct{ k, v string }

func (p pair) String() string { return fmt.Sprintf("%x=%x", p.k, p.v) }

// rangeOf is the model's sorted view of [start, end), nil bounds open.
func (m model) rangeOf(start, end []byte, ascending bool) []pair {
	var out []pair
	for k, v := range m {
		if start != nil && k < string(start) {
			continue
		}
		if end != nil && k >= string(end) {
			continue
		}
		out = append(out, pair{k, string(v)})
	}
	slices.SortFunc(out, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	if !ascending {
		slices.Reverse(out)
	}
	return out
}

// drain reads an iterator to the end, copying what it returns, and closes it.
func drain(t *testing.T, it store.Iterator) []pair {
	t.Helper()
	var out []pair
	for ; it.Valid(); it.Next() {
		if it.Value() == nil {
			t.Fatalf("iterator returned a nil value at key %x", it.Key())
		}
		out = append(out, pair{string(it.Key()), string(it.Value())})
	}
	if err := it.Close(); err != nil {
		t.Fatalf("close iterator: %v", err)
	}
	return out
}

func samePairs(got, want []pair) bool {
	return slices.Equal(got, want)
}

// checkRange compares both iteration directions over [start, end).
func checkRange(t *testing.T, label string, kv store.KV, m model, start, end []byte) {
	t.Helper()
	if got, want := drain(t, kv.Iterator(start, end)), m.rangeOf(start, end, true); !samePairs(got, want) {
		t.Fatalf("%s: Iterator(%x, %x)\n got %v\nwant %v", label, start, end, got, want)
	}
	if got, want := drain(t, kv.ReverseIterator(start, end)), m.rangeOf(start, end, false); !samePairs(got, want) {
		t.Fatalf("%s: ReverseIterator(%x, %x)\n got %v\nwant %v", label, start, end, got, want)
	}
}

// checkGet compares Get and Has of one key.
func checkGet(t *testing.T, label string, kv store.KV, m model, key []byte) {
	t.Helper()
	want, ok := m[string(key)]
	got := kv.Get(key)
	switch {
	case !ok && got != nil:
		t.Fatalf("%s: Get(%x) = %x, want absent", label, key, got)
	case ok && got == nil:
		t.Fatalf("%s: Get(%x) = nil, want %x", label, key, want)
	case ok && !bytes.Equal(got, want):
		t.Fatalf("%s: Get(%x) = %x, want %x", label, key, got, want)
	}
	if kv.Has(key) != ok {
		t.Fatalf("%s: Has(%x) = %v, want %v", label, key, !ok, ok)
	}
}

// checkAll compares every key and a full iteration both ways.
func checkAll(t *testing.T, label string, kv store.KV, m model) {
	t.Helper()
	checkRange(t, label, kv, m, nil, nil)
	for k := range m {
		checkGet(t, label, kv, m, []byte(k))
	}
}

// alphabet is small and biased to the edges (0x00, 0xff) so that random keys
// collide, share prefixes and hit PrefixEnd's carry cases.
var alphabet = []byte{0x00, 0x01, 'a', 'b', 0x7f, 0x80, 0xfe, 0xff}

func randKey(r *rand.Rand) []byte {
	k := make([]byte, 1+r.IntN(3))
	for i := range k {
		k[i] = alphabet[r.IntN(len(alphabet))]
	}
	return k
}

// randValue is 1 to 6 random bytes (values are never empty: see
// TestEmptyValueRejected).
func randValue(r *rand.Rand) []byte {
	v := make([]byte, 1+r.IntN(6))
	for i := range v {
		v[i] = byte(r.Uint32())
	}
	return v
}

// randBound is nil (open) one time in five.
func randBound(r *rand.Rand) []byte {
	if r.IntN(5) == 0 {
		return nil
	}
	return randKey(r)
}

func testOptions() store.Options {
	o := store.DefaultOptions()
	o.CacheSize = 1000
	o.Sync = false
	return o
}

func memTree(t *testing.T) *store.Tree {
	t.Helper()
	tr, err := store.OpenDB(dbm.NewMemDB(), testOptions())
	if err != nil {
		t.Fatalf("open tree: %v", err)
	}
	t.Cleanup(func() { _ = tr.Close() })
	return tr
}

// populate writes random sets and deletes to kv and m.
func populate(r *rand.Rand, kv store.KV, m model, n int) {
	for range n {
		k := randKey(r)
		if r.IntN(4) == 0 {
			kv.Delete(k)
			delete(m, string(k))
			continue
		}
		v := randValue(r)
		kv.Set(k, v)
		m[string(k)] = bytes.Clone(v)
	}
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

// ---------------------------------------------------------------------------
// Branch

// write is one buffered write of a branch in the layered model.
type write struct {
	value   []byte
	deleted bool
}

// layered models a stack of branches over a base: view(i) is what branch i
// must show.
type layered struct {
	base   model
	layers []map[string]write
}

func (l *layered) view(i int) model {
	m := maps.Clone(l.base)
	for _, layer := range l.layers[:i+1] {
		for k, w := range layer {
			if w.deleted {
				delete(m, k)
			} else {
				m[k] = w.value
			}
		}
	}
	return m
}

// TestBranchMatchesModel drives a stack of nested branches over a tree
// (with committed and uncommitted state) with random operations at random
// levels and compares every read with the model.
func TestBranchMatchesModel(t *testing.T) {
	for seed := uint64(1); seed <= 25; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0x5eed))
			tr := memTree(t)
			base := model{}
			populate(r, tr, base, 150)
			if _, _, err := tr.Commit(); err != nil {
				t.Fatal(err)
			}
			populate(r, tr, base, 40) // uncommitted working state under the branches
			checkAll(t, "tree before branching", tr, base)

			l := &layered{base: base, layers: []map[string]write{{}}}
			branches := []*store.Branch{store.NewBranch(tr)}
			parentOf := func(i int) store.KV {
				if i == 0 {
					return tr
				}
				return branches[i-1]
			}

			for op := range 800 {
				i := r.IntN(len(branches))
				b, label := branches[i], fmt.Sprintf("op %d, branch %d of %d", op, i, len(branches))
				switch p := r.IntN(100); {
				case p < 30:
					k, v := randKey(r), randValue(r)
					b.Set(k, v)
					l.layers[i][string(k)] = write{value: bytes.Clone(v)}
				case p < 45:
					k := randKey(r)
					b.Delete(k)
					l.layers[i][string(k)] = write{deleted: true}
				case p < 60:
					checkGet(t, label, b, l.view(i), randKey(r))
				case p < 75:
					checkRange(t, label, b, l.view(i), randBound(r), randBound(r))
				case p < 80 && len(branches) < 5:
					branches = append(branches, store.NewBranch(branches[len(branches)-1]))
					l.layers = append(l.layers, map[string]write{})
				case p < 85:
					// Write branch i into its parent; branches above it keep
					// their buffers and now see the new parent state.
					before := l.view(i)
					b.Write()
					if i == 0 {
						l.base = before
					} else {
						maps.Copy(l.layers[i-1], l.layers[i])
					}
					l.layers[i] = map[string]write{}
					if b.Len() != 0 {
						t.Fatalf("%s: Len() = %d after Write", label, b.Len())
					}
					checkAll(t, label+": parent after Write", parentOf(i), before)
					checkAll(t, label+": branch after Write", b, before)
				case p < 90 && len(branches) > 1:
					// Discard the top branch: nothing below may change.
					top := len(branches) - 1
					below := l.view(top - 1)
					branches, l.layers = branches[:top], l.layers[:top]
					checkAll(t, label+": after discarding the top branch", branches[top-1], below)
				default:
					if b.Len() != len(l.layers[i]) {
						t.Fatalf("%s: Len() = %d, want %d buffered writes", label, b.Len(), len(l.layers[i]))
					}
				}
			}

			// Write the whole stack down: the tree must hold exactly the
			// top view, committed or not.
			want := l.view(len(branches) - 1)
			for i := len(branches) - 1; i >= 0; i-- {
				branches[i].Write()
			}
			checkAll(t, "tree after writing every branch", tr, want)
			checkRange(t, "tree after writing every branch", tr, want, randBound(r), randBound(r))
			_, v, err := tr.Commit()
			if err != nil {
				t.Fatal(err)
			}
			snap, err := tr.At(v)
			if err != nil {
				t.Fatal(err)
			}
			checkAll(t, "committed snapshot", snap, want)
		})
	}
}

// TestBranchBasics covers the documented details one by one.
func TestBranchBasics(t *testing.T) {
	tr := memTree(t)
	tr.Set([]byte("a"), []byte("1"))
	tr.Set([]byte("c"), []byte("3"))
	b := store.NewBranch(tr)

	t.Run("nil or empty value panics", func(t *testing.T) {
		mustPanic(t, "Set(nil value)", func() { b.Set([]byte("n"), nil) })
		mustPanic(t, "Set(empty value)", func() { b.Set([]byte("n"), []byte{}) })
	})
	t.Run("delete hides a parent key without touching the parent", func(t *testing.T) {
		b.Delete([]byte("a"))
		if b.Has([]byte("a")) || !tr.Has([]byte("a")) {
			t.Fatalf("branch Has = %v, tree Has = %v", b.Has([]byte("a")), tr.Has([]byte("a")))
		}
		b.Set([]byte("a"), []byte("1"))
	})
	t.Run("deleting an absent key is a no-op for reads", func(t *testing.T) {
		b.Delete([]byte("zz"))
		checkAll(t, "branch", b, model{"a": []byte("1"), "c": []byte("3")})
	})
	t.Run("empty key panics", func(t *testing.T) {
		mustPanic(t, "Set(empty)", func() { b.Set(nil, []byte("x")) })
		mustPanic(t, "Get(empty)", func() { b.Get([]byte{}) })
		mustPanic(t, "Delete(empty)", func() { b.Delete(nil) })
	})
	t.Run("Set copies its arguments", func(t *testing.T) {
		checkSetCopies(t, b)
	})
}

// checkSetCopies: a KV must not keep the caller's buffers.
func checkSetCopies(t *testing.T, kv store.KV) {
	t.Helper()
	key, val := []byte("copy-key"), []byte("copy-val")
	kv.Set(key, val)
	key[0], val[0] = 'X', 'X'
	if got := kv.Get([]byte("copy-key")); string(got) != "copy-val" {
		t.Errorf("after the caller reused its buffers, Get(copy-key) = %q", got)
	}
	if kv.Has([]byte("Xopy-key")) {
		t.Errorf("the caller's reused key buffer became a key")
	}
	del := []byte("copy-key")
	kv.Delete(del)
	del[0] = 'Y'
	if kv.Has([]byte("copy-key")) {
		t.Errorf("Delete did not take effect")
	}
}

// TestTreeSetCopiesArguments: IAVL keeps the slices it is given, so without
// a copy in Tree.Set a caller reusing its key buffer (say, a genesis loop
// building keys with append) corrupted the tree: the key vanished and the
// next Commit panicked inside IAVL.
func TestTreeSetCopiesArguments(t *testing.T) {
	tr := memTree(t)
	checkSetCopies(t, tr)
	buf := make([]byte, 0, 8)
	for i := range 20 {
		buf = append(buf[:0], 'k', byte(i))
		tr.Set(buf, buf)
	}
	for i := range 20 {
		if got := tr.Get([]byte{'k', byte(i)}); !bytes.Equal(got, []byte{'k', byte(i)}) {
			t.Fatalf("key %d = %x", i, got)
		}
	}
	if _, _, err := tr.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := len(drain(t, tr.Iterator(nil, nil))); got != 20 {
		t.Fatalf("committed %d keys, want 20", got)
	}
}

// TestBranchWriteOrder: Write applies the buffer in ascending key order,
// whatever order the writes were made in, so the parent sees the same
// sequence of operations on every node.
func TestBranchWriteOrder(t *testing.T) {
	rec := &recorder{KV: store.NewBranch(memTree(t))}
	b := store.NewBranch(rec)
	for _, k := range []string{"m", "b", "z", "a", "m", "q"} {
		b.Set([]byte(k), []byte("v"))
	}
	b.Delete([]byte("c"))
	b.Delete([]byte("z"))
	b.Write()
	want := []string{"set a", "set b", "delete c", "set m", "set q", "delete z"}
	if !slices.Equal(rec.ops, want) {
		t.Fatalf("Write made %v, want %v", rec.ops, want)
	}
	rec.ops = nil
	b.Write()
	if len(rec.ops) != 0 {
		t.Fatalf("a second Write repeated %v", rec.ops)
	}
}

// recorder is a KV that logs the writes made to it.
type recorder struct {
	store.KV
	ops []string
}

func (r *recorder) Set(k, v []byte) { r.ops = append(r.ops, "set "+string(k)); r.KV.Set(k, v) }
func (r *recorder) Delete(k []byte) { r.ops = append(r.ops, "delete "+string(k)); r.KV.Delete(k) }

// TestBranchIterationIsolatedFromWrites: writes made while iterating (the
// natural "delete everything in this range" loop) neither disturb the
// iteration nor get lost.
func TestBranchIterationIsolatedFromWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	tr := memTree(t)
	m := model{}
	populate(r, tr, m, 100)
	outer := store.NewBranch(tr)
	populate(r, outer, m, 50)
	b := store.NewBranch(outer)
	populate(r, b, m, 50)

	for _, ascending := range []bool{true, false} {
		want := m.rangeOf(nil, nil, ascending)
		it := b.Iterator(nil, nil)
		if !ascending {
			it = b.ReverseIterator(nil, nil)
		}
		var got []pair
		deleted := map[string]bool{} // last write to the key in b was a delete
		for ; it.Valid(); it.Next() {
			got = append(got, pair{string(it.Key()), string(it.Value())})
			// Delete the current key, write keys that may lie ahead, in
			// this branch and in the one below.
			b.Delete(it.Key())
			deleted[string(it.Key())] = true
			k := randKey(r)
			b.Set(k, []byte("new"))
			deleted[string(k)] = false
			outer.Set(randKey(r), []byte("outer"))
			outer.Delete(randKey(r))
		}
		_ = it.Close()
		if !samePairs(got, want) {
			t.Fatalf("ascending=%v: iteration was disturbed by writes\n got %v\nwant %v", ascending, got, want)
		}
		for k, del := range deleted {
			if b.Has([]byte(k)) == del {
				t.Fatalf("ascending=%v: key %x: Has = %v after the iteration's writes", ascending, k, !del)
			}
		}
		// Reset for the other direction.
		b = store.NewBranch(outer)
		m = model{}
		for _, p := range drain(t, b.Iterator(nil, nil)) {
			m[p.k] = []byte(p.v)
		}
	}
}

// TestBranchDiscard: dropping a branch leaves its parent exactly as it was.
func TestBranchDiscard(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	tr := memTree(t)
	m := model{}
	populate(r, tr, m, 100)
	parent := store.NewBranch(tr)
	populate(r, parent, m, 50)
	treeHash := tr.WorkingHash()

	child := store.NewBranch(parent)
	populate(r, child, maps.Clone(m), 200)
	grandchild := store.NewBranch(child)
	populate(r, grandchild, maps.Clone(m), 50)
	grandchild.Write() // into child only
	// child is dropped here, never written.

	checkAll(t, "parent after discarding a child", parent, m)
	for range 50 {
		checkRange(t, "parent after discarding a child", parent, m, randBound(r), randBound(r))
	}
	if !bytes.Equal(tr.WorkingHash(), treeHash) {
		t.Fatalf("discarding a branch changed the tree")
	}
}

// ---------------------------------------------------------------------------
// Prefix

func TestPrefixEnd(t *testing.T) {
	tests := []struct {
		prefix, want []byte
	}{
		{nil, nil},
		{[]byte{}, nil},
		{[]byte{0x00}, []byte{0x01}},
		{[]byte("ab"), []byte("ac")},
		{[]byte{0xfe}, []byte{0xff}},
		{[]byte{0xff}, nil},
		{[]byte{0xff, 0xff, 0xff}, nil},
		{[]byte{'a', 0xff}, []byte{'b'}},
		{[]byte{'a', 0xff, 0xff}, []byte{'b'}},
		{[]byte{0x00, 0xff}, []byte{0x01}},
		{[]byte{0xff, 0x00}, []byte{0xff, 0x01}},
		{[]byte{0xff, 0xfe, 0xff}, []byte{0xff, 0xff}},
	}
	for _, tc := range tests {
		in := bytes.Clone(tc.prefix)
		got := store.PrefixEnd(tc.prefix)
		if !bytes.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("PrefixEnd(%x) = %x (nil %v), want %x (nil %v)", tc.prefix, got, got == nil, tc.want, tc.want == nil)
		}
		if !bytes.Equal(tc.prefix, in) {
			t.Errorf("PrefixEnd(%x) modified its argument to %x", in, tc.prefix)
		}
		// The defining property: every key with the prefix is below the
		// end, and the end itself does not have the prefix.
		if got != nil {
			for _, suffix := range [][]byte{nil, {0x00}, {0xff, 0xff, 0xff}} {
				if k := store.Concat(tc.prefix, suffix); bytes.Compare(k, got) >= 0 {
					t.Errorf("PrefixEnd(%x) = %x is not above %x", tc.prefix, got, k)
				}
			}
			if len(tc.prefix) > 0 && bytes.HasPrefix(got, tc.prefix) {
				t.Errorf("PrefixEnd(%x) = %x has the prefix", tc.prefix, got)
			}
		}
	}
}

func TestPrefixIsolation(t *testing.T) {
	tr := memTree(t)
	parent := store.NewBranch(tr)
	for _, k := range []string{"a", "p", "p.", "p0", "q", "o\xff", "p/"} {
		parent.Set([]byte(k), []byte("outside"))
	}
	parent.Set([]byte("q/x"), []byte("sibling"))

	// "p/" itself is a parent key: the view must not show it as an empty key.
	p := store.NewPrefix(parent, []byte("p/"))
	p.Set([]byte("k1"), []byte("v1"))
	p.Set([]byte("k2"), []byte("v2"))
	p.Set([]byte{0xff}, []byte("v3"))

	if got := parent.Get([]byte("p/k1")); string(got) != "v1" {
		t.Errorf("parent sees p/k1 = %q", got)
	}
	if p.Has([]byte("q/x")) || p.Has([]byte("a")) || p.Get([]byte("x")) != nil {
		t.Errorf("prefix view sees keys outside its prefix")
	}
	want := model{"k1": []byte("v1"), "k2": []byte("v2"), "\xff": []byte("v3")}
	checkAll(t, "prefix p/", p, want)
	checkRange(t, "prefix p/", p, want, []byte("k2"), nil)
	checkRange(t, "prefix p/", p, want, nil, []byte("k2"))
	checkRange(t, "prefix p/", p, want, []byte("k1"), []byte{0xff})
	checkRange(t, "prefix p/", p, want, []byte("k3"), []byte("k1"))

	sibling := store.NewPrefix(parent, []byte("q/"))
	checkAll(t, "prefix q/", sibling, model{"x": []byte("sibling")})

	p.Delete([]byte("k1"))
	if !parent.Has([]byte("p/k2")) || parent.Has([]byte("p/k1")) || !parent.Has([]byte("p")) {
		t.Errorf("Delete through the prefix reached the wrong keys")
	}
	mustPanic(t, "Set(empty) through a prefix", func() { p.Set(nil, []byte("x")) })

	// Nested prefixes compose.
	nested := store.NewPrefix(store.NewPrefix(parent, []byte("p")), []byte("/"))
	checkAll(t, "nested prefix p + /", nested, model{"k2": []byte("v2"), "\xff": []byte("v3")})
}

// TestPrefixMatchesModel compares prefix views, including all-0xff ones
// (where PrefixEnd is nil), with the model's filtered and stripped view.
func TestPrefixMatchesModel(t *testing.T) {
	prefixes := [][]byte{nil, {0x00}, {'a'}, {'a', 0xff}, {0xff}, {0xff, 0xff}, {0x7f, 0x80}}
	for seed := uint64(1); seed <= 10; seed++ {
		r := rand.New(rand.NewPCG(seed, 0xbeef))
		tr := memTree(t)
		b := store.NewBranch(tr)
		m := model{}
		populate(r, tr, m, 300)
		populate(r, b, m, 100)

		for _, prefix := range prefixes {
			label := fmt.Sprintf("seed %d, prefix %x", seed, prefix)
			view := store.NewPrefix(b, prefix)
			sub := model{}
			for k, v := range m {
				// A parent key equal to the prefix has no key in the view:
				// keys are non-empty.
				if strings.HasPrefix(k, string(prefix)) && len(k) > len(prefix) {
					sub[k[len(prefix):]] = v
				}
			}
			if _, ok := m[string(prefix)]; !ok && prefix != nil {
				b.Set(prefix, []byte("the bare prefix")) // make sure the edge is exercised
				m[string(prefix)] = []byte("the bare prefix")
			}
			checkAll(t, label, view, sub)
			for range 30 {
				checkRange(t, label, view, sub, randBound(r), randBound(r))
			}
			// Writes through the view land under the prefix in the parent.
			k, v := randKey(r), randValue(r)
			view.Set(k, v)
			if got := b.Get(store.Concat(prefix, k)); !bytes.Equal(got, v) || got == nil {
				t.Fatalf("%s: parent Get(%x) = %x, want %x", label, store.Concat(prefix, k), got, v)
			}
			m[string(store.Concat(prefix, k))] = v
		}
	}
}

// ---------------------------------------------------------------------------
// Tree

// TestTreeVersions: each Commit is a new version whose snapshot keeps
// showing that version's state after later writes and commits.
func TestTreeVersions(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	tr := memTree(t)
	if tr.Version() != 0 {
		t.Fatalf("new tree at version %d", tr.Version())
	}
	m := model{}
	models := map[int64]model{}
	hashes := map[int64][]byte{}
	for v := int64(1); v <= 6; v++ {
		populate(r, tr, m, 60)
		working := tr.WorkingHash()
		hash, version, err := tr.Commit()
		if err != nil {
			t.Fatal(err)
		}
		if version != v || tr.Version() != v {
			t.Fatalf("commit %d returned version %d, Version() = %d", v, version, tr.Version())
		}
		if !bytes.Equal(hash, working) || !bytes.Equal(hash, tr.Hash()) {
			t.Fatalf("version %d: commit hash %x, working hash before %x, Hash() %x", v, hash, working, tr.Hash())
		}
		if v > 1 && bytes.Equal(hash, hashes[v-1]) {
			t.Fatalf("version %d has the hash of version %d", v, v-1)
		}
		models[v], hashes[v] = maps.Clone(m), hash
	}
	// Uncommitted writes after the last commit.
	populate(r, tr, m, 60)
	checkAll(t, "working version", tr, m)

	for v := int64(1); v <= 6; v++ {
		s, err := tr.At(v)
		if err != nil {
			t.Fatalf("At(%d): %v", v, err)
		}
		label := fmt.Sprintf("snapshot %d", v)
		if s.Version() != v || !bytes.Equal(s.Hash(), hashes[v]) {
			t.Fatalf("%s: Version() = %d, Hash() = %x, want %x", label, s.Version(), s.Hash(), hashes[v])
		}
		checkAll(t, label, s, models[v])
		for range 20 {
			checkRange(t, label, s, models[v], randBound(r), randBound(r))
			checkGet(t, label, s, models[v], randKey(r))
		}
		mustPanic(t, "Set on a snapshot", func() { s.Set([]byte("a"), []byte("b")) })
		mustPanic(t, "Delete on a snapshot", func() { s.Delete([]byte("a")) })
	}
	if _, err := tr.At(7); err == nil {
		t.Fatalf("At(7) of an uncommitted version succeeded")
	}

	// Rollback drops the uncommitted writes.
	tr.Rollback()
	if !bytes.Equal(tr.WorkingHash(), hashes[6]) {
		t.Fatalf("after Rollback the working hash is %x, want %x", tr.WorkingHash(), hashes[6])
	}
	checkAll(t, "working version after Rollback", tr, models[6])
}

// TestTreePruning: with KeepRecent set, versions older than the window are
// deleted every PruneInterval versions and the recent ones stay readable.
func TestTreePruning(t *testing.T) {
	o := testOptions()
	o.KeepRecent, o.PruneInterval = 2, 1
	tr, err := store.OpenDB(dbm.NewMemDB(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for v := 1; v <= 5; v++ {
		tr.Set([]byte("k"), []byte{byte(v)})
		if _, _, err := tr.Commit(); err != nil {
			t.Fatalf("commit %d: %v", v, err)
		}
	}
	for v := int64(1); v <= 5; v++ {
		s, err := tr.At(v)
		if keep := v > 5-o.KeepRecent; keep != (err == nil) {
			t.Errorf("At(%d): err = %v, want available = %v", v, err, keep)
			continue
		}
		if err == nil && !bytes.Equal(s.Get([]byte("k")), []byte{byte(v)}) {
			t.Errorf("At(%d).Get = %x", v, s.Get([]byte("k")))
		}
	}
}

// TestTreeProofs checks ICS23 proofs of presence and absence against each
// snapshot's hash, for the current and an older version.
func TestTreeProofs(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	tr := memTree(t)
	m := model{}
	nonEmpty := func(n int) {
		for range n {
			k := randKey(r)
			if r.IntN(4) == 0 {
				tr.Delete(k)
				delete(m, string(k))
				continue
			}
			v := append([]byte{1}, randValue(r)...) // see TestTreeEmptyValueProofs
			tr.Set(k, v)
			m[string(k)] = v
		}
	}
	nonEmpty(200)
	tr.Commit()
	old := maps.Clone(m)
	nonEmpty(100)
	_, v2, _ := tr.Commit()
	tr.Set([]byte{0x01, 0x01}, []byte("uncommitted")) // must not affect snapshots

	for _, c := range []struct {
		version int64
		m       model
	}{{1, old}, {v2, m}} {
		s, err := tr.At(c.version)
		if err != nil {
			t.Fatal(err)
		}
		root := s.Hash()
		for k, v := range c.m {
			key := []byte(k)
			proof, err := s.Proof(key)
			if err != nil {
				t.Fatalf("v%d: Proof(%x): %v", c.version, key, err)
			}
			if !ics23.VerifyMembership(ics23.IavlSpec, root, proof, key, v) {
				t.Fatalf("v%d: membership proof of %x=%x does not verify", c.version, key, v)
			}
			if ics23.VerifyMembership(ics23.IavlSpec, root, proof, key, append(bytes.Clone(v), 0)) {
				t.Fatalf("v%d: membership proof of %x verifies a wrong value", c.version, key)
			}
			if ics23.VerifyNonMembership(ics23.IavlSpec, root, proof, key) {
				t.Fatalf("v%d: a membership proof of %x verifies absence", c.version, key)
			}
		}
		// Absent keys, including below the first and above the last key.
		absent := [][]byte{{0x00, 0x00, 0x00, 0x00}, {0xff, 0xff, 0xff, 0xff}, []byte("absent")}
		for range 100 {
			absent = append(absent, randKey(r))
		}
		for _, key := range absent {
			if _, present := c.m[string(key)]; present {
				continue
			}
			proof, err := s.Proof(key)
			if err != nil {
				t.Fatalf("v%d: Proof(absent %x): %v", c.version, key, err)
			}
			if !ics23.VerifyNonMembership(ics23.IavlSpec, root, proof, key) {
				t.Fatalf("v%d: non-membership proof of %x does not verify", c.version, key)
			}
			if ics23.VerifyMembership(ics23.IavlSpec, root, proof, key, []byte{1}) {
				t.Fatalf("v%d: a non-membership proof of %x verifies presence", c.version, key)
			}
		}
	}

	// A proof is bound to its root: an old proof of a changed key does not
	// verify against the new hash.
	s1, _ := tr.At(1)
	s2, _ := tr.At(v2)
	for k, v := range old {
		if nv, ok := m[k]; ok && !bytes.Equal(nv, v) {
			proof, _ := s1.Proof([]byte(k))
			if ics23.VerifyMembership(ics23.IavlSpec, s2.Hash(), proof, []byte(k), v) {
				t.Fatalf("proof of the old value of %x verifies against the new root", k)
			}
			return
		}
	}
	t.Fatalf("no key changed between versions; the seed makes a useless test")
}

// TestEmptyValueRejected: ICS23 leaf operations refuse empty values ("leaf
// op needs value"), so a key stored with an empty value could never be
// proven present, nor a neighbouring key absent. The store therefore
// refuses empty values outright, on every layer.
func TestEmptyValueRejected(t *testing.T) {
	tr := memTree(t)
	mustPanic(t, "Tree.Set(empty)", func() { tr.Set([]byte("b"), []byte{}) })
	mustPanic(t, "Tree.Set(nil)", func() { tr.Set([]byte("b"), nil) })
	b := store.NewBranch(tr)
	mustPanic(t, "Branch.Set(empty)", func() { b.Set([]byte("b"), []byte{}) })
	p := store.NewPrefix(tr, []byte{7})
	mustPanic(t, "Prefix.Set(empty)", func() { p.Set([]byte("b"), nil) })
	tr.Set([]byte("b"), store.Marker)
	_, v, _ := tr.Commit()
	s, _ := tr.At(v)
	proof, err := s.Proof([]byte("b"))
	if err != nil {
		t.Fatal(err)
	}
	if !ics23.VerifyMembership(ics23.IavlSpec, s.Hash(), proof, []byte("b"), store.Marker) {
		t.Fatal("a marker value must be provable")
	}
}

// TestTreeReopen: a tree reopened from disk resumes at its last committed
// version with the same hash and state, and has lost uncommitted writes.
func TestTreeReopen(t *testing.T) {
	// goleveldb with the node's own settings (server.LevelDBOptions) too.
	tuned := testOptions()
	tuned.LevelDB = &opt.Options{WriteBuffer: 32 * opt.MiB, Filter: filter.NewBloomFilter(10), DisableSeeksCompaction: true}
	for _, c := range []struct {
		name, backend string
		opts          store.Options
	}{{"goleveldb", "goleveldb", testOptions()}, {"goleveldb-options", "goleveldb", tuned}, {"pebbledb", "pebbledb", testOptions()}} {
		backend := c.backend
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(9, 9))
			dir := t.TempDir()
			tr, err := store.Open(dir, backend, c.opts)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			m := model{}
			models := map[int64]model{}
			var hash []byte
			for v := int64(1); v <= 3; v++ {
				populate(r, tr, m, 100)
				hash, _, err = tr.Commit()
				if err != nil {
					t.Fatal(err)
				}
				models[v] = maps.Clone(m)
			}
			tr.Set([]byte("uncommitted"), []byte("lost"))
			tr.Delete([]byte(firstKey(m)))
			if err := tr.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}

			tr, err = store.Open(dir, backend, c.opts)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			defer tr.Close()
			if tr.Version() != 3 || !bytes.Equal(tr.Hash(), hash) || !bytes.Equal(tr.WorkingHash(), hash) {
				t.Fatalf("reopened at version %d hash %x (working %x), want 3 %x", tr.Version(), tr.Hash(), tr.WorkingHash(), hash)
			}
			if tr.Has([]byte("uncommitted")) {
				t.Fatalf("an uncommitted write survived the restart")
			}
			checkAll(t, "reopened tree", tr, models[3])
			for v := int64(1); v <= 3; v++ {
				s, err := tr.At(v)
				if err != nil {
					t.Fatalf("At(%d) after reopen: %v", v, err)
				}
				checkAll(t, fmt.Sprintf("snapshot %d after reopen", v), s, models[v])
			}
			// And it carries on.
			populate(r, tr, m, 20)
			if _, v, err := tr.Commit(); err != nil || v != 4 {
				t.Fatalf("commit after reopen: version %d, %v", v, err)
			}
			checkAll(t, "after the next commit", tr, m)
		})
	}
}

func firstKey(m model) string {
	return slices.Min(slices.Collect(maps.Keys(m)))
}

// TestTreeIterationAcrossCommits checks the tree's own iterators (the last
// committed version merged with the working writes) against the model
// through several commits and a rollback, with and without uncommitted
// writes, from the empty tree on.
func TestTreeIterationAcrossCommits(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		r := rand.New(rand.NewPCG(seed, 0x7ee))
		tr := memTree(t)
		committed := model{}
		for round := range 6 {
			working := maps.Clone(committed)
			populate(r, tr, working, 60)
			label := fmt.Sprintf("seed %d round %d, uncommitted", seed, round)
			checkAll(t, label, tr, working)
			for range 10 {
				checkRange(t, label, tr, working, randBound(r), randBound(r))
			}
			if round == 3 {
				tr.Rollback()
				checkAll(t, label+", rolled back", tr, committed)
				continue
			}
			if _, _, err := tr.Commit(); err != nil {
				t.Fatal(err)
			}
			committed = working
			checkAll(t, fmt.Sprintf("seed %d round %d, committed", seed, round), tr, committed)
		}
	}
}
