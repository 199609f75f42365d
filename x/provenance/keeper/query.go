package keeper

import (
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/provenance/types"
)

// MaxIDBytes bounds an entity id in a request (ids are at most 64 bytes;
// addresses 42).
const MaxIDBytes = 128

func checkID(id string) error {
	if id == "" {
		return types.ErrInvalidID.Wrap("id is empty")
	}
	if len(id) > MaxIDBytes {
		return types.ErrInvalidID.Wrapf("id is %d bytes, at most %d", len(id), MaxIDBytes)
	}
	return nil
}

// History answers /provenance/history: an entity's entries, oldest first,
// a page at a time. An id with no history has an empty list.
func (k Keeper) History(root store.KV, req *types.HistoryRequest) (*types.HistoryResponse, error) {
	if err := checkID(req.Id); err != nil {
		return nil, err
	}
	resp := &types.HistoryResponse{}
	page, err := query.Paginate(root, types.HistoryPrefix(req.Id), req.Page, func(_, value []byte) error {
		e := &types.HistoryEntry{}
		store.Decode(value, e)
		resp.Entries = append(resp.Entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}
