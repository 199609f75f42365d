package keeper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/types"
)

// Keeper owns the registry's state. Like every keeper it holds no state of
// its own: each method takes the store it works on. It asks x/identity who
// acts and x/rights about the rights on an asset, through the interfaces
// in types/expected.go.
type Keeper struct {
	identity types.Identity
	rights   types.Rights
}

// New returns the registry keeper without x/rights. x/rights is built from
// this keeper (it reads assets through Asset), so the app builds the
// registry first, then rights, then calls WithRights. Until then every
// handler that needs rights fails with an internal error instead of
// panicking on a nil interface.
func New(id types.Identity) Keeper { return Keeper{identity: id, rights: unwired{}} }

// WithRights returns the keeper wired to x/rights.
func (k Keeper) WithRights(r types.Rights) Keeper {
	k.rights = r
	return k
}

func (Keeper) kv(root store.KV) store.KV { return store.NewPrefix(root, StorePrefix) }

// Asset returns the asset with the id, or ErrAssetNotFound. It needs
// neither identity nor rights: x/rights calls it.
func (k Keeper) Asset(root store.KV, id string) (*types.Asset, error) {
	n, err := types.ParseAssetID("asset_id", id)
	if err != nil {
		return nil, err
	}
	bz := k.kv(root).Get(AssetKey(n))
	if bz == nil {
		return nil, types.ErrAssetNotFound.Wrapf("no asset has id %s", id)
	}
	return decodeAsset(bz), nil
}

// mustAsset reads an asset that an index or the queue points at; a
// dangling pointer is corruption.
func (k Keeper) mustAsset(root store.KV, n uint64) *types.Asset {
	bz := k.kv(root).Get(AssetKey(n))
	if bz == nil {
		panic(&store.Fault{Err: fmt.Errorf("registry: index points at missing asset %s", types.FormatAssetID(n))})
	}
	return decodeAsset(bz)
}

// Params returns the registry params (the defaults if none are stored).
func (k Keeper) Params(root store.KV) *types.Params {
	bz := k.kv(root).Get(paramsKey)
	if bz == nil {
		return types.DefaultParams()
	}
	p := &types.Params{}
	store.Decode(bz, p)
	return p
}

// SetParams validates and stores the params (genesis, governance).
func (k Keeper) SetParams(root store.KV, p *types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	k.kv(root).Set(paramsKey, store.Encode(p))
	return nil
}

// setAsset writes an asset and keeps every index derived from its fields
// (kind, classification, grade, source department, status, notice queue)
// in step. old is the asset as it was (nil when new): its entries that no
// longer hold are removed, so the queue holds exactly the assets in notice.
func (k Keeper) setAsset(root store.KV, old, a *types.Asset) {
	kv := k.kv(root)
	kv.Set(AssetKey(number(a)), store.Encode(a))
	fresh := indexKeys(a)
	if old != nil {
		for _, key := range indexKeys(old) {
			if !containsKey(fresh, key) {
				kv.Delete(key)
			}
		}
	}
	for _, key := range fresh {
		kv.Set(key, store.Marker)
	}
}

// indexKeys are the marker-valued index entries of an asset.
func indexKeys(a *types.Asset) [][]byte {
	n := number(a)
	keys := [][]byte{
		enumKey(kindPrefix, int32(a.Kind), n),
		enumKey(classificationPrefix, int32(a.Classification), n),
		enumKey(gradePrefix, int32(a.Grade), n),
		enumKey(statusPrefix, int32(a.Status), n),
	}
	if a.SourceDepartment != "" {
		keys = append(keys, sourceKey(address.Bytes(a.SourceDepartment), n))
	}
	if a.Status == types.AssetStatus_ASSET_STATUS_IN_NOTICE {
		keys = append(keys, noticeKey(a.NoticeEnds.AsTime(), n))
	}
	return keys
}

func containsKey(keys [][]byte, key []byte) bool {
	for _, k := range keys {
		if bytes.Equal(k, key) {
			return true
		}
	}
	return false
}

// startNotice puts an asset in its public notice period (公示期), which ends
// notice_period after the current block's time.
func (k Keeper) startNotice(ctx context.Context, root store.KV, a *types.Asset) {
	a.Status = types.AssetStatus_ASSET_STATUS_IN_NOTICE
	a.NoticeEnds = timestamppb.New(env.BlockOf(ctx).Time.Add(k.Params(root).NoticePeriod()))
}

// certify ends a registration without an objection standing: the asset is
// certified (登记凭证) with the next certificate number, and asset_certified
// is emitted. Core data is the exception, whichever way it got here: it is
// catalogued, never certified (red line). The caller writes the asset.
func (k Keeper) certify(ctx context.Context, root store.KV, a *types.Asset) {
	if a.IsCore() {
		a.Status, a.NoticeEnds = types.AssetStatus_ASSET_STATUS_CATALOGUED, nil
		return
	}
	b := env.BlockOf(ctx)
	seq := getU64(k.kv(root), certSeqKey) + 1
	k.kv(root).Set(certSeqKey, u64(seq))
	a.Status = types.AssetStatus_ASSET_STATUS_CERTIFIED
	a.CertificateNo = CertificateNo(b.Time, seq)
	a.CertifiedHeight = b.Height
	env.Emit(ctx, types.EventAssetCertified, env.Indexed(types.AttrAssetID, a.Id),
		env.Indexed(types.AttrParty, a.Registrant), env.Plain(types.AttrCertificateNo, a.CertificateNo))
}

// chinaTime is China Standard Time as a fixed offset: the certificate's
// year is the year in Bazhong, and a fixed zone needs no time zone
// database, so every node computes the same number.
var chinaTime = time.FixedZone("CST", 8*60*60)

// CertificateNo formats certificate number seq issued at block time t:
// "BZDR-<year>-<seq, 6 digits or more>". The sequence runs across years,
// so a number is unique whatever the year part says.
func CertificateNo(t time.Time, seq uint64) string {
	return fmt.Sprintf("BZDR-%04d-%06d", t.In(chinaTime).Year(), seq)
}

// putVersion records the asset's current content hash as its current
// version and indexes the hash.
func (k Keeper) putVersion(ctx context.Context, root store.KV, a *types.Asset, by, note string) {
	b := env.BlockOf(ctx)
	n := number(a)
	v := &types.Version{Number: a.Version, ContentHash: a.ContentHash, Note: note, AddedBy: by, Height: b.Height, Time: timestamppb.New(b.Time)}
	kv := k.kv(root)
	kv.Set(versionKey(n, a.Version), store.Encode(v))
	kv.Set(contentKey(a.ContentHash), u64(n))
}

// release frees a cancelled asset's catalogue code and every version's
// content hash, so that the rightful source can register them.
func (k Keeper) release(root store.KV, a *types.Asset) {
	kv := k.kv(root)
	n := number(a)
	if getU64(kv, catalogueKey(a.CatalogueCode)) == n {
		kv.Delete(catalogueKey(a.CatalogueCode))
	}
	var hashes []string
	it := kv.Iterator(versionsOf(n), store.PrefixEnd(versionsOf(n)))
	for ; it.Valid(); it.Next() {
		v := &types.Version{}
		store.Decode(it.Value(), v)
		hashes = append(hashes, v.ContentHash)
	}
	it.Close()
	for _, h := range hashes {
		if getU64(kv, contentKey(h)) == n {
			kv.Delete(contentKey(h))
		}
	}
}

// number is the sequence number of a stored asset's id; we wrote the id,
// so a bad one is corruption.
func number(a *types.Asset) uint64 {
	n, err := types.ParseAssetID("asset_id", a.Id)
	if err != nil {
		panic(&store.Fault{Err: err})
	}
	return n
}

func decodeAsset(bz []byte) *types.Asset {
	a := &types.Asset{}
	store.Decode(bz, a)
	return a
}

func clone(a *types.Asset) *types.Asset { return proto.Clone(a).(*types.Asset) }

var errBadCounter = errors.New("registry: counter or index value is not 8 bytes")

// errUnwired is what the registry answers when the app forgot WithRights:
// an unregistered error, so the tx fails as an internal error, loudly.
var errUnwired = errors.New("registry: x/rights is not wired (the app must call WithRights)")

// unwired stands in for x/rights until WithRights.
type unwired struct{}

func (unwired) MintRoot(context.Context, store.KV, *types.Asset) (string, error) {
	return "", errUnwired
}
func (unwired) HolderOf(store.KV, *types.Asset) (string, error) { return "", errUnwired }
func (unwired) CheckDerive(context.Context, store.KV, string, *types.Asset) (string, string, error) {
	return "", "", errUnwired
}
func (unwired) EndAll(context.Context, store.KV, *types.Asset, string) error { return errUnwired }
func (unwired) Recheck(context.Context, store.KV, *types.Asset) error        { return errUnwired }
