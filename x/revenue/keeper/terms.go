package keeper

import (
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/revenue/types"
)

// authorized is one authorisation whose terms apply to a settlement, and
// the part of the settlement (in bps of what is left after the levy) it
// covers.
type authorized struct {
	id     string
	weight uint64
}

// termsOf lists the authorisations a sale of asset is made under, in a
// fixed order, each with the part of the sale it covers:
//
//   - the sold right was itself granted under an authorisation (a licence
//     on public data sold by its operator): that authorisation, for all of
//     it;
//   - otherwise, for a product, each authorisation that one of its inputs
//     was derived under (registry records it on the input), for the sum of
//     the weights of those inputs, in the order the inputs are listed. An
//     input derived under a party's own right adds nothing: a product made
//     from two authorised public datasets and one enterprise dataset pays
//     the authorisations' terms on the public datasets' part only.
func termsOf(asset *regtypes.Asset, authorizationID string) []authorized {
	if authorizationID != "" {
		return []authorized{{id: authorizationID, weight: types.TotalBps}}
	}
	var out []authorized
	for _, in := range asset.Inputs {
		if in.AuthorizationId == "" || in.WeightBps == 0 {
			continue
		}
		i := 0
		for i < len(out) && out[i].id != in.AuthorizationId {
			i++
		}
		if i == len(out) {
			out = append(out, authorized{id: in.AuthorizationId})
		}
		out[i].weight += uint64(in.WeightBps)
	}
	return out
}

// authorizationTerms adds, for each authorisation the sale is made under,
// the operator's line and the public service line its revenue terms give
// on its part of rest, and returns what they add up to. Each line is
// floor(rest × weight × share / 10⁸): one rounding per line, the remainder
// staying in rest for the policy split. The terms are those the
// authorisation carries now, whatever its status: a product derived while
// it was active keeps paying under the terms it was made under.
func (s *splitter) authorizationTerms(asset *regtypes.Asset, authorizationID string, rest uint64) (uint64, error) {
	var paid uint64
	for _, t := range termsOf(asset, authorizationID) {
		au, err := s.k.auth.Authorization(s.root, t.id)
		if err != nil {
			return 0, err
		}
		op, ps := uint64(au.GetRevenue().GetOperatorShareBps()), uint64(au.GetRevenue().GetPublicServiceShareBps())
		if op+ps > types.TotalBps {
			return 0, types.ErrInvalidTerms.Wrapf("%s: operator %d + public service %d bps exceed 10,000", au.Id, op, ps)
		}
		const whole = types.TotalBps * types.TotalBps
		opPart, psPart := mulDiv(rest, t.weight*op, whole), mulDiv(rest, t.weight*ps, whole)
		for _, l := range []*types.Line{
			s.add(au.Operator, opPart, kindOperator, asset.Id, 0),
			s.add(types.FundAddress, psPart, kindPublic, asset.Id, 0),
		} {
			if l != nil { // a zero part adds no line
				l.AuthorizationId = au.Id
			}
		}
		paid += opPart + psPart
	}
	return paid, nil
}
