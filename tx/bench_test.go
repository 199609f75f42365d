package tx_test

import (
	"testing"

	"github.com/datarights/datarights/tx"
)

// BenchmarkDecodeVerify is the per-tx stateless cost of CheckTx and of a
// block's verification: decode a typical one-message tx and recover its
// signer.
func BenchmarkDecodeVerify(b *testing.B) {
	key := testKey(b, "alice")
	raw := mustSign(b, key, typicalBody(key))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := tx.Decode(testChain, raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.RecoverSigner(d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode is the decode half of BenchmarkDecodeVerify alone, to show
// how little of it is not signature recovery.
func BenchmarkDecode(b *testing.B) {
	key := testKey(b, "alice")
	raw := mustSign(b, key, typicalBody(key))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tx.Decode(testChain, raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSign is the client's cost to encode and sign a typical tx.
func BenchmarkSign(b *testing.B) {
	key := testKey(b, "alice")
	body := typicalBody(key)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tx.Sign(key, body); err != nil {
			b.Fatal(err)
		}
	}
}
