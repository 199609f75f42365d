package cli

import (
	"strconv"

	"github.com/datarights/datarights/x/provenance/types"
)

// PROV-JSON (https://www.w3.org/submissions/prov-json/) export of a trace.

// ProvNamespace is the namespace of datarights ids in PROV-JSON ("dr:a-1").
const ProvNamespace = "https://datarights.invalid/ns#"

// ProvJSON is a PROV-JSON document: each section maps an identifier to
// its attributes.
type ProvJSON struct {
	Prefix          map[string]string         `json:"prefix"`
	Entity          map[string]map[string]any `json:"entity,omitempty"`
	Activity        map[string]map[string]any `json:"activity,omitempty"`
	Agent           map[string]map[string]any `json:"agent,omitempty"`
	Used            map[string]map[string]any `json:"used,omitempty"`
	WasGeneratedBy  map[string]map[string]any `json:"wasGeneratedBy,omitempty"`
	WasDerivedFrom  map[string]map[string]any `json:"wasDerivedFrom,omitempty"`
	WasAttributedTo map[string]map[string]any `json:"wasAttributedTo,omitempty"`
}

// ToPROV maps a trace to the PROV data model:
//
//   - assets, products, rights, listings and authorisations are entities,
//     parties are agents (prov:Organization or prov:Person is not known
//     here, so plain agents), trades are activities;
//   - each product's derivation is an activity "dr:derive/<product>" that
//     used its inputs and generated it, with a wasDerivedFrom per input
//     (the right or authorisation that allowed it as dr:via);
//   - a sublicensed right wasDerivedFrom its parent right; a right
//     wasAttributedTo its holder; a trade used its listing and generated
//     the rights it delivered;
//   - right_on and under_authorization are the right's dr:asset and
//     dr:authorization attributes.
//
// It is a pure function of the trace: the same trace gives the same
// document.
func ToPROV(t *types.Trace) *ProvJSON {
	p := &ProvJSON{
		Prefix:   map[string]string{"dr": ProvNamespace},
		Entity:   map[string]map[string]any{},
		Activity: map[string]map[string]any{}, Agent: map[string]map[string]any{},
		Used: map[string]map[string]any{}, WasGeneratedBy: map[string]map[string]any{},
		WasDerivedFrom: map[string]map[string]any{}, WasAttributedTo: map[string]map[string]any{},
	}
	kinds := map[string]string{}
	for _, n := range t.Nodes {
		kinds[n.Id] = n.Kind
		attrs := map[string]any{"prov:type": "dr:" + n.Kind, "prov:label": n.Label, "dr:state": n.State}
		if n.Height != 0 {
			attrs["dr:height"] = n.Height
		}
		switch n.Kind {
		case types.KindParty:
			p.Agent[qn(n.Id)] = attrs
		case types.KindTrade:
			p.Activity[qn(n.Id)] = attrs
		default:
			p.Entity[qn(n.Id)] = attrs
		}
	}
	seq := 0
	id := func() string { seq++; return "_:r" + strconv.Itoa(seq) }
	for _, e := range t.Edges {
		from, to := qn(e.From), qn(e.To)
		switch e.Kind {
		case types.EdgeDerivedFrom:
			act := "dr:derive/" + e.From
			if p.Activity[act] == nil {
				p.Activity[act] = map[string]any{"prov:type": "dr:derivation", "prov:label": "derivation of " + e.From}
				p.WasGeneratedBy[id()] = map[string]any{"prov:entity": from, "prov:activity": act}
			}
			p.Used[id()] = map[string]any{"prov:activity": act, "prov:entity": to}
			d := map[string]any{"prov:generatedEntity": from, "prov:usedEntity": to, "prov:activity": act}
			if e.Via != "" {
				d["dr:via"] = e.Via
			}
			p.WasDerivedFrom[id()] = d
		case types.EdgeSublicensedFrom:
			p.WasDerivedFrom[id()] = map[string]any{"prov:generatedEntity": from, "prov:usedEntity": to, "prov:type": "dr:sublicense"}
		case types.EdgeHeldBy:
			p.WasAttributedTo[id()] = map[string]any{"prov:entity": from, "prov:agent": to}
		case types.EdgeTradedIn:
			if kinds[e.To] == types.KindListing {
				p.Used[id()] = map[string]any{"prov:activity": from, "prov:entity": to}
			} else {
				p.WasGeneratedBy[id()] = map[string]any{"prov:entity": to, "prov:activity": from}
			}
		case types.EdgeRightOn:
			p.Entity[from]["dr:asset"] = to
		case types.EdgeUnderAuthorization:
			p.Entity[from]["dr:authorization"] = to
		case types.EdgeListed:
			p.Entity[from]["dr:right"] = to
		}
	}
	return p
}

func qn(id string) string { return "dr:" + id }
