package keeper

import (
	"context"
	"encoding/hex"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/market/types"
)

// Keeper owns the market's state: clearing balances, listings, bids,
// trades and withdrawals. Like every keeper it holds no state of its own:
// each method takes the store it works on. It asks x/identity who acts,
// x/registry about assets, x/rights to deliver and x/revenue to split,
// only through the interfaces in types/expected.go.
type Keeper struct {
	identity types.Identity
	registry types.Registry
	rights   types.Rights
	revenue  types.Revenue
}

// New returns the market keeper. The app builds it after the rights and
// revenue keepers: a sale is delivered by x/rights and split by
// x/revenue; neither needs the market.
func New(id types.Identity, reg types.Registry, rights types.Rights, rev types.Revenue) Keeper {
	return Keeper{identity: id, registry: reg, rights: rights, revenue: rev}
}

func (Keeper) kv(root store.KV) store.KV { return store.NewPrefix(root, StorePrefix) }

// Params returns the module's params (the defaults if genesis set none).
func (k Keeper) Params(root store.KV) *types.Params {
	bz := k.kv(root).Get(paramsKey)
	if bz == nil {
		return types.DefaultParams()
	}
	p := &types.Params{}
	store.Decode(bz, p)
	return p
}

// SetParams validates and stores the params (genesis, x/governance).
func (k Keeper) SetParams(root store.KV, p *types.Params) error {
	if err := p.Validate(); err != nil {
		return types.ErrInvalidParams.Wrap(err.Error())
	}
	k.kv(root).Set(paramsKey, store.Encode(p))
	return nil
}

// nextN returns the next number of a sequence and records it.
func (k Keeper) nextN(root store.KV, seq byte) uint64 {
	n := k.peekN(root, seq)
	k.kv(root).Set(store.Concat(seqPrefix, []byte{seq}), u64(n))
	return n
}

// peekN is the number nextN would return, without taking it.
func (k Keeper) peekN(root store.KV, seq byte) uint64 {
	if bz := k.kv(root).Get(store.Concat(seqPrefix, []byte{seq})); bz != nil {
		return decodeN(bz) + 1
	}
	return 1
}

// Listing returns a listing by id, or ErrListingNotFound.
func (k Keeper) Listing(root store.KV, id string) (*types.Listing, error) {
	n, err := types.ParseID("listing_id", id, types.ListingIDPrefix)
	if err != nil {
		return nil, err
	}
	l := &types.Listing{}
	if !k.get(root, ListingKey(n), l) {
		return nil, types.ErrListingNotFound.Wrapf("no listing has id %s", id)
	}
	return l, nil
}

// Trade returns a trade by id, or ErrTradeNotFound.
func (k Keeper) Trade(root store.KV, id string) (*types.Trade, error) {
	n, err := types.ParseID("trade_id", id, types.TradeIDPrefix)
	if err != nil {
		return nil, err
	}
	t := &types.Trade{}
	if !k.get(root, TradeKey(n), t) {
		return nil, types.ErrTradeNotFound.Wrapf("no trade has id %s", id)
	}
	return t, nil
}

// Bid returns a bid by id, or ErrBidNotFound.
func (k Keeper) Bid(root store.KV, id string) (*types.Bid, error) {
	n, err := types.ParseID("bid_id", id, types.BidIDPrefix)
	if err != nil {
		return nil, err
	}
	b := &types.Bid{}
	if !k.get(root, BidKey(n), b) {
		return nil, types.ErrBidNotFound.Wrapf("no bid has id %s", id)
	}
	return b, nil
}

// Withdrawal returns a withdrawal by id, or ErrWithdrawalNotFound.
func (k Keeper) Withdrawal(root store.KV, id string) (*types.Withdrawal, error) {
	n, err := types.ParseID("withdrawal_id", id, types.WithdrawalIDPrefix)
	if err != nil {
		return nil, err
	}
	w := &types.Withdrawal{}
	if !k.get(root, WithdrawalKey(n), w) {
		return nil, types.ErrWithdrawalNotFound.Wrapf("no withdrawal has id %s: the owner must request it first (tx market request-withdrawal)", id)
	}
	return w, nil
}

// get decodes the value at key into m and reports whether it was there.
func (k Keeper) get(root store.KV, key []byte, m proto.Message) bool {
	bz := k.kv(root).Get(key)
	if bz == nil {
		return false
	}
	store.Decode(bz, m)
	return true
}

// actorWith returns the acting party if it holds the role, else refusal.
func (k Keeper) actorWith(ctx context.Context, root store.KV, refusal interface {
	Wrapf(string, ...any) error
}, role idtypes.Role) (*idtypes.Party, error) {
	p, err := k.identity.Actor(ctx, root)
	if err != nil {
		return nil, err
	}
	if !p.HasRole(role) {
		return nil, refusal.Wrapf("%s (%s) does not have role %s", p.Name, p.Address, idtypes.RoleName(role))
	}
	return p, nil
}

func now(ctx context.Context) time.Time { return env.BlockOf(ctx).Time }

func txHash(ctx context.Context) string {
	return strings.ToUpper(hex.EncodeToString(env.TxOf(ctx).Hash))
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
