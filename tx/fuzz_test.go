package tx_test

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/tx"
)

// FuzzDecode feeds arbitrary bytes to Decode and, when it accepts them, to
// RecoverSigner. Neither may panic, every rejection must be a registered
// envelope error, and whatever is accepted must satisfy the envelope's
// invariants.
func FuzzDecode(f *testing.F) {
	alice, bob := testKey(f, "alice"), testKey(f, "bob")
	valid := mustSign(f, alice, typicalBody(alice))
	many := typicalBody(alice)
	many.Messages = msgs(tx.MaxMessages)
	wrongSigner := typicalBody(alice)
	wrongSigner.Signer = address.FromKey(bob)

	f.Add(valid)
	f.Add(mustSign(f, alice, many))
	f.Add(mustSign(f, alice, wrongSigner))
	f.Add(mustSign(f, bob, typicalBody(bob)))
	f.Add(withSignature(f, valid, highSTwin))
	f.Add(appendUnknown(valid))
	f.Add(signBytes(f, alice, testChain, appendUnknown(mustMarshal(f, typicalBody(alice)))))
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x00, 0x12, 0x00})

	envelopeErrs := []*errs.Error{
		tx.ErrTooLarge, tx.ErrMalformed, tx.ErrUnknownField, tx.ErrBadSignature, tx.ErrHighS,
		tx.ErrWrongSigner, tx.ErrWrongChain, tx.ErrNoMessages, tx.ErrTooManyMessages,
		tx.ErrMemoTooLong,
	}
	checkErr := func(t *testing.T, stage string, err error) {
		t.Helper()
		for _, e := range envelopeErrs {
			if errors.Is(err, e) {
				return
			}
		}
		t.Fatalf("%s returned an unregistered error: %v", stage, err)
	}

	f.Fuzz(func(t *testing.T, raw []byte) {
		in := bytes.Clone(raw)
		d, err := tx.Decode(testChain, raw)
		if !bytes.Equal(in, raw) {
			t.Fatalf("Decode modified its input")
		}
		if err != nil {
			if d != nil {
				t.Fatalf("Decode returned a tx with error %v", err)
			}
			checkErr(t, "Decode", err)
			return
		}

		if len(raw) > tx.MaxTxBytes {
			t.Fatalf("accepted a %d-byte tx", len(raw))
		}
		// The accepted bytes are the canonical encoding: no second encoding
		// (and so no second tx id) of the same signed content exists.
		if re, err := proto.Marshal(d.Tx); err != nil || !bytes.Equal(re, raw) {
			t.Fatalf("accepted bytes are not the canonical re-encoding (err %v)", err)
		}
		var body tx.TxBody
		if err := proto.Unmarshal(d.Tx.BodyBytes, &body); err != nil || !proto.Equal(&body, d.Body) {
			t.Fatalf("decoded body does not match body_bytes (err %v)", err)
		}
		if n := len(d.Body.Messages); n < 1 || n > tx.MaxMessages {
			t.Fatalf("accepted %d messages", n)
		}
		for i, m := range d.Body.Messages {
			if m.GetSum() == nil {
				t.Fatalf("accepted empty message %d", i)
			}
		}
		if d.Body.ChainId != testChain {
			t.Fatalf("accepted chain id %q", d.Body.ChainId)
		}
		if len(d.Body.Memo) > tx.MaxMemoBytes {
			t.Fatalf("accepted a %d-byte memo", len(d.Body.Memo))
		}
		if len(d.Tx.Signature) != tx.SignatureLen {
			t.Fatalf("accepted a %d-byte signature", len(d.Tx.Signature))
		}
		want, err := address.Parse(d.Body.Signer)
		if err != nil {
			t.Fatalf("accepted signer %q: %v", d.Body.Signer, err)
		}

		got, err := tx.RecoverSigner(d)
		if err != nil {
			checkErr(t, "RecoverSigner", err)
			return
		}
		if got != want {
			t.Fatalf("recovered %s for signer %s", got.Hex(), want.Hex())
		}
		if s := new(big.Int).SetBytes(d.Tx.Signature[32:64]); s.Cmp(secpHalfN) > 0 {
			t.Fatalf("accepted a high-S signature")
		}
		if v := d.Tx.Signature[64]; v > 1 {
			t.Fatalf("accepted v = %d", v)
		}
	})
}
