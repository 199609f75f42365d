package keeper

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/registry/types"
)

// RegisterAsset catalogues an asset (数据资源登记): checks who may register
// it, that its catalogue code and content hash are new (one data, one
// source), and its inputs; stores it in notice (or catalogued, for core
// data) with its first version and lineage; and mints its root right in
// x/rights. It returns the new asset's id.
func (k Keeper) RegisterAsset(ctx context.Context, root store.KV, m *types.MsgRegisterAsset) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	source, err := k.checkSource(root, actor, m)
	if err != nil {
		return "", err
	}
	if err := k.checkUnique(root, m.CatalogueCode, m.ContentHash); err != nil {
		return "", err
	}
	inputs, err := k.checkInputs(ctx, root, actor.Address, m)
	if err != nil {
		return "", err
	}
	a := k.newAsset(ctx, root, actor.Address, source, m, inputs)
	k.create(ctx, root, a)
	// Minted after the asset is stored, so that x/rights may read it back
	// through Asset; a failure here fails the tx, whose branch is dropped.
	if a.HoldingRightId, err = k.rights.MintRoot(ctx, root, a); err != nil {
		return "", err
	}
	k.kv(root).Set(AssetKey(number(a)), store.Encode(a))
	k.emitRegistered(ctx, a)
	return a.Id, nil
}

// checkSource applies who may register what, and returns the canonical
// source department ("" when none).
//
//   - A named source department must be a department party: "one source"
//     means the government department the data comes from. An enterprise
//     registering its own data may name a supervising department, or none.
//   - Core data (核心数据) is catalogued only by its own source department:
//     the red line keeps it inside the department that holds it, and the
//     inventory must say which department that is.
//   - Public data (公共数据) is registered by its source department: public
//     data is operated under authorisation by the department that holds
//     it, and its holding right (minted to the registrant) is never
//     transferable, so nobody else may ever hold it.
func (k Keeper) checkSource(root store.KV, actor *idtypes.Party, m *types.MsgRegisterAsset) (string, error) {
	var src string
	if m.SourceDepartment != "" {
		src, _ = types.ParseAddress("source_department", m.SourceDepartment) // Validate checked it
		p, err := k.identity.Party(root, src)
		if err != nil || !p.IsDepartment() {
			return "", types.ErrSourceNotDepartment.Wrapf("%s is not a registered department", src)
		}
	}
	own := actor.IsDepartment() && src == actor.Address
	switch {
	case m.Grade == types.Grade_GRADE_CORE && !own:
		return "", types.ErrCoreData.Wrapf("core data is catalogued only by its own source department; %s (%s) must be a department and name itself as source_department", actor.Name, actor.Address)
	case m.Classification == types.Classification_CLASSIFICATION_PUBLIC && !own:
		return "", types.ErrPublicDataSource.Wrapf("%s (%s) must be a department and name itself as source_department", actor.Name, actor.Address)
	}
	return src, nil
}

// checkUnique rejects a catalogue code or content hash already registered
// (one data, one source), naming the asset that has it.
func (k Keeper) checkUnique(root store.KV, code, hash string) error {
	if n := getU64(k.kv(root), catalogueKey(code)); n != 0 {
		return types.ErrDuplicateCatalogueCode.Wrapf("%s is the catalogue code of %s", code, k.describe(root, n))
	}
	return k.checkHashFree(root, hash)
}

// checkHashFree rejects a content hash that any version of any live asset
// already has: the same data cannot be registered twice, not even as a new
// version of another asset.
func (k Keeper) checkHashFree(root store.KV, hash string) error {
	if n := getU64(k.kv(root), contentKey(hash)); n != 0 {
		return types.ErrDuplicateContentHash.Wrapf("%s is already registered as %s", hash, k.describe(root, n))
	}
	return nil
}

// describe names an asset in an error message.
func (k Keeper) describe(root store.KV, n uint64) string {
	a := k.mustAsset(root, n)
	return fmt.Sprintf("asset %s (%q, registered by %s)", a.Id, a.Name, a.Registrant)
}

// checkInputs checks the declared inputs against state. Each must exist and
// not be cancelled (a cancelled registration was wrong; nothing may build
// on it). A data product derives from its inputs, so each input must also
// not be frozen (a freeze blocks every right, derivation included), and the
// registrant must be allowed to derive from it: x/rights decides, and its
// refusal is passed on as it is, and the right (and authorisation) that
// allowed each derivation is returned with each input, to be stored with
// the product. Inputs exist before the product, so every
// lineage edge points at an older asset: the lineage is a DAG by
// construction.
func (k Keeper) checkInputs(ctx context.Context, root store.KV, registrant string, m *types.MsgRegisterAsset) ([]*types.Input, error) {
	product := m.Kind == types.AssetKind_ASSET_KIND_DATA_PRODUCT
	inputs := make([]*types.Input, 0, len(m.Inputs))
	for _, in := range m.Inputs {
		a, err := k.Asset(root, in.AssetId)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", in.AssetId, err)
		}
		switch {
		case a.IsCancelled():
			return nil, types.ErrCancelled.Wrapf("input %s was cancelled: %s", a.Id, a.StatusReason)
		case product && a.Frozen:
			return nil, types.ErrFrozen.Wrapf("input %s is frozen: %s", a.Id, a.FrozenReason)
		}
		edge := &types.Input{AssetId: in.AssetId, WeightBps: in.WeightBps}
		if product {
			if edge.RightId, edge.AuthorizationId, err = k.rights.CheckDerive(ctx, root, registrant, a); err != nil {
				return nil, fmt.Errorf("input %s: %w", a.Id, err)
			}
		}
		inputs = append(inputs, edge)
	}
	return inputs, nil
}

// newAsset builds the asset a registration creates, with the next id. Core
// data is catalogued for the inventory and never enters a notice period:
// it is never certified for circulation. Everything else starts its notice
// period now.
func (k Keeper) newAsset(ctx context.Context, root store.KV, registrant, source string, m *types.MsgRegisterAsset, inputs []*types.Input) *types.Asset {
	b := env.BlockOf(ctx)
	a := &types.Asset{
		Id: types.FormatAssetID(getU64(k.kv(root), assetSeqKey) + 1), Kind: m.Kind, CatalogueCode: m.CatalogueCode,
		Name: m.Name, Description: m.Description, SourceDepartment: source, StandardRef: m.StandardRef,
		Classification: m.Classification, Grade: m.Grade, OpenLevel: m.OpenLevel,
		ContentHash: m.ContentHash, SchemaHash: m.SchemaHash, Uri: m.Uri, Deidentified: m.Deidentified,
		Registrant: registrant, RegisteredHeight: b.Height, RegisteredTime: timestamppb.New(b.Time), Version: 1,
		Inputs: inputs,
	}
	if a.IsCore() {
		a.Status = types.AssetStatus_ASSET_STATUS_CATALOGUED
	} else {
		k.startNotice(ctx, root, a)
	}
	return a
}

// create stores a new asset: the id sequence, the asset and its indexes
// (the notice queue among them), the catalogue code, version 1, and the
// lineage edges both ways, so that a trace up or down needs no scan.
func (k Keeper) create(ctx context.Context, root store.KV, a *types.Asset) {
	kv := k.kv(root)
	n := number(a)
	kv.Set(assetSeqKey, u64(n))
	k.setAsset(root, nil, a)
	kv.Set(catalogueKey(a.CatalogueCode), u64(n))
	k.putVersion(ctx, root, a, a.Registrant, "registered")
	for _, in := range a.Inputs {
		i, _ := types.ParseAssetID("input", in.AssetId) // checked by Validate
		kv.Set(inputKey(n, i), store.Marker)
		kv.Set(productKey(i, n), store.Marker)
	}
}

func (k Keeper) emitRegistered(ctx context.Context, a *types.Asset) {
	attrs := []env.Attr{
		env.Indexed(types.AttrAssetID, a.Id), env.Indexed(types.AttrParty, a.Registrant),
		env.Plain(types.AttrKind, types.KindName(a.Kind)), env.Plain(types.AttrCatalogueCode, a.CatalogueCode),
		env.Plain(types.AttrClassification, types.ClassificationName(a.Classification)),
		env.Plain(types.AttrGrade, types.GradeName(a.Grade)), env.Plain(types.AttrStatus, types.StatusName(a.Status)),
		env.Plain(types.AttrContentHash, a.ContentHash), env.Plain(types.AttrRightID, a.HoldingRightId),
	}
	if a.NoticeEnds != nil {
		attrs = append(attrs, env.Plain(types.AttrNoticeEnds, a.NoticeEnds.AsTime().UTC().Format(timeFormat)))
	}
	if len(a.Inputs) > 0 {
		attrs = append(attrs, env.Plain(types.AttrInputs, types.FormatInputs(a.Inputs)))
	}
	env.Emit(ctx, types.EventAssetRegistered, attrs...)
}

// timeFormat is how times appear in events: RFC 3339 in UTC.
const timeFormat = "2006-01-02T15:04:05.999999999Z07:00"
