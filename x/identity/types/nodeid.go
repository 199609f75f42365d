package types

import (
	"encoding/hex"
	"slices"
	"strings"
)

// MaxNodeIDs bounds the nodes one party registers (validators, sentries,
// full nodes, a spare).
const MaxNodeIDs = 16

// nodeIDLen is the length of a CometBFT node id: the hex of the first 20
// bytes of the sha256 of the node key's ed25519 public key.
const nodeIDLen = 40

// ParseNodeID normalises a CometBFT node id (as `cometbft show-node-id`,
// /status and node_key.json give it) to lower case, or says what is wrong
// with it. An "id@host:port" peer address is refused: only the id is
// registered, since where a node lives is not on chain.
func ParseNodeID(s string) (string, error) {
	id := strings.ToLower(strings.TrimSpace(s))
	switch {
	case strings.Contains(id, "@"):
		return "", ErrInvalidNodeID.Wrapf("%q: give the node id only, without @host:port", s)
	case len(id) != nodeIDLen:
		return "", ErrInvalidNodeID.Wrapf("%q is %d characters, want %d hex digits", s, len(id), nodeIDLen)
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", ErrInvalidNodeID.Wrapf("%q is not hex", s)
	}
	return id, nil
}

// NodeIDBytes is the 20 raw bytes of a node id ParseNodeID accepted.
func NodeIDBytes(id string) []byte {
	b, err := hex.DecodeString(id)
	if err != nil || len(b) != nodeIDLen/2 {
		panic("identity: NodeIDBytes of an unparsed node id " + id)
	}
	return b
}

// CanRunNodes reports whether a party may register nodes: departments run
// validators and full nodes, auditors run full nodes to verify the ledger
// themselves.
func (p *Party) CanRunNodes() bool { return p.IsDepartment() || p.HasRole(Role_ROLE_AUDITOR) }

// ParseNodeIDs normalises a list of node ids, sorted, and refuses repeats
// and lists longer than MaxNodeIDs.
func ParseNodeIDs(ids []string) ([]string, error) {
	if len(ids) > MaxNodeIDs {
		return nil, ErrTooManyNodeIDs.Wrapf("%d node ids, limit %d", len(ids), MaxNodeIDs)
	}
	out := make([]string, 0, len(ids))
	for _, s := range ids {
		id, err := ParseNodeID(s)
		if err != nil {
			return nil, err
		}
		if slices.Contains(out, id) {
			return nil, ErrInvalidNodeID.Wrapf("%s is given twice", id)
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}
