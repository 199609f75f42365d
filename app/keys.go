package app

import (
	"encoding/binary"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/store"
)

// The app's own prefix in the state tree. Module prefixes are in each
// module's keeper/keys.go: identity 0x02.
//
//	0x01 | 0x01 | signer address (20 B) -> next nonce (uint64 big-endian)
//	0x01 | 0x02                         -> chain id (set at InitChain)
var (
	appPrefix   = []byte{0x01}
	noncePrefix = []byte{0x01, 0x01}
	chainIDKey  = []byte{0x01, 0x02}
)

// NonceKey is the state key of a signer's next nonce.
func NonceKey(signer string) []byte { return store.Concat(noncePrefix, address.Bytes(signer)) }

func getNonce(kv store.KV, signer string) uint64 {
	bz := kv.Get(NonceKey(signer))
	if len(bz) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(bz)
}

func setNonce(kv store.KV, signer string, n uint64) {
	kv.Set(NonceKey(signer), binary.BigEndian.AppendUint64(nil, n))
}
