package types

import (
	"encoding/binary"
	"fmt"

	"github.com/datarights/datarights/store"
)

// StorePrefix is the provenance module's prefix in the app's state tree;
// the keeper alone writes under it.
var StorePrefix = []byte{0x0A}

// Key layout under StorePrefix. Ids are length-prefixed (uvarint), so no
// entity's keys are a prefix of another's; numbers are big-endian, so an
// entity's entries sort in chain order.
//
//	0x01 | uvarint(len(id)) | id | height (8 B) | tx_index (4 B) | event_index (4 B) -> HistoryEntry (protobuf)
//
// There is no counter: (height, tx_index, event_index) names the event
// that made the entry, so appending is one write and no read. An event
// gives each entity it names at most one entry.
var historyPrefix = []byte{0x01}

// EndBlockTxIndex is the tx_index of entries made by end-block work.
const EndBlockTxIndex uint32 = 0xFFFFFFFF

// HistoryPrefix is the full state key prefix of an entity's history.
func HistoryPrefix(entityID string) []byte {
	return store.Concat(StorePrefix, historyPrefix, binary.AppendUvarint(nil, uint64(len(entityID))), []byte(entityID))
}

// HistoryKey is the full state key (including StorePrefix) of one history
// entry: what /store/key proves.
func HistoryKey(entityID string, height int64, txIndex, eventIndex uint32) []byte {
	return store.Concat(HistoryPrefix(entityID), historySuffix(height, txIndex, eventIndex))
}

// historySuffix is the part of a history key after the entity's prefix.
func historySuffix(height int64, txIndex, eventIndex uint32) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 16), uint64(height))
	b = binary.BigEndian.AppendUint32(b, txIndex)
	return binary.BigEndian.AppendUint32(b, eventIndex)
}

// ParseHistorySuffix reads (height, tx_index, event_index) from the part
// of a history key after HistoryPrefix (a page key, for instance).
func ParseHistorySuffix(b []byte) (height int64, txIndex, eventIndex uint32, err error) {
	if len(b) != 16 {
		return 0, 0, 0, fmt.Errorf("history key suffix is %d bytes, want 16", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), binary.BigEndian.Uint32(b[8:]), binary.BigEndian.Uint32(b[12:]), nil
}
