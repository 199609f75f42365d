package keeper

import (
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/types"
)

// StorePrefix is the identity module's prefix in the app's state tree; the
// keeper alone reads and writes under it.
var StorePrefix = []byte{0x02}

// Key layout under StorePrefix (addresses are the 20 raw bytes):
//
//	0x01 | address            -> Party (protobuf)
//	0x02 | agent address      -> party address (20 bytes)
//	0x03 | org code (18 B)    -> party address (20 bytes); one party per code
//	0x04 | kind (1 B) | addr  -> store.Marker; parties by kind
//	0x05 | role (1 B) | addr  -> store.Marker; parties by role
//	0x06 | validator key      -> party address (20 bytes); one department per
//	                             ed25519 key (32 B), kept after the department
//	                             is removed, so a key never changes hands
//	0x07 | validator key      -> power (8 bytes big-endian); the validator
//	                             updates of the current block, in key order,
//	                             emptied by TakeValidatorUpdates at its end
//	0x08 | node id (20 B)     -> party address (20 bytes); the nodes allowed
//	                             to connect (Party.node_ids), one party each
//
// 0x07 holds one entry per key, the latest power: several changes to one
// validator in a block reach CometBFT as one update, as it requires.
var (
	partyPrefix     = []byte{0x01}
	agentPrefix     = []byte{0x02}
	orgCodePrefix   = []byte{0x03}
	kindPrefix      = []byte{0x04}
	rolePrefix      = []byte{0x05}
	valKeyPrefix    = []byte{0x06}
	valUpdatePrefix = []byte{0x07}
	nodeIDPrefix    = []byte{0x08}
)

// PartyKey is the key of a party relative to StorePrefix.
func PartyKey(addr []byte) []byte { return store.Concat(partyPrefix, addr) }

// FullPartyKey is the key of a party in the app's state tree: what a proof
// of a party is about.
func FullPartyKey(addr []byte) []byte { return store.Concat(StorePrefix, PartyKey(addr)) }

func agentKey(agent []byte) []byte  { return store.Concat(agentPrefix, agent) }
func orgCodeKey(code string) []byte { return store.Concat(orgCodePrefix, []byte(code)) }
func kindKey(kind int32, addr []byte) []byte {
	return store.Concat(kindPrefix, []byte{byte(kind)}, addr)
}
func roleKey(role int32, addr []byte) []byte {
	return store.Concat(rolePrefix, []byte{byte(role)}, addr)
}
func valKeyKey(pubKey []byte) []byte    { return store.Concat(valKeyPrefix, pubKey) }
func valUpdateKey(pubKey []byte) []byte { return store.Concat(valUpdatePrefix, pubKey) }
func nodeIDKey(id string) []byte        { return store.Concat(nodeIDPrefix, types.NodeIDBytes(id)) }
