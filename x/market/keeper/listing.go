package keeper

import (
	"context"
	"strings"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

const (
	listingOpen = types.ListingStatus_LISTING_STATUS_OPEN
	kindLicense = types.ListingKind_LISTING_KIND_LICENSE
)

// listable returns the right and its asset if seller may sell from the
// right now, else why not, each reason its own error: the asset in notice,
// disputed, frozen or cancelled; core (or catalogued) data; personal data
// that is not de-identified; a right the seller does not hold, or that is
// not live; a public-data holding right. It is checked when listing and
// again at every sale, since any of it can change in between; x/rights
// applies its own rules (red lines, terms) again when it delivers.
func (k Keeper) listable(ctx context.Context, root store.KV, seller, rightID string) (*rightstypes.Right, *regtypes.Asset, error) {
	r, err := k.rights.Right(root, rightID)
	if err != nil {
		return nil, nil, err
	}
	a, err := k.registry.Asset(root, r.AssetId)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case a.Frozen:
		return nil, nil, types.ErrAssetFrozen.Wrapf("asset %s is frozen: %s", a.Id, a.FrozenReason)
	case a.Status == regtypes.AssetStatus_ASSET_STATUS_IN_NOTICE:
		return nil, nil, types.ErrAssetInNotice.Wrapf("asset %s is in its notice period: list it once certified", a.Id)
	case a.Status == regtypes.AssetStatus_ASSET_STATUS_DISPUTED:
		return nil, nil, types.ErrAssetDisputed.Wrapf("asset %s has an objection awaiting the data admin", a.Id)
	case a.Status == regtypes.AssetStatus_ASSET_STATUS_CANCELLED:
		return nil, nil, types.ErrAssetCancelled.Wrapf("asset %s was cancelled", a.Id)
	case a.Grade == regtypes.Grade_GRADE_CORE:
		return nil, nil, types.ErrCoreData.Wrapf("asset %s is core data", a.Id)
	case a.Status == regtypes.AssetStatus_ASSET_STATUS_CATALOGUED:
		return nil, nil, types.ErrCatalogued.Wrapf("asset %s is catalogued only", a.Id)
	case a.Classification == regtypes.Classification_CLASSIFICATION_PERSONAL && !a.Deidentified:
		return nil, nil, types.ErrPersonalData.Wrapf("asset %s is personal data that is not de-identified", a.Id)
	case r.Holder != seller:
		return nil, nil, types.ErrNotHolder.Wrapf("%s is held by %s, not %s", r.Id, r.Holder, seller)
	case r.Kind == rightstypes.RightKind_RIGHT_KIND_HOLDING && a.Classification == regtypes.Classification_CLASSIFICATION_PUBLIC:
		return nil, nil, types.ErrPublicHolding.Wrapf("%s is the holding right of public data asset %s: public data is operated under authorisation", r.Id, a.Id)
	}
	if _, err := k.rights.LiveRight(ctx, root, r.Id); err != nil {
		return nil, nil, types.ErrRightNotLive.Wrap(err.Error())
	}
	return r, a, nil
}

// List offers a right (transfer) or licences cut from it (license). The
// seller must be able to sell from the right now (listable); a transfer
// needs a transferable right, a licence a scope inside the right's.
func (k Keeper) List(ctx context.Context, root store.KV, m *types.MsgList) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	seller, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	if max := k.Params(root).MaxQuantity; m.Quantity > max {
		return "", types.ErrQuantityTooLarge.Wrapf("quantity %d; max_quantity is %d", m.Quantity, max)
	}
	expires, _ := types.Expiry("expires", m.Expires)
	if !expires.After(now(ctx)) {
		return "", types.ErrInvalidExpiry.Wrapf("expires %s is not after the block time %s", formatTime(expires), formatTime(now(ctx)))
	}
	r, a, err := k.listable(ctx, root, seller.Address, m.RightId)
	if err != nil {
		return "", err
	}
	var scope *rightstypes.Scope
	if m.Kind == kindLicense {
		scope, _ = rightstypes.NormalizeScope(m.Scope)
		if err := rightstypes.ScopeSubset(scope, r.Scope); err != nil {
			return "", types.ErrScopeNotSubset.Wrapf("%s: %v", r.Id, err)
		}
	} else if !r.Transferable {
		return "", types.ErrNotTransferable.Wrapf("%s was granted non-transferable: list licences from it instead", r.Id)
	}
	kv, n := k.kv(root), k.nextN(root, seqListing)
	l := &types.Listing{
		Id: types.ListingID(n), Seller: seller.Address, RightId: r.Id, AssetId: a.Id, Kind: m.Kind,
		PriceFen: m.PriceFen, Quantity: m.Quantity, Scope: scope, LicenseSeconds: m.LicenseSeconds,
		Expires: m.Expires, Status: listingOpen, Height: env.BlockOf(ctx).Height,
	}
	kv.Set(ListingKey(n), store.Encode(l))
	kv.Set(store.Concat(listingSellerPrefix, addr(l.Seller), u64(n)), store.Marker)
	kv.Set(store.Concat(listingAssetPrefix, assetKey(l.AssetId), u64(n)), store.Marker)
	kv.Set(store.Concat(listingStatusPrefix, []byte{byte(l.Status)}, u64(n)), store.Marker)
	kv.Set(expiryKey(expires, expListing, n), store.Marker)
	env.Emit(ctx, types.EventListed, env.Indexed(types.AttrListingID, l.Id), env.Indexed(types.AttrAssetID, l.AssetId),
		env.Indexed(types.AttrRightID, l.RightId), env.Indexed(types.AttrParty, l.Seller), env.Indexed(types.AttrSeller, l.Seller),
		env.Plain(types.AttrKind, types.KindName(l.Kind)), env.Plain(types.AttrPriceFen, fen(l.PriceFen)), env.Plain(types.AttrQuantity, fen(l.Quantity)))
	return l.Id, nil
}

// CancelListing: the seller withdraws an open offer.
func (k Keeper) CancelListing(ctx context.Context, root store.KV, m *types.MsgCancelListing) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	l, err := k.Listing(root, m.ListingId)
	if err != nil {
		return "", err
	}
	if l.Seller != actor.Address {
		return "", types.ErrNotSeller.Wrapf("%s was listed by %s, not %s", l.Id, l.Seller, actor.Address)
	}
	if l.Status != listingOpen {
		return "", types.ErrListingNotOpen.Wrapf("%s is %s", l.Id, types.ListingStatusName(l.Status))
	}
	k.closeListing(root, l, types.ListingStatus_LISTING_STATUS_CANCELLED)
	env.Emit(ctx, types.EventListingCancelled, env.Indexed(types.AttrListingID, l.Id), env.Indexed(types.AttrAssetID, l.AssetId),
		env.Indexed(types.AttrParty, l.Seller), env.Indexed(types.AttrActor, actor.Address))
	return l.Id, nil
}

// closeListing ends an open listing: its status (and index) changes and it
// leaves the expiry queue.
func (k Keeper) closeListing(root store.KV, l *types.Listing, to types.ListingStatus) {
	kv, n := k.kv(root), mustN(l.Id, types.ListingIDPrefix)
	kv.Delete(store.Concat(listingStatusPrefix, []byte{byte(l.Status)}, u64(n)))
	kv.Set(store.Concat(listingStatusPrefix, []byte{byte(to)}, u64(n)), store.Marker)
	if key := expiryKey(l.Expires.AsTime(), expListing, n); kv.Has(key) {
		kv.Delete(key)
	}
	l.Status = to
	kv.Set(ListingKey(n), store.Encode(l))
}

// Buy is delivery versus payment in one tx: the buyer pays price ×
// quantity, the payment is split by x/revenue and credited line by line,
// and the licences are minted (or the right moved) to the buyer. Every
// check that can fail cheaply runs before the first write; a later
// failure (x/revenue, x/rights) fails the message, and the app discards
// its branch, so a sale happens entirely or not at all.
func (k Keeper) Buy(ctx context.Context, root store.KV, m *types.MsgBuy) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	buyer, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	l, err := k.Listing(root, m.ListingId)
	if err != nil {
		return "", err
	}
	t := now(ctx)
	switch {
	case l.Status != listingOpen:
		return "", types.ErrListingNotOpen.Wrapf("%s is %s", l.Id, types.ListingStatusName(l.Status))
	case !t.Before(l.Expires.AsTime()):
		return "", types.ErrListingExpired.Wrapf("%s expired at %s", l.Id, formatTime(l.Expires.AsTime()))
	case m.Quantity > l.Quantity:
		return "", types.ErrQuantityUnavailable.Wrapf("%s has %d unit(s) left, not %d", l.Id, l.Quantity, m.Quantity)
	case l.PriceFen > m.MaxPriceFen:
		return "", types.ErrPriceAboveMax.Wrapf("%s costs %d fen a unit; max_price_fen is %d", l.Id, l.PriceFen, m.MaxPriceFen)
	case buyer.Address == l.Seller:
		return "", types.ErrSelfTrade.Wrapf("%s is %s's own listing", l.Id, l.Seller)
	}
	amount, err := types.Mul("price × quantity", l.PriceFen, m.Quantity)
	if err != nil {
		return "", err
	}
	if bal := k.amount(root, availableKey(buyer.Address)); bal < amount {
		return "", types.ErrInsufficientFunds.Wrapf("%s has %d fen available; %d unit(s) of %s cost %d", buyer.Address, bal, m.Quantity, l.Id, amount)
	}
	r, a, err := k.listable(ctx, root, l.Seller, l.RightId)
	if err != nil {
		return "", err
	}
	tradeID := types.TradeID(k.peekN(root, seqTrade))
	if err := k.debit(root, buyer.Address, amount); err != nil {
		return "", err
	}
	if err := k.pay(ctx, root, tradeID, a, r.AuthorizationId, amount); err != nil {
		return "", err
	}
	var rightIDs []string
	if l.Kind == kindLicense {
		until := t.Add(time.Duration(l.LicenseSeconds) * time.Second)
		for range m.Quantity {
			id, err := k.deliverLicence(ctx, root, l.RightId, buyer.Address, l.Scope, until)
			if err != nil {
				return "", err
			}
			rightIDs = append(rightIDs, id)
		}
	} else {
		if err := k.rights.Transfer(ctx, root, l.RightId, buyer.Address); err != nil {
			return "", err
		}
		rightIDs = []string{l.RightId}
	}
	tr := k.record(ctx, root, &types.Trade{ListingId: l.Id, Buyer: buyer.Address, Seller: l.Seller, AssetId: l.AssetId,
		Quantity: m.Quantity, AmountFen: amount, RightIds: rightIDs})
	l.Quantity -= m.Quantity
	l.Sold += m.Quantity
	if l.Quantity == 0 {
		k.closeListing(root, l, types.ListingStatus_LISTING_STATUS_SOLD_OUT)
	} else {
		k.kv(root).Set(ListingKey(mustN(l.Id, types.ListingIDPrefix)), store.Encode(l))
	}
	return tr.Id, nil
}

// pay splits amount (already taken from the payer) by x/revenue and
// credits each line. The lines must add up to amount exactly: the market
// neither creates nor loses a fen whatever the split does.
func (k Keeper) pay(ctx context.Context, root store.KV, tradeID string, a *regtypes.Asset, authorizationID string, amount uint64) error {
	lines, err := k.revenue.Split(ctx, root, tradeID, a, authorizationID, amount)
	if err != nil {
		return err
	}
	var sum uint64
	for _, ln := range lines {
		if sum, err = types.Add("revenue lines", sum, ln.AmountFen); err != nil {
			return types.ErrBadSplit.Wrap(err.Error())
		}
	}
	if sum != amount {
		return types.ErrBadSplit.Wrapf("trade %s: lines add up to %d fen, not %d", tradeID, sum, amount)
	}
	for _, ln := range lines {
		if ln.AmountFen == 0 {
			continue
		}
		b, err := types.ParseAddress("beneficiary", ln.Beneficiary)
		if err != nil {
			return types.ErrBadSplit.Wrap(err.Error())
		}
		if err := k.credit(root, b, ln.AmountFen); err != nil {
			return err
		}
	}
	return nil
}

// record stores a trade with its indexes (by buyer, seller and asset) and
// emits traded.
func (k Keeper) record(ctx context.Context, root store.KV, tr *types.Trade) *types.Trade {
	kv, n, b := k.kv(root), k.nextN(root, seqTrade), env.BlockOf(ctx)
	tr.Id, tr.Height, tr.Time, tr.TxHash = types.TradeID(n), b.Height, rightstypes.Timestamp(b.Time), txHash(ctx)
	kv.Set(TradeKey(n), store.Encode(tr))
	kv.Set(store.Concat(tradeBuyerPrefix, addr(tr.Buyer), u64(n)), store.Marker)
	kv.Set(store.Concat(tradeSellerPrefix, addr(tr.Seller), u64(n)), store.Marker)
	kv.Set(store.Concat(tradeAssetPrefix, assetKey(tr.AssetId), u64(n)), store.Marker)
	env.Emit(ctx, types.EventTraded, env.Indexed(types.AttrTradeID, tr.Id), env.Indexed(types.AttrListingID, tr.ListingId),
		env.Indexed(types.AttrBidID, tr.BidId), env.Indexed(types.AttrAssetID, tr.AssetId),
		env.Indexed(types.AttrBuyer, tr.Buyer), env.Indexed(types.AttrSeller, tr.Seller),
		env.Plain(types.AttrQuantity, fen(tr.Quantity)), env.Indexed(types.AttrAmountFen, fen(tr.AmountFen)),
		env.Plain(types.AttrRightIDs, strings.Join(tr.RightIds, ",")))
	return tr
}

// deliverLicence mints a bought licence and requires it to be usable at
// once. A red line that needs the data admin (important data, personal data
// not de-identified) would mint it pending approval: the buyer would pay for
// a right it cannot exercise, so the sale is refused instead (the whole tx,
// payment included, is discarded); such data is shared by request.
func (k Keeper) deliverLicence(ctx context.Context, root store.KV, parentID, buyer string, scope *rightstypes.Scope, until time.Time) (string, error) {
	id, err := k.rights.License(ctx, root, parentID, buyer, scope, until)
	if err != nil {
		return "", err
	}
	r, err := k.rights.Right(root, id)
	if err != nil {
		return "", err
	}
	if r.Status != rightstypes.RightStatus_RIGHT_STATUS_ACTIVE {
		return "", types.ErrLicencePending.Wrapf("a licence from %s would be %s (the red lines need the data admin's approval): request the right from its holder instead",
			parentID, rightstypes.StatusName(r.Status))
	}
	return id, nil
}
