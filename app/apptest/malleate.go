package apptest

import (
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/tx"
)

// WithSig returns the signed tx raw with its signature changed by edit.
func WithSig(t testing.TB, raw []byte, edit func(sig []byte) []byte) []byte {
	t.Helper()
	var x tx.Tx
	if err := proto.Unmarshal(raw, &x); err != nil {
		t.Fatalf("decode tx: %v", err)
	}
	x.Signature = edit(slices.Clone(x.Signature))
	out, err := proto.Marshal(&x)
	if err != nil {
		t.Fatalf("encode tx: %v", err)
	}
	return out
}

// HighSTwin turns a signature (r, s, v) into its twin (r, n-s, 1-v), which
// recovers the same key: the malleated form the app must refuse.
func HighSTwin(sig []byte) []byte {
	n := crypto.S256().Params().N
	s := new(big.Int).Sub(n, new(big.Int).SetBytes(sig[32:64]))
	s.FillBytes(sig[32:64])
	sig[64] ^= 1
	return sig
}
