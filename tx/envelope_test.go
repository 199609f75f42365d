package tx_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

const testChain = "datarights-test-1"

// testKey derives a deterministic key from a label, so that failures are
// reproducible.
func testKey(tb testing.TB, label string) *ecdsa.PrivateKey {
	tb.Helper()
	seed := sha256.Sum256([]byte("datarights tx test key: " + label))
	k, err := crypto.ToECDSA(seed[:])
	if err != nil {
		tb.Fatalf("derive key %q: %v", label, err)
	}
	return k
}

// registerMsg is a typical message: what a department sends most often.
func registerMsg(i int) *tx.Msg {
	return &tx.Msg{Sum: &tx.Msg_RegisterParty{RegisterParty: &idtypes.MsgRegisterParty{
		Address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		Name:    "Example Data Co. " + strings.Repeat("x", i%8),
		Kind:    idtypes.PartyKind_PARTY_KIND_ENTERPRISE,
		OrgCode: "91350100M000100Y43",
	}}}
}

func msgs(n int) []*tx.Msg {
	out := make([]*tx.Msg, n)
	for i := range out {
		out[i] = registerMsg(i)
	}
	return out
}

// typicalBody is a one-message body signed by key for testChain.
func typicalBody(key *ecdsa.PrivateKey) *tx.TxBody {
	return &tx.TxBody{
		ChainId:  testChain,
		Signer:   address.FromKey(key),
		Nonce:    7,
		Messages: msgs(1),
		Memo:     "ticket #42",
	}
}

func mustSign(tb testing.TB, key *ecdsa.PrivateKey, body *tx.TxBody) []byte {
	tb.Helper()
	raw, err := tx.Sign(key, body)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return raw
}

func mustMarshal(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatalf("marshal %T: %v", m, err)
	}
	return b
}

// signBytes signs arbitrary body bytes for chainID, for bodies that
// tx.Sign cannot produce (unknown fields, hand-made encodings).
func signBytes(tb testing.TB, key *ecdsa.PrivateKey, chainID string, bodyBytes []byte) []byte {
	tb.Helper()
	sig, err := crypto.Sign(tx.SignHash(chainID, bodyBytes), key)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return mustMarshal(tb, &tx.Tx{BodyBytes: bodyBytes, Signature: sig})
}

// withSignature returns raw with its signature replaced by edit(signature).
func withSignature(tb testing.TB, raw []byte, edit func(sig []byte) []byte) []byte {
	tb.Helper()
	var t tx.Tx
	if err := proto.Unmarshal(raw, &t); err != nil {
		tb.Fatalf("unmarshal tx: %v", err)
	}
	t.Signature = edit(bytes.Clone(t.Signature))
	return mustMarshal(tb, &t)
}

// appendUnknown appends an unknown varint field (number 999) to an encoded
// message: a field some future (or hostile) encoder might add.
func appendUnknown(b []byte) []byte {
	b = bytes.Clone(b)
	b = protowire.AppendTag(b, 999, protowire.VarintType)
	return protowire.AppendVarint(b, 1)
}

var (
	secpN     = crypto.S256().Params().N
	secpHalfN = new(big.Int).Rsh(secpN, 1)
)

// highSTwin is the other valid signature of the same message by the same
// key: (r, N-s) with the recovery id flipped.
func highSTwin(sig []byte) []byte {
	out := bytes.Clone(sig)
	s := new(big.Int).SetBytes(sig[32:64])
	new(big.Int).Sub(secpN, s).FillBytes(out[32:64])
	out[64] ^= 1
	return out
}

func TestSignDecodeRecoverRoundTrip(t *testing.T) {
	key := testKey(t, "alice")
	for _, n := range []int{1, 2, tx.MaxMessages} {
		body := typicalBody(key)
		body.Messages = msgs(n)
		raw := mustSign(t, key, body)

		d, err := tx.Decode(testChain, raw)
		if err != nil {
			t.Fatalf("%d messages: decode: %v", n, err)
		}
		if !bytes.Equal(d.Raw, raw) {
			t.Errorf("Decoded.Raw is not the input")
		}
		if !proto.Equal(d.Body, body) {
			t.Errorf("decoded body differs:\n got %v\nwant %v", d.Body, body)
		}
		if len(d.Tx.Signature) != tx.SignatureLen {
			t.Errorf("signature is %d bytes", len(d.Tx.Signature))
		}
		got, err := tx.RecoverSigner(d)
		if err != nil {
			t.Fatalf("%d messages: recover: %v", n, err)
		}
		if got != crypto.PubkeyToAddress(key.PublicKey) || got.Hex() != body.Signer {
			t.Errorf("recovered %s, want %s", got.Hex(), body.Signer)
		}
	}

	// Signing is deterministic (RFC 6979), so the tx id of a body is stable.
	a, b := mustSign(t, key, typicalBody(key)), mustSign(t, key, typicalBody(key))
	if !bytes.Equal(a, b) {
		t.Errorf("signing the same body twice gave different txs")
	}
	// A signer spelled in lower case is the same address.
	lower := typicalBody(key)
	lower.Signer = strings.ToLower(lower.Signer)
	d, err := tx.Decode(testChain, mustSign(t, key, lower))
	if err != nil {
		t.Fatalf("lower-case signer: decode: %v", err)
	}
	if got, err := tx.RecoverSigner(d); err != nil || got.Hex() != address.FromKey(key) {
		t.Errorf("lower-case signer: recover = %s, %v", got.Hex(), err)
	}
}

func TestHash(t *testing.T) {
	raw := mustSign(t, testKey(t, "alice"), typicalBody(testKey(t, "alice")))
	want := sha256.Sum256(raw)
	if got := tx.Hash(raw); !bytes.Equal(got, want[:]) {
		t.Errorf("Hash = %x, want sha256 of the tx bytes %x", got, want)
	}
}

// TestDecodeAndVerify runs every rejection through Decode and, when Decode
// accepts, RecoverSigner. Each case names the registered error it expects
// and the stage that must produce it.
func TestDecodeAndVerify(t *testing.T) {
	alice, bob := testKey(t, "alice"), testKey(t, "bob")
	valid := mustSign(t, alice, typicalBody(alice))

	body := func(edit func(b *tx.TxBody)) *tx.TxBody {
		b := typicalBody(alice)
		edit(b)
		return b
	}
	signed := func(edit func(b *tx.TxBody)) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return mustSign(t, alice, body(edit)) }
	}
	sigEdit := func(edit func(sig []byte) []byte) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return withSignature(t, valid, edit) }
	}
	// bodyWithRawMessage is a valid body whose single message is the given
	// encoded Msg, appended as field 4 by hand.
	bodyWithRawMessage := func(t *testing.T, msg []byte) []byte {
		b := body(func(b *tx.TxBody) { b.Messages = nil })
		out := mustMarshal(t, b)
		out = protowire.AppendTag(out, 4, protowire.BytesType)
		return protowire.AppendBytes(out, msg)
	}

	tests := []struct {
		name        string
		chain       string // defaults to testChain
		build       func(t *testing.T) []byte
		wantDecode  error // nil: Decode must succeed
		wantRecover error // nil: RecoverSigner must succeed (only if Decode did)
	}{
		{name: "valid", build: func(*testing.T) []byte { return valid }},
		{
			name:       "wrong chain id",
			chain:      "datarights-other",
			build:      func(*testing.T) []byte { return valid },
			wantDecode: tx.ErrWrongChain,
		},
		{
			name:       "empty chain id in body",
			build:      signed(func(b *tx.TxBody) { b.ChainId = "" }),
			wantDecode: tx.ErrWrongChain,
		},
		{
			name:        "body names another signer",
			build:       signed(func(b *tx.TxBody) { b.Signer = address.FromKey(bob) }),
			wantRecover: tx.ErrWrongSigner,
		},
		{
			// The chain id is in the signed hash, not only in the body: a
			// signature made for another chain recovers to some other key.
			name: "signed for another chain id",
			build: func(t *testing.T) []byte {
				return signBytes(t, alice, "datarights-other", mustMarshal(t, typicalBody(alice)))
			},
			wantRecover: tx.ErrWrongSigner,
		},
		{
			name:        "high-S twin of a valid signature",
			build:       sigEdit(highSTwin),
			wantRecover: tx.ErrHighS,
		},
		{
			name:        "v = 2",
			build:       sigEdit(func(s []byte) []byte { s[64] = 2; return s }),
			wantRecover: tx.ErrBadSignature,
		},
		{
			name:        "v = 27 (Ethereum legacy encoding)",
			build:       sigEdit(func(s []byte) []byte { s[64] += 27; return s }),
			wantRecover: tx.ErrBadSignature,
		},
		{
			name:        "r = 0",
			build:       sigEdit(func(s []byte) []byte { clear(s[:32]); return s }),
			wantRecover: tx.ErrBadSignature,
		},
		{
			name:        "s = 0",
			build:       sigEdit(func(s []byte) []byte { clear(s[32:64]); return s }),
			wantRecover: tx.ErrBadSignature,
		},
		{
			name: "r = N",
			build: sigEdit(func(s []byte) []byte {
				secpN.FillBytes(s[:32])
				return s
			}),
			wantRecover: tx.ErrBadSignature,
		},
		{
			name:        "flipped bit in r",
			build:       sigEdit(func(s []byte) []byte { s[5] ^= 0x10; return s }),
			wantRecover: errAnyOf{tx.ErrWrongSigner, tx.ErrBadSignature},
		},
		{
			name:       "signature 64 bytes",
			build:      sigEdit(func(s []byte) []byte { return s[:64] }),
			wantDecode: tx.ErrBadSignature,
		},
		{
			name:       "signature 66 bytes",
			build:      sigEdit(func(s []byte) []byte { return append(s, 0) }),
			wantDecode: tx.ErrBadSignature,
		},
		{
			name:       "no signature",
			build:      sigEdit(func([]byte) []byte { return nil }),
			wantDecode: tx.ErrBadSignature,
		},
		{
			name:       "empty input",
			build:      func(*testing.T) []byte { return nil },
			wantDecode: tx.ErrBadSignature,
		},
		{
			name:       "oversize tx",
			build:      func(t *testing.T) []byte { return sizedTx(t, alice, tx.MaxTxBytes+1) },
			wantDecode: tx.ErrTooLarge,
		},
		{
			name:       "oversize garbage is rejected for size before parsing",
			build:      func(*testing.T) []byte { return bytes.Repeat([]byte{0xff}, tx.MaxTxBytes+1) },
			wantDecode: tx.ErrTooLarge,
		},
		{
			name:  "exactly MaxTxBytes",
			build: func(t *testing.T) []byte { return sizedTx(t, alice, tx.MaxTxBytes) },
		},
		{
			name:       "no messages",
			build:      signed(func(b *tx.TxBody) { b.Messages = nil }),
			wantDecode: tx.ErrNoMessages,
		},
		{
			name:  "MaxMessages messages",
			build: signed(func(b *tx.TxBody) { b.Messages = msgs(tx.MaxMessages) }),
		},
		{
			name:       "too many messages",
			build:      signed(func(b *tx.TxBody) { b.Messages = msgs(tx.MaxMessages + 1) }),
			wantDecode: tx.ErrTooManyMessages,
		},
		{
			name:  "memo of MaxMemoBytes",
			build: signed(func(b *tx.TxBody) { b.Memo = strings.Repeat("m", tx.MaxMemoBytes) }),
		},
		{
			name:       "memo too long",
			build:      signed(func(b *tx.TxBody) { b.Memo = strings.Repeat("m", tx.MaxMemoBytes+1) }),
			wantDecode: tx.ErrMemoTooLong,
		},
		{
			// The limit is in bytes: 86 three-byte runes are 258 bytes.
			name:       "memo too long in bytes, not runes",
			build:      signed(func(b *tx.TxBody) { b.Memo = strings.Repeat("数", 86) }),
			wantDecode: tx.ErrMemoTooLong,
		},
		{
			name:       "unknown field in Tx",
			build:      func(*testing.T) []byte { return appendUnknown(valid) },
			wantDecode: tx.ErrUnknownField,
		},
		{
			name: "unknown field in TxBody",
			build: func(t *testing.T) []byte {
				return signBytes(t, alice, testChain, appendUnknown(mustMarshal(t, typicalBody(alice))))
			},
			wantDecode: tx.ErrUnknownField,
		},
		{
			name: "unknown field in Msg",
			build: func(t *testing.T) []byte {
				msg := appendUnknown(mustMarshal(t, registerMsg(0)))
				return signBytes(t, alice, testChain, bodyWithRawMessage(t, msg))
			},
			wantDecode: tx.ErrUnknownField,
		},
		{
			name: "unknown field inside the message in a Msg's oneof",
			build: func(t *testing.T) []byte {
				inner := appendUnknown(mustMarshal(t, registerMsg(0).GetRegisterParty()))
				msg := protowire.AppendTag(nil, 1, protowire.BytesType) // Msg.register_party
				msg = protowire.AppendBytes(msg, inner)
				return signBytes(t, alice, testChain, bodyWithRawMessage(t, msg))
			},
			wantDecode: tx.ErrUnknownField,
		},
		{
			name: "unknown field in the second of two messages",
			build: func(t *testing.T) []byte {
				b := body(func(b *tx.TxBody) {})
				out := mustMarshal(t, b)
				out = protowire.AppendTag(out, 4, protowire.BytesType)
				out = protowire.AppendBytes(out, appendUnknown(mustMarshal(t, registerMsg(1))))
				return signBytes(t, alice, testChain, out)
			},
			wantDecode: tx.ErrUnknownField,
		},
		{
			name:       "garbage bytes",
			build:      func(*testing.T) []byte { return []byte{0xff, 0xff, 0xff, 0xff} },
			wantDecode: tx.ErrMalformed,
		},
		{
			name:       "truncated tx",
			build:      func(*testing.T) []byte { return valid[:len(valid)-10] },
			wantDecode: tx.ErrMalformed,
		},
		{
			name: "garbage body bytes",
			build: func(t *testing.T) []byte {
				return signBytes(t, alice, testChain, []byte{0x0a, 0x7f, 0x01})
			},
			wantDecode: tx.ErrMalformed,
		},
		{
			name: "invalid UTF-8 in a string field",
			build: func(t *testing.T) []byte {
				b := mustMarshal(t, body(func(b *tx.TxBody) { b.Memo = "" }))
				b = protowire.AppendTag(b, 5, protowire.BytesType) // memo
				b = protowire.AppendBytes(b, []byte{0xc3, 0x28})
				return signBytes(t, alice, testChain, b)
			},
			wantDecode: tx.ErrMalformed,
		},
		{
			name:       "message with no oneof set",
			build:      signed(func(b *tx.TxBody) { b.Messages = append(b.Messages, &tx.Msg{}) }),
			wantDecode: tx.ErrMalformed,
		},
		{
			name:       "signer is not an address",
			build:      signed(func(b *tx.TxBody) { b.Signer = "alice" }),
			wantDecode: tx.ErrMalformed,
		},
		{
			name:       "signer empty",
			build:      signed(func(b *tx.TxBody) { b.Signer = "" }),
			wantDecode: tx.ErrMalformed,
		},
		{
			name:       "signer is the zero address",
			build:      signed(func(b *tx.TxBody) { b.Signer = "0x0000000000000000000000000000000000000000" }),
			wantDecode: tx.ErrMalformed,
		},
		{
			name: "signer with a bad EIP-55 checksum",
			build: signed(func(b *tx.TxBody) {
				b.Signer = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD" // last letter's case flipped
			}),
			wantDecode: tx.ErrMalformed,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chain := tc.chain
			if chain == "" {
				chain = testChain
			}
			raw := tc.build(t)
			d, err := tx.Decode(chain, raw)
			if tc.wantDecode != nil {
				if !errors.Is(err, tc.wantDecode) {
					t.Fatalf("Decode error = %v, want %v", err, tc.wantDecode)
				}
				if d != nil {
					t.Errorf("Decode returned a tx with its error")
				}
				assertRegistered(t, err)
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			addr, err := tx.RecoverSigner(d)
			if tc.wantRecover != nil {
				if !isErr(err, tc.wantRecover) {
					t.Fatalf("RecoverSigner error = %v, want %v", err, tc.wantRecover)
				}
				assertRegistered(t, err)
				return
			}
			if err != nil {
				t.Fatalf("RecoverSigner: %v", err)
			}
			if addr.Hex() != address.FromKey(alice) {
				t.Errorf("recovered %s, want %s", addr.Hex(), address.FromKey(alice))
			}
		})
	}
}

// errAnyOf stands for any of its errors in a test table: a flipped bit in r
// may land on an x coordinate with no curve point (bad signature) or recover
// some unrelated key (wrong signer).
type errAnyOf []error

func (e errAnyOf) Error() string { return fmt.Sprint([]error(e)) }

// isErr is errors.Is(err, want), where want may be an errAnyOf.
func isErr(err, want error) bool {
	if set, ok := want.(errAnyOf); ok {
		for _, w := range set {
			if errors.Is(err, w) {
				return true
			}
		}
		return false
	}
	return errors.Is(err, want)
}

// assertRegistered checks that an envelope rejection maps to its own ABCI
// code rather than the internal one, so clients can tell rejections apart.
func assertRegistered(t *testing.T, err error) {
	t.Helper()
	space, code, log := errs.ABCIInfo(err)
	if space != tx.Codespace || code == errs.CodeInternal {
		t.Errorf("error %q maps to ABCI (%s, %d), want a registered %q error", err, space, code, tx.Codespace)
	}
	if log != err.Error() {
		t.Errorf("ABCI log %q, want the error text %q", log, err.Error())
	}
}

// sizedTx returns a signed, otherwise valid tx of exactly n encoded bytes,
// padding a message's name.
func sizedTx(t *testing.T, key *ecdsa.PrivateKey, n int) []byte {
	t.Helper()
	b := typicalBody(key)
	reg := b.Messages[0].GetRegisterParty()
	base := len(mustSign(t, key, b))
	// The varint lengths grow with the padding, so converge on n.
	for pad := n - base; pad > 0; {
		reg.Name = strings.Repeat("n", pad)
		raw := mustSign(t, key, b)
		switch {
		case len(raw) == n:
			return raw
		case len(raw) > n:
			pad--
		default:
			pad++
		}
	}
	t.Fatalf("cannot build a tx of exactly %d bytes", n)
	return nil
}

// TestHighSTwinIsValidECDSA documents why the explicit low-S rule exists:
// the twin of a signature is a perfectly good ECDSA signature that
// go-ethereum's recovery accepts, recovering the same key. Without the rule
// a relayer could flip any tx into a second valid encoding with a second tx
// id.
func TestHighSTwinIsValidECDSA(t *testing.T) {
	key := testKey(t, "alice")
	b := typicalBody(key)
	raw := mustSign(t, key, b)
	d, err := tx.Decode(testChain, raw)
	if err != nil {
		t.Fatal(err)
	}
	sig := d.Tx.Signature
	if new(big.Int).SetBytes(sig[32:64]).Cmp(secpHalfN) > 0 {
		t.Fatalf("crypto.Sign produced a high-S signature")
	}
	twin := highSTwin(sig)
	if new(big.Int).SetBytes(twin[32:64]).Cmp(secpHalfN) <= 0 {
		t.Fatalf("twin is not high-S")
	}
	hash := tx.SignHash(testChain, d.Tx.BodyBytes)

	want := crypto.FromECDSAPub(&key.PublicKey)
	got, err := crypto.Ecrecover(hash, twin)
	if err != nil {
		t.Fatalf("Ecrecover rejected the high-S twin (%v): the low-S rule would then be redundant, update this test", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Ecrecover of the twin gave another key")
	}
	pub, err := crypto.SigToPub(hash, twin)
	if err != nil || crypto.PubkeyToAddress(*pub) != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("SigToPub of the twin = %v, %v", pub, err)
	}

	twinRaw := withSignature(t, raw, func([]byte) []byte { return twin })
	if bytes.Equal(tx.Hash(twinRaw), tx.Hash(raw)) {
		t.Fatalf("twin has the same tx id") // it must not: that is the point
	}
	dt, err := tx.Decode(testChain, twinRaw)
	if err != nil {
		t.Fatalf("Decode of the twin: %v (the rule belongs to RecoverSigner)", err)
	}
	if _, err := tx.RecoverSigner(dt); !errors.Is(err, tx.ErrHighS) {
		t.Fatalf("RecoverSigner(twin) = %v, want ErrHighS", err)
	}
}

// TestDecodeRejectsNonCanonicalEncoding: the tx id is sha256 of the raw
// bytes, so a relayer that could re-encode a signed tx (reorder or repeat
// fields, pad varints) without touching body_bytes or the signature would
// give one signed tx a second id, just as the high-S twin would. Decode must
// accept only the one encoding Sign produces.
func TestDecodeRejectsNonCanonicalEncoding(t *testing.T) {
	key := testKey(t, "alice")
	raw := mustSign(t, key, typicalBody(key))
	var orig tx.Tx
	if err := proto.Unmarshal(raw, &orig); err != nil {
		t.Fatal(err)
	}
	field := func(b []byte, num protowire.Number, v []byte) []byte {
		b = protowire.AppendTag(b, num, protowire.BytesType)
		return protowire.AppendBytes(b, v)
	}
	// paddedLen encodes a length as a 10-byte varint (valid, not minimal).
	paddedLen := func(b []byte, n int) []byte {
		for i := 0; i < 9; i++ {
			b = append(b, byte(n&0x7f)|0x80)
			n >>= 7
		}
		return append(b, byte(n))
	}

	tests := []struct {
		name string
		raw  []byte
	}{
		{"fields in reverse order", field(field(nil, 2, orig.Signature), 1, orig.BodyBytes)},
		{"body_bytes repeated, last wins", append(field(nil, 1, []byte("decoy")), raw...)},
		{"empty body_bytes field before the real one", append(field(nil, 1, nil), raw...)},
		{"signature repeated, last wins", append(field(nil, 2, bytes.Repeat([]byte{1}, 65)), raw...)},
		{"non-minimal length varint", func() []byte {
			b := protowire.AppendTag(nil, 1, protowire.BytesType)
			b = paddedLen(b, len(orig.BodyBytes))
			b = append(b, orig.BodyBytes...)
			return field(b, 2, orig.Signature)
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Sanity: the variant is a different byte string with the same
			// meaning to a plain protobuf decoder.
			var got tx.Tx
			if err := proto.Unmarshal(tc.raw, &got); err != nil {
				t.Fatalf("variant does not even parse: %v", err)
			}
			if !proto.Equal(&got, &orig) || bytes.Equal(tc.raw, raw) {
				t.Fatalf("test variant is not a re-encoding of the tx")
			}
			d, err := tx.Decode(testChain, tc.raw)
			if err == nil {
				_, rerr := tx.RecoverSigner(d)
				t.Fatalf("re-encoded tx accepted (signature check: %v): same signed tx, new id %x", rerr, tx.Hash(tc.raw))
			}
			if !errors.Is(err, tx.ErrMalformed) {
				t.Fatalf("Decode error = %v, want ErrMalformed", err)
			}
		})
	}
}

// refSignHash is the documented sign-hash layout, written out independently
// of tx.SignHash.
func refSignHash(domain, chainID string, body []byte) []byte {
	var buf []byte
	buf = append(buf, domain...)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(chainID)))
	buf = append(buf, chainID...)
	buf = append(buf, body...)
	return crypto.Keccak256(buf)
}

func TestSignHash(t *testing.T) {
	body := []byte("\x0a\x03body bytes")

	if got := tx.SignHash("c", body); len(got) != 32 {
		t.Fatalf("sign hash is %d bytes", len(got))
	}
	if got, want := tx.SignHash(testChain, body), refSignHash(tx.DomainPrefix, testChain, body); !bytes.Equal(got, want) {
		t.Fatalf("SignHash = %x, want keccak256(domain || u16be(len) || chain || body) = %x", got, want)
	}
	if tx.DomainPrefix != "datarights/tx/v1" {
		t.Errorf("DomainPrefix changed to %q: every existing signature is invalidated", tx.DomainPrefix)
	}

	t.Run("domain prefix is hashed", func(t *testing.T) {
		got := tx.SignHash(testChain, body)
		if bytes.Equal(got, refSignHash("datarights/tx/v2", testChain, body)) {
			t.Errorf("another domain gives the same hash")
		}
		if bytes.Equal(got, refSignHash("", testChain, body)) {
			t.Errorf("the hash does not depend on the domain prefix")
		}
		// Nor is it the Ethereum personal_sign hash of the body.
		personal := crypto.Keccak256([]byte("\x19Ethereum Signed Message:\n"), []byte(itoa(len(body))), body)
		if bytes.Equal(got, personal) || bytes.Equal(got, crypto.Keccak256(body)) {
			t.Errorf("sign hash collides with a plain Ethereum hash of the body")
		}
	})

	t.Run("chain id changes the hash", func(t *testing.T) {
		if bytes.Equal(tx.SignHash("datarights-1", body), tx.SignHash("datarights-2", body)) {
			t.Errorf("different chain ids, same hash")
		}
		if bytes.Equal(tx.SignHash("", body), tx.SignHash("x", body)) {
			t.Errorf("empty and non-empty chain id, same hash")
		}
	})

	t.Run("chain id length removes boundary ambiguity", func(t *testing.T) {
		for _, c := range []struct {
			chainA, bodyA, chainB, bodyB string
		}{
			{"ab", "c", "a", "bc"},
			{"", "abc", "abc", ""},
			{"datarights-1", "\x0a", "datarights-1\x0a", ""},
			{"a\x00", "\x01b", "a", "\x00\x01b"},
		} {
			// Without the length, the hashed bytes would be identical...
			naiveA := crypto.Keccak256([]byte(tx.DomainPrefix + c.chainA + c.bodyA))
			naiveB := crypto.Keccak256([]byte(tx.DomainPrefix + c.chainB + c.bodyB))
			if !bytes.Equal(naiveA, naiveB) {
				t.Fatalf("bad test case %q: the naive concatenations differ", c)
			}
			// ...with it, they are not.
			if bytes.Equal(tx.SignHash(c.chainA, []byte(c.bodyA)), tx.SignHash(c.chainB, []byte(c.bodyB))) {
				t.Errorf("SignHash(%q, %q) == SignHash(%q, %q)", c.chainA, c.bodyA, c.chainB, c.bodyB)
			}
		}
	})

	t.Run("body changes the hash", func(t *testing.T) {
		if bytes.Equal(tx.SignHash(testChain, body), tx.SignHash(testChain, append(bytes.Clone(body), 0))) {
			t.Errorf("a trailing byte does not change the hash")
		}
	})
}

func itoa(n int) string { return new(big.Int).SetInt64(int64(n)).String() }

// TestEnvelopeErrorsRegistered checks that every envelope error is in the
// registry under the tx codespace with a distinct code.
func TestEnvelopeErrorsRegistered(t *testing.T) {
	envelope := []*errs.Error{
		tx.ErrTooLarge, tx.ErrMalformed, tx.ErrUnknownField, tx.ErrBadSignature, tx.ErrHighS,
		tx.ErrWrongSigner, tx.ErrWrongChain, tx.ErrNoMessages, tx.ErrTooManyMessages,
		tx.ErrMemoTooLong, tx.ErrBadNonce, tx.ErrNotReady,
	}
	registered := map[*errs.Error]bool{}
	for _, e := range errs.All() {
		registered[e] = true
	}
	codes := map[uint32]*errs.Error{}
	for _, e := range envelope {
		if !registered[e] {
			t.Errorf("%q is not in errs.All()", e)
		}
		if e.Codespace() != tx.Codespace {
			t.Errorf("%q is in codespace %q", e, e.Codespace())
		}
		if prev, dup := codes[e.Code()]; dup {
			t.Errorf("%q and %q share code %d", prev, e, e.Code())
		}
		codes[e.Code()] = e
		wrapped := e.Wrapf("detail %d", 1)
		if !errors.Is(wrapped, e) || errors.Is(wrapped, tx.ErrMalformed) != (e == tx.ErrMalformed) {
			t.Errorf("errors.Is on a wrapped %q is wrong", e)
		}
	}
}
