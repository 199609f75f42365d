package sim

import (
	"testing"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/app/genesis"
	"github.com/datarights/datarights/tx"
	govtypes "github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
)

// The fixture: three departments (the first is the data admin, the second
// the exchange), one enterprise from genesis (an auditor and operator),
// and fresh keys for everything else.
var (
	Keys  = apptest.Keys(24, "datarights app test")
	Admin = Keys[0] // department, data admin
	Dept  = Keys[1] // department, exchange
	Dept2 = Keys[2] // department
	Ent   = Keys[3] // enterprise from genesis, auditor, operator
)

// Genesis is the fixture's genesis with a short notice period, so that
// random blocks see certifications as well as objections and expiries.
//
// The enterprise (an auditor) is an operator too, so that authorisations
// are applied for from the first block, the second department is the
// exchange, so that money is deposited from the first block, and the
// voting period is the shortest governance allows, so that proposals also
// reach their deadline.
func Genesis() *genesis.GenesisState {
	ent := apptest.Party(Ent, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 4, idtypes.Role_ROLE_AUDITOR, idtypes.Role_ROLE_OPERATOR)
	gs := apptest.Genesis(
		apptest.Department(Admin, 1, 10, idtypes.Role_ROLE_DATA_ADMIN),
		apptest.Department(Dept, 2, 10, idtypes.Role_ROLE_EXCHANGE),
		apptest.Department(Dept2, 3, 20),
		ent,
	)
	p := regtypes.DefaultParams()
	p.NoticePeriodSeconds = 6
	gs.Registry = &regtypes.GenesisState{Params: p}
	gov := govtypes.DefaultParams()
	gov.VotingPeriodSeconds = govtypes.MinVotingPeriodSeconds
	gs.Governance = &govtypes.GenesisState{Params: gov}
	return gs
}

// NewChain returns a fresh in-memory chain initialised with Genesis.
func NewChain(t testing.TB) *apptest.Driver {
	t.Helper()
	d := apptest.New(t)
	d.InitChain(Genesis())
	return d
}

// Message builders for x/identity.

// MsgRegister registers a party.
func MsgRegister(a, name string, kind idtypes.PartyKind, code string) *tx.Msg {
	return &tx.Msg{Sum: &tx.Msg_RegisterParty{RegisterParty: &idtypes.MsgRegisterParty{Address: a, Name: name, Kind: kind, OrgCode: code}}}
}

// MsgUpdate renames a party or changes its org code.
func MsgUpdate(a, name, code string) *tx.Msg {
	return &tx.Msg{Sum: &tx.Msg_UpdateParty{UpdateParty: &idtypes.MsgUpdateParty{Address: a, Name: name, OrgCode: code}}}
}

// MsgSuspend suspends a party.
func MsgSuspend(a, reason string) *tx.Msg {
	return &tx.Msg{Sum: &tx.Msg_SuspendParty{SuspendParty: &idtypes.MsgSuspendParty{Address: a, Reason: reason}}}
}

// MsgReactivate reactivates a suspended party.
func MsgReactivate(a, reason string) *tx.Msg {
	return &tx.Msg{Sum: &tx.Msg_ReactivateParty{ReactivateParty: &idtypes.MsgReactivateParty{Address: a, Reason: reason}}}
}

// MsgAddAgent makes a the signer's agent.
func MsgAddAgent(a string) *tx.Msg {
	return &tx.Msg{Sum: &tx.Msg_AddAgent{AddAgent: &idtypes.MsgAddAgent{Agent: a}}}
}

// MsgRemoveAgent removes the signer's agent a.
func MsgRemoveAgent(a string) *tx.Msg {
	return &tx.Msg{Sum: &tx.Msg_RemoveAgent{RemoveAgent: &idtypes.MsgRemoveAgent{Agent: a}}}
}
