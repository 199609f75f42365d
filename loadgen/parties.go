package loadgen

import (
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datarights/datarights/address"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// Keys returns n fresh secp256k1 keys.
func Keys(n int) ([]*ecdsa.PrivateKey, error) {
	out := make([]*ecdsa.PrivateKey, n)
	for i := range out {
		k, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		out[i] = k
	}
	return out, nil
}

// Parties returns the genesis parties of keys: active enterprises named
// "bench enterprise N" with distinct valid org codes.
func Parties(keys []*ecdsa.PrivateKey) ([]*idtypes.Party, error) {
	out := make([]*idtypes.Party, len(keys))
	for i, k := range keys {
		code, err := idtypes.BuildOrgCode("91", "511900", fmt.Sprintf("LG%06d", i))
		if err != nil {
			return nil, err
		}
		out[i] = &idtypes.Party{Address: address.FromKey(k), Name: fmt.Sprintf("bench enterprise %d", i),
			Kind: idtypes.PartyKind_PARTY_KIND_ENTERPRISE, OrgCode: code, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	}
	return out, nil
}
