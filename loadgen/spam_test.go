package loadgen

import (
	"crypto/ecdsa"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/tx"
)

// TestSpamTxsFailTheirSignatureCheck: every kind of spam tx is a
// well-formed envelope that the node's own checks refuse for its
// signature, and no two are alike.
func TestSpamTxsFailTheirSignatureCheck(t *testing.T) {
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	s := &spammer{chainID: "spam-chain", keys: []*ecdsa.PrivateKey{other}, start: time.Now(),
		c: SpamConfig{Signers: []string{address.FromKey(k)}}}
	want := map[string][]error{
		SpamOtherKey:  {tx.ErrWrongSigner},
		SpamHighS:     {tx.ErrHighS},
		SpamTruncated: {tx.ErrBadSignature},
		SpamGarbage:   {tx.ErrWrongSigner, tx.ErrBadSignature},
		SpamBadV:      {tx.ErrBadSignature},
	}
	seen := map[string]bool{}
	for seq := range 50 {
		kind := SpamKinds[seq%len(SpamKinds)]
		raw, err := s.badTx(kind, seq)
		if err != nil {
			t.Fatal(err)
		}
		if seen[string(raw)] {
			t.Fatalf("%s tx %d repeats an earlier one", kind, seq)
		}
		seen[string(raw)] = true
		d, err := tx.Decode("spam-chain", raw)
		if err == nil {
			_, err = tx.RecoverSigner(d)
		}
		ok := false
		for _, w := range want[kind] {
			ok = ok || errors.Is(err, w)
		}
		if !ok {
			t.Errorf("%s tx %d: %v, want one of %v", kind, seq, err, want[kind])
		}
	}
}
