package keeper

import (
	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/types"
)

// QueryParty answers /identity/party. The value is the party exactly as
// stored, and proofKey is its key in the state tree, so that the app can
// attach a proof of (key, value) against the app hash.
func (k Keeper) QueryParty(root store.KV, req *types.QueryPartyRequest) (value, proofKey []byte, err error) {
	addr, err := types.ParseAddress("address", req.Address)
	if err != nil {
		return nil, nil, err
	}
	a := address.Bytes(addr)
	bz := k.kv(root).Get(PartyKey(a))
	if bz == nil {
		return nil, FullPartyKey(a), types.ErrPartyNotFound.Wrapf("no party has address %s", addr)
	}
	return bz, FullPartyKey(a), nil
}

// QueryParties answers /identity/parties: all parties in address order, or
// those of one kind or one role, one page at a time.
func (k Keeper) QueryParties(root store.KV, req *types.QueryPartiesRequest) (*types.QueryPartiesResponse, error) {
	kv := k.kv(root)
	var prefix []byte
	switch {
	case req.Kind != 0 && req.Role != 0:
		return nil, types.ErrInvalidKind.Wrap("filter by kind or by role, not both")
	case req.Kind != 0:
		if !types.ValidKind(req.Kind) {
			return nil, types.ErrInvalidKind.Wrapf("%d", req.Kind)
		}
		prefix = store.Concat(kindPrefix, []byte{byte(req.Kind)})
	case req.Role != 0:
		if !types.ValidRole(req.Role) {
			return nil, types.ErrInvalidRole.Wrapf("%d", req.Role)
		}
		prefix = store.Concat(rolePrefix, []byte{byte(req.Role)})
	default:
		prefix = partyPrefix
	}
	resp := &types.QueryPartiesResponse{}
	page, err := query.Paginate(kv, prefix, req.Page, func(key, value []byte) error {
		if prefix[0] != partyPrefix[0] { // an index entry: key is the address
			p, err := k.Party(root, address.FromBytes(key))
			if err != nil {
				return err
			}
			resp.Parties = append(resp.Parties, p)
			return nil
		}
		resp.Parties = append(resp.Parties, decodeParty(value))
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}
