package audit

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/client"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mktkeeper "github.com/datarights/datarights/x/market/keeper"
	mkttypes "github.com/datarights/datarights/x/market/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// entity is an id resolved to the state key that holds it: the key is
// computed here from the id, never taken from a node's answer, so a node
// cannot answer with another entity's (valid) proof.
type entity struct {
	ID    string
	Kind  string        // asset, right, authorization, listing, trade, party
	Key   []byte        // full state key
	Value proto.Message // decoded once proven (nil when proven absent)
}

// resolve maps an id to its kind and state key.
func resolve(id string) (*entity, error) {
	if n, err := regtypes.ParseAssetID("id", id); err == nil {
		return &entity{ID: id, Kind: "asset", Key: regkeeper.FullAssetKey(n), Value: &regtypes.Asset{}}, nil
	}
	if n, err := rightstypes.ParseRightID("id", id); err == nil {
		return &entity{ID: id, Kind: "right", Key: rightskeeper.FullRightKey(n), Value: &rightstypes.Right{}}, nil
	}
	if n, err := authtypes.ParseID("id", id); err == nil {
		return &entity{ID: id, Kind: "authorization", Key: authkeeper.FullAuthorizationKey(n), Value: &authtypes.Authorization{}}, nil
	}
	if n, err := mkttypes.ParseID("id", id, mkttypes.ListingIDPrefix); err == nil {
		return &entity{ID: id, Kind: "listing", Key: mktkeeper.FullListingKey(n), Value: &mkttypes.Listing{}}, nil
	}
	if n, err := mkttypes.ParseID("id", id, mkttypes.TradeIDPrefix); err == nil {
		return &entity{ID: id, Kind: "trade", Key: mktkeeper.FullTradeKey(n), Value: &mkttypes.Trade{}}, nil
	}
	if addr, err := idtypes.ParseAddress("id", id); err == nil {
		return &entity{ID: addr, Kind: "party", Key: idkeeper.FullPartyKey(address.Bytes(addr)), Value: &idtypes.Party{}}, nil
	}
	return nil, fmt.Errorf("%q is not an asset (a-N), right (r-N), authorisation (au-N), listing (l-N), trade (t-N), party address or tx hash", id)
}

// proveKey asks for key at height with a proof and checks the answer
// against appHash (the verified header height+1's). It returns the proven
// value, or nil when absence was proven.
func proveKey(ctx context.Context, src source, key []byte, height int64, appHash []byte) ([]byte, error) {
	res, err := src.query(ctx, app.PathStore, key, height)
	if err != nil {
		return nil, err
	}
	if res.Height != height {
		return nil, fmt.Errorf("node answered for height %d, asked %d", res.Height, height)
	}
	if res.Code != 0 && len(res.Value) > 0 {
		return nil, errors.New("node answered with an error and a value")
	}
	absent, err := client.VerifyQueryProof(appHash, key, res.Value, res.Code == 0, res.ProofOps)
	if err != nil {
		return nil, err
	}
	if absent {
		return nil, nil
	}
	return res.Value, nil
}

// checkState proves the entity's stored value at height and decodes it.
// It returns the resolved entity (with a nil Value unless proven) unless
// the id names no entity.
func checkState(ctx context.Context, r *Report, src source, id string, height int64, appHash []byte) (*entity, error) {
	ent, err := resolve(id)
	if err != nil {
		r.fail(KindState, id, err)
		return nil, err
	}
	what := fmt.Sprintf("%s %s", ent.Kind, ent.ID)
	v, err := proveKey(ctx, src, ent.Key, height, appHash)
	if err == nil && v != nil {
		err = proto.Unmarshal(v, ent.Value)
	}
	if err != nil {
		ent.Value = nil
		r.fail(KindState, what, err)
		return ent, nil
	}
	if v == nil {
		ent.Value = nil
		r.ok(KindState, what, "proven absent at height %d (ICS23 non-membership proof of key %X against app hash %X of header %d)", height, ent.Key, appHash, height+1)
		return ent, nil
	}
	r.ok(KindState, what, "state at height %d (%d bytes under key %X) proven against app hash %X of header %d", height, len(v), ent.Key, appHash, height+1)
	return ent, nil
}
