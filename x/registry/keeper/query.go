package keeper

import (
	"encoding/binary"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/types"
)

// QueryAsset answers /registry/asset. The value is the asset exactly as
// stored and proofKey its key in the state tree, so that the app can attach
// a proof of (key, value), or of the key's absence, against the app hash.
func (k Keeper) QueryAsset(root store.KV, req *types.QueryAssetRequest) (value, proofKey []byte, err error) {
	n, err := types.ParseAssetID("id", req.Id)
	if err != nil {
		return nil, nil, err
	}
	bz := k.kv(root).Get(AssetKey(n))
	if bz == nil {
		return nil, FullAssetKey(n), types.ErrAssetNotFound.Wrapf("no asset has id %s", req.Id)
	}
	return bz, FullAssetKey(n), nil
}

// QueryAssets answers /registry/assets: all assets in registration order,
// or those with one kind, classification, grade, source department or
// status (one filter: each is one index), one page at a time.
func (k Keeper) QueryAssets(root store.KV, req *types.QueryAssetsRequest) (*types.QueryAssetsResponse, error) {
	prefix, err := assetsIndex(req)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryAssetsResponse{}
	byIndex := prefix[0] != assetPrefix[0]
	page, err := query.Paginate(k.kv(root), prefix, req.Page, func(key, value []byte) error {
		if byIndex { // an index entry: the key is the asset number
			resp.Assets = append(resp.Assets, k.mustAsset(root, getNumber(key)))
			return nil
		}
		resp.Assets = append(resp.Assets, decodeAsset(value))
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}

// assetsIndex picks the range a list query walks.
func assetsIndex(req *types.QueryAssetsRequest) ([]byte, error) {
	filters := []struct {
		set, valid bool
		field      string
		v          int32
		prefix     []byte
	}{
		{req.Kind != 0, types.ValidKind(req.Kind), "kind", int32(req.Kind), kindPrefix},
		{req.Classification != 0, types.ValidClassification(req.Classification), "classification", int32(req.Classification), classificationPrefix},
		{req.Grade != 0, types.ValidGrade(req.Grade), "grade", int32(req.Grade), gradePrefix},
		{req.Status != 0, types.ValidStatus(req.Status), "status", int32(req.Status), statusPrefix},
	}
	var chosen [][]byte
	for _, f := range filters {
		if !f.set {
			continue
		}
		if !f.valid {
			return nil, types.ErrInvalidField.Wrapf("%s %d is not defined", f.field, f.v)
		}
		chosen = append(chosen, store.Concat(f.prefix, []byte{byte(f.v)}))
	}
	if req.SourceDepartment != "" {
		src, err := types.ParseAddress("source_department", req.SourceDepartment)
		if err != nil {
			return nil, err
		}
		chosen = append(chosen, store.Concat(sourcePrefix, address.Bytes(src)))
	}
	switch len(chosen) {
	case 0:
		return assetPrefix, nil
	case 1:
		return chosen[0], nil
	}
	return nil, types.ErrInvalidField.Wrap("filter by one of kind, classification, grade, source department or status")
}

// getNumber reads an 8-byte asset number (an index key's tail).
func getNumber(key []byte) uint64 {
	if len(key) != 8 {
		panic(&store.Fault{Err: errBadCounter})
	}
	return binary.BigEndian.Uint64(key)
}

// QueryVersions answers /registry/versions: an asset's content versions,
// oldest first.
func (k Keeper) QueryVersions(root store.KV, req *types.QueryVersionsRequest) (*types.QueryVersionsResponse, error) {
	a, err := k.Asset(root, req.AssetId)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryVersionsResponse{}
	resp.Page, err = query.Paginate(k.kv(root), versionsOf(number(a)), req.Page, func(_, value []byte) error {
		v := &types.Version{}
		store.Decode(value, v)
		resp.Versions = append(resp.Versions, v)
		return nil
	})
	return resp, err
}

// QueryValuations answers /registry/valuations: an asset's valuations,
// oldest first.
func (k Keeper) QueryValuations(root store.KV, req *types.QueryValuationsRequest) (*types.QueryValuationsResponse, error) {
	a, err := k.Asset(root, req.AssetId)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryValuationsResponse{}
	resp.Page, err = query.Paginate(k.kv(root), valuationsOf(number(a)), req.Page, func(_, value []byte) error {
		v := &types.Valuation{}
		store.Decode(value, v)
		resp.Valuations = append(resp.Valuations, v)
		return nil
	})
	return resp, err
}

// QueryCertificate answers /registry/certificate: the registration
// certificate (登记凭证) of a certified asset, naming its current holder as
// x/rights records it. It is a view of the asset: to prove it, prove the
// asset (/registry/asset with --prove).
func (k Keeper) QueryCertificate(root store.KV, req *types.QueryCertificateRequest) (*types.Certificate, error) {
	a, err := k.Asset(root, req.AssetId)
	if err != nil {
		return nil, err
	}
	if a.CertificateNo == "" {
		return nil, types.ErrNotCertified.Wrapf("%s is %s", a.Id, types.StatusName(a.Status))
	}
	holder, err := k.rights.HolderOf(root, a)
	if err != nil {
		return nil, err
	}
	return &types.Certificate{
		CertificateNo: a.CertificateNo, AssetId: a.Id, Name: a.Name, CatalogueCode: a.CatalogueCode,
		Holder: holder, ContentHash: a.ContentHash, CertifiedHeight: a.CertifiedHeight,
		Classification: a.Classification, Grade: a.Grade,
	}, nil
}

// Products lists, one page at a time, the assets that name asset id as an
// input (downstream lineage), from the input→product index: a trace
// downstream reads only the edges it follows.
// The asset's existence is checked without decoding it: a trace calls
// this once per asset it reaches.
func (k Keeper) Products(root store.KV, id string, page *query.PageRequest) ([]string, *query.PageResponse, error) {
	n, err := types.ParseAssetID("asset_id", id)
	if err != nil {
		return nil, nil, err
	}
	if !k.kv(root).Has(AssetKey(n)) {
		return nil, nil, types.ErrAssetNotFound.Wrapf("no asset has id %s", id)
	}
	var out []string
	p := store.Concat(productsPrefix, u64(n))
	resp, err := query.Paginate(k.kv(root), p, page, func(key, _ []byte) error {
		out = append(out, types.FormatAssetID(getNumber(key)))
		return nil
	})
	return out, resp, err
}
