package tx

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/errs"
)

// Limits of the envelope. They are consensus rules: changing one is a
// breaking change of the network.
const (
	// MaxTxBytes bounds a whole encoded tx.
	MaxTxBytes = 64 << 10
	// MaxMessages bounds the messages of one tx.
	MaxMessages = 32
	// MaxMemoBytes bounds the memo.
	MaxMemoBytes = 256
	// MaxChainIDBytes bounds the chain id (CometBFT's own limit is 50).
	MaxChainIDBytes = 50
	// SignatureLen is r (32) || s (32) || v (1).
	SignatureLen = 65
	// DomainPrefix separates datarights signatures from any other use of a key.
	DomainPrefix = "datarights/tx/v1"
)

// Envelope errors, in the "tx" codespace. Codes are stable.
var (
	ErrTooLarge        = errs.Register(Codespace, 2, "tx too large")
	ErrMalformed       = errs.Register(Codespace, 3, "malformed tx")
	ErrUnknownField    = errs.Register(Codespace, 4, "unknown field in tx")
	ErrBadSignature    = errs.Register(Codespace, 5, "invalid signature")
	ErrHighS           = errs.Register(Codespace, 6, "non-canonical (high-S) signature")
	ErrWrongSigner     = errs.Register(Codespace, 7, "signature does not match the signer")
	ErrWrongChain      = errs.Register(Codespace, 8, "wrong chain id")
	ErrNoMessages      = errs.Register(Codespace, 9, "tx has no messages")
	ErrTooManyMessages = errs.Register(Codespace, 10, "too many messages")
	ErrMemoTooLong     = errs.Register(Codespace, 11, "memo too long")
	ErrBadNonce        = errs.Register(Codespace, 12, "wrong nonce")
	ErrNotReady        = errs.Register(Codespace, 13, "node is not ready")
	ErrTooManyPending  = errs.Register(Codespace, 15, "too many pending txs from this signer") // 14 is app.ErrUnknownMessage
)

// Codespace of the envelope's errors.
const Codespace = "tx"

// SignHash is the 32-byte hash that the signer signs.
func SignHash(chainID string, body []byte) []byte {
	var n [2]byte
	binary.BigEndian.PutUint16(n[:], uint16(len(chainID)))
	return crypto.Keccak256([]byte(DomainPrefix), n[:], []byte(chainID), body)
}

// Hash is the tx id: sha256 of the full tx bytes, the same hash CometBFT
// indexes and serves at /tx?hash=.
func Hash(txBytes []byte) []byte {
	h := sha256.Sum256(txBytes)
	return h[:]
}

// Sign encodes body, signs it for its chain id and returns the tx bytes.
func Sign(key *ecdsa.PrivateKey, body *TxBody) ([]byte, error) {
	bodyBytes, err := proto.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode tx body: %w", err)
	}
	sig, err := crypto.Sign(SignHash(body.ChainId, bodyBytes), key)
	if err != nil {
		return nil, fmt.Errorf("sign tx: %w", err)
	}
	return proto.Marshal(&Tx{BodyBytes: bodyBytes, Signature: sig})
}

// Decoded is a tx that passed the stateless checks: size, strict decoding,
// chain id, message count and memo.
type Decoded struct {
	Raw  []byte
	Tx   *Tx
	Body *TxBody
}

// Decode parses and checks a tx without verifying its signature.
func Decode(chainID string, raw []byte) (*Decoded, error) {
	if len(raw) > MaxTxBytes {
		return nil, ErrTooLarge.Wrapf("%d bytes, limit %d", len(raw), MaxTxBytes)
	}
	var t Tx
	if err := unmarshalStrict(raw, &t); err != nil {
		return nil, err
	}
	// The tx id is the hash of raw, so raw must be the one encoding of its
	// (body_bytes, signature), the one Sign produces. Protobuf decoders also
	// accept reordered or repeated fields and padded varints: without this
	// check anyone relaying a tx could re-encode it and give the same signed
	// tx a second id.
	if canon, err := canonicalMarshal.Marshal(&t); err != nil || !bytes.Equal(canon, raw) {
		return nil, ErrMalformed.Wrap("tx is not canonically encoded")
	}
	if len(t.Signature) != SignatureLen {
		return nil, ErrBadSignature.Wrapf("signature is %d bytes, want %d", len(t.Signature), SignatureLen)
	}
	var body TxBody
	if err := unmarshalStrict(t.BodyBytes, &body); err != nil {
		return nil, err
	}
	if body.ChainId != chainID {
		return nil, ErrWrongChain.Wrapf("tx is for %q, this chain is %q", body.ChainId, chainID)
	}
	switch n := len(body.Messages); {
	case n == 0:
		return nil, ErrNoMessages
	case n > MaxMessages:
		return nil, ErrTooManyMessages.Wrapf("%d, limit %d", n, MaxMessages)
	}
	if len(body.Memo) > MaxMemoBytes {
		return nil, ErrMemoTooLong.Wrapf("%d bytes, limit %d", len(body.Memo), MaxMemoBytes)
	}
	for i, m := range body.Messages {
		if m.GetSum() == nil {
			return nil, ErrMalformed.Wrapf("message %d is empty", i)
		}
	}
	if _, err := address.Parse(body.Signer); err != nil {
		return nil, ErrMalformed.Wrapf("signer: %v", err)
	}
	return &Decoded{Raw: raw, Tx: &t, Body: &body}, nil
}

// secp256k1N and its half, for the low-S rule.
var (
	secp256k1N     = crypto.S256().Params().N
	secp256k1HalfN = new(big.Int).Rsh(secp256k1N, 1)
)

// RecoverSigner verifies the signature and returns the signing address,
// which must equal the body's signer.
func RecoverSigner(d *Decoded) (common.Address, error) {
	sig := d.Tx.Signature
	r, s, v := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64]), sig[64]
	if s.Cmp(secp256k1HalfN) > 0 {
		return common.Address{}, ErrHighS
	}
	if !crypto.ValidateSignatureValues(v, r, s, true) {
		return common.Address{}, ErrBadSignature.Wrapf("r, s or v out of range")
	}
	pub, err := crypto.SigToPub(SignHash(d.Body.ChainId, d.Tx.BodyBytes), sig)
	if err != nil {
		return common.Address{}, ErrBadSignature.Wrapf("%v", err)
	}
	got := crypto.PubkeyToAddress(*pub)
	want, _ := address.Parse(d.Body.Signer) // checked by Decode
	if got != want {
		return common.Address{}, ErrWrongSigner.Wrapf("signed by %s, body names %s", got.Hex(), want.Hex())
	}
	return got, nil
}

// canonicalMarshal encodes fields in number order with minimal varints,
// the encoding Sign produces.
var canonicalMarshal = proto.MarshalOptions{Deterministic: true}

// unmarshalStrict decodes and rejects unknown fields at any depth.
func unmarshalStrict(b []byte, m proto.Message) error {
	if err := proto.Unmarshal(b, m); err != nil {
		return ErrMalformed.Wrapf("%v", err)
	}
	if path, ok := findUnknown(m.ProtoReflect()); ok {
		return ErrUnknownField.Wrapf("in %s", path)
	}
	return nil
}

func findUnknown(m protoreflect.Message) (string, bool) {
	name := string(m.Descriptor().FullName())
	if len(m.GetUnknown()) > 0 {
		return name, true
	}
	var path string
	found := false
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind && fd.Kind() != protoreflect.GroupKind {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				if p, ok := findUnknown(l.Get(i).Message()); ok {
					path, found = p, true
					return false
				}
			}
			return true
		}
		if fd.IsMap() {
			return true // no maps in our protos
		}
		if p, ok := findUnknown(v.Message()); ok {
			path, found = p, true
			return false
		}
		return true
	})
	return path, found
}
