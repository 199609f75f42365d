package keeper

import (
	"context"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/types"
)

// ReclassifyAsset: the data admin changes an asset's classification, grade
// or open level (分类分级), then x/rights re-checks every live right on it
// against the red lines of the new grading and suspends those that now
// break one.
//
// Who may register what (checkSource) is not re-applied: reclassification
// is the regulator's judgement about data already catalogued, and its
// consequences for circulation are enforced on the rights. The registration
// status follows the core-data red line (restatus).
func (k Keeper) ReclassifyAsset(ctx context.Context, root store.KV, m *types.MsgReclassifyAsset) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	admin, a, err := k.adminAndAsset(ctx, root, m.AssetId)
	if err != nil {
		return "", err
	}
	if a.IsCancelled() {
		return "", types.ErrCancelled.Wrapf("%s was cancelled: %s", a.Id, a.StatusReason)
	}
	old := clone(a)
	if err := regrade(a, m); err != nil {
		return "", err
	}
	k.restatus(ctx, root, a)
	k.setAsset(root, old, a)
	env.Emit(ctx, types.EventAssetReclassified, env.Indexed(types.AttrAssetID, a.Id), env.Indexed(types.AttrParty, admin.Address),
		env.Plain(types.AttrClassification, types.ClassificationName(a.Classification)), env.Plain(types.AttrGrade, types.GradeName(a.Grade)),
		env.Plain(types.AttrOpenLevel, types.OpenLevelName(a.OpenLevel)), env.Plain(types.AttrStatus, types.StatusName(a.Status)),
		env.Plain(types.AttrReason, m.Reason))
	if err := k.rights.Recheck(ctx, root, a); err != nil {
		return "", err
	}
	return a.Id, nil
}

// regrade applies a reclassification to a. A zero field keeps its value,
// except that data that stops being public loses its open level (the open
// level is a property of public data only); data that becomes public needs
// one. A reclassification that changes nothing is refused, so that every
// asset_reclassified event means something.
func regrade(a *types.Asset, m *types.MsgReclassifyAsset) error {
	c, g, o := a.Classification, a.Grade, a.OpenLevel
	if m.Classification != 0 {
		c = m.Classification
	}
	if m.Grade != 0 {
		g = m.Grade
	}
	if m.OpenLevel != 0 {
		o = m.OpenLevel
	} else if c != types.Classification_CLASSIFICATION_PUBLIC {
		o = types.OpenLevel_OPEN_LEVEL_UNSPECIFIED
	}
	if err := types.ValidateGrading(c, g, o); err != nil {
		return err
	}
	if c == a.Classification && g == a.Grade && o == a.OpenLevel {
		return types.ErrNoChange.Wrapf("%s is already %s, %s, open level %s", a.Id,
			types.ClassificationName(c), types.GradeName(g), types.OpenLevelName(o))
	}
	a.Classification, a.Grade, a.OpenLevel = c, g, o
	return nil
}

// restatus keeps the core-data red line through a reclassification.
//
//   - In notice, now core: catalogued at once, out of the notice queue, so
//     that the end of the period cannot certify it.
//   - Catalogued, no longer core: it may now circulate, so it goes through
//     the public notice it never had, starting now.
//   - Certified, now core: core data is never certified for circulation, so
//     the certificate is withdrawn and the asset is catalogued (its number
//     stays on the record, with the reason); x/rights' red lines suspend
//     every right outside the source department on Recheck.
//   - Disputed: the data admin's resolution decides; a dismissal catalogues
//     core data instead of certifying it (certify).
func (k Keeper) restatus(ctx context.Context, root store.KV, a *types.Asset) {
	switch {
	case a.IsCore() && a.Status == types.AssetStatus_ASSET_STATUS_IN_NOTICE:
		a.Status, a.NoticeEnds = types.AssetStatus_ASSET_STATUS_CATALOGUED, nil
	case a.IsCore() && a.Status == types.AssetStatus_ASSET_STATUS_CERTIFIED:
		a.Status = types.AssetStatus_ASSET_STATUS_CATALOGUED
		a.StatusReason = "reclassified as core data: certificate " + a.CertificateNo + " withdrawn, catalogued for the inventory only"
	case !a.IsCore() && a.Status == types.AssetStatus_ASSET_STATUS_CATALOGUED:
		k.startNotice(ctx, root, a)
	}
}
