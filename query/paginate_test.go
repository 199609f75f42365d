package query_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
)

// prefix is the listed range; neighbours sit just outside it on both sides.
var prefix = []byte{'p', 0xff}

// fixture holds n keys under prefix (suffixes in ascending order) and keys
// just outside it, in a branch over an IAVL tree with part of its state
// committed.
func fixture(t *testing.T, n int) (store.KV, [][]byte) {
	t.Helper()
	tr, err := store.OpenDB(dbm.NewMemDB(), store.Options{CacheSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Close() })
	for _, k := range [][]byte{{'p'}, {'p', 0xfe, 0xff}, {'q'}, {'q', 0x00}, {'o', 0xff, 0xff}} {
		tr.Set(k, []byte("outside"))
	}
	suffixes := make([][]byte, n)
	for i := range suffixes {
		// Big-endian so byte order is numeric order; some end in 0xff.
		suffixes[i] = []byte{byte(i >> 8), byte(i), 0xff - byte(i%2)}
	}
	for i, s := range suffixes[:n/2] {
		tr.Set(store.Concat(prefix, s), []byte(fmt.Sprint(i)))
	}
	if _, _, err := tr.Commit(); err != nil {
		t.Fatal(err)
	}
	b := store.NewBranch(tr)
	for i, s := range suffixes[n/2:] {
		b.Set(store.Concat(prefix, s), []byte(fmt.Sprint(n/2+i)))
	}
	return b, suffixes
}

// walk pages through prefix with the given limit and returns the keys seen,
// page by page.
func walk(t *testing.T, kv store.KV, limit uint32) [][][]byte {
	t.Helper()
	var pages [][][]byte
	req := &query.PageRequest{Limit: limit}
	for {
		var page [][]byte
		resp, err := query.Paginate(kv, prefix, req, func(k, v []byte) error {
			page = append(page, bytes.Clone(k))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page)
		if len(resp.GetNextKey()) == 0 {
			return pages
		}
		if len(pages) > 10_000 {
			t.Fatalf("pagination does not terminate")
		}
		req = &query.PageRequest{Key: resp.GetNextKey(), Limit: limit}
	}
}

func TestPaginateCoversEveryKeyOnce(t *testing.T) {
	const n = 53
	kv, suffixes := fixture(t, n)
	for _, limit := range []uint32{1, 2, 3, 7, 26, n - 1, n, n + 1, 500} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) {
			pages := walk(t, kv, limit)
			var all [][]byte
			for i, p := range pages {
				if len(p) > int(limit) {
					t.Fatalf("page %d has %d keys, limit %d", i, len(p), limit)
				}
				if len(p) == 0 {
					t.Fatalf("page %d is empty", i) // no trailing empty page when n%limit == 0
				}
				if i < len(pages)-1 && len(p) != int(limit) {
					t.Fatalf("page %d of %d is short: %d keys", i, len(pages), len(p))
				}
				all = append(all, p...)
			}
			if want := (n + int(limit) - 1) / int(limit); len(pages) != want {
				t.Errorf("%d pages, want %d", len(pages), want)
			}
			if len(all) != n {
				t.Fatalf("saw %d keys, want %d", len(all), n)
			}
			for i := range all {
				if !bytes.Equal(all[i], suffixes[i]) {
					t.Fatalf("key %d is %x, want %x (keys must be prefix-relative, in order, once)", i, all[i], suffixes[i])
				}
			}
		})
	}
}

func TestPaginateValues(t *testing.T) {
	kv, _ := fixture(t, 5)
	var vals []string
	if _, err := query.Paginate(kv, prefix, nil, func(_, v []byte) error {
		vals = append(vals, string(v))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(vals) != "[0 1 2 3 4]" {
		t.Fatalf("values %v", vals)
	}
}

func TestLimit(t *testing.T) {
	tests := []struct {
		req  *query.PageRequest
		want int
	}{
		{nil, query.DefaultLimit},
		{&query.PageRequest{}, query.DefaultLimit},
		{&query.PageRequest{Limit: 1}, 1},
		{&query.PageRequest{Limit: query.MaxLimit}, query.MaxLimit},
		{&query.PageRequest{Limit: query.MaxLimit + 1}, query.MaxLimit},
		{&query.PageRequest{Limit: math.MaxInt32 + 1}, query.MaxLimit},
		{&query.PageRequest{Limit: math.MaxUint32}, query.MaxLimit},
	}
	for _, tc := range tests {
		if got := query.Limit(tc.req); got != tc.want {
			t.Errorf("Limit(%v) = %d, want %d", tc.req, got, tc.want)
		}
	}
}

func TestPaginateLimits(t *testing.T) {
	kv, _ := fixture(t, query.MaxLimit+50)
	count := func(req *query.PageRequest) (int, []byte) {
		n := 0
		resp, err := query.Paginate(kv, prefix, req, func(_, _ []byte) error { n++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return n, resp.GetNextKey()
	}
	if n, next := count(&query.PageRequest{}); n != query.DefaultLimit || next == nil {
		t.Errorf("limit 0: %d keys (next %x), want the default %d and a next page", n, next, query.DefaultLimit)
	}
	if n, next := count(nil); n != query.DefaultLimit || next == nil {
		t.Errorf("nil request: %d keys (next %x), want %d", n, next, query.DefaultLimit)
	}
	for _, limit := range []uint32{query.MaxLimit + 1, 5000, math.MaxUint32} {
		if n, next := count(&query.PageRequest{Limit: limit}); n != query.MaxLimit || next == nil {
			t.Errorf("limit %d: %d keys (next %x), want the cap %d", limit, n, next, query.MaxLimit)
		}
	}
}

func TestPaginateEmptyRange(t *testing.T) {
	kv, _ := fixture(t, 0) // only keys outside the prefix
	for _, req := range []*query.PageRequest{nil, {Limit: 1}, {Key: []byte{0x00}}, {Key: []byte{0xff, 0xff}}} {
		resp, err := query.Paginate(kv, prefix, req, func(k, _ []byte) error {
			t.Fatalf("visited %x in an empty range", k)
			return nil
		})
		if err != nil || resp == nil || resp.GetNextKey() != nil {
			t.Fatalf("request %v: resp %v, err %v; want an empty last page", req, resp, err)
		}
	}
	// A start key past the last key is an empty range too.
	kv, _ = fixture(t, 10)
	resp, err := query.Paginate(kv, prefix, &query.PageRequest{Key: []byte{0xff}}, func(k, _ []byte) error {
		t.Fatalf("visited %x after the last key", k)
		return nil
	})
	if err != nil || resp.GetNextKey() != nil {
		t.Fatalf("resp %v, err %v", resp, err)
	}
}

func TestPaginateAllFFPrefix(t *testing.T) {
	// PrefixEnd of an all-0xff prefix is nil: the range runs to the end.
	tr, err := store.OpenDB(dbm.NewMemDB(), store.Options{CacheSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	tr.Set([]byte{0xfe, 0xff}, []byte("outside"))
	tr.Set([]byte{0xff, 0x01}, []byte("a"))
	tr.Set([]byte{0xff, 0xff, 0xff}, []byte("b"))
	var keys [][]byte
	if _, err := query.Paginate(tr, []byte{0xff}, nil, func(k, _ []byte) error {
		keys = append(keys, bytes.Clone(k))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%x", keys) != "[01 ffff]" {
		t.Fatalf("keys %x", keys)
	}
}

func TestPaginateVisitError(t *testing.T) {
	kv, _ := fixture(t, 10)
	stop := errors.New("stop")
	n := 0
	resp, err := query.Paginate(kv, prefix, nil, func(_, _ []byte) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || resp != nil || n != 3 {
		t.Fatalf("resp %v, err %v after %d visits; want the visitor's error at once", resp, err, n)
	}
}
