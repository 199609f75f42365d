package types_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/address"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

var addr = address.FromBytes(bytes.Repeat([]byte{0xab}, 20))

// orgCode is a valid unified social credit code.
const orgCode = "91330100799655058B"

func add(edit func(*types.AddDepartment)) *types.Action {
	d := &types.AddDepartment{Address: addr, Name: "department of statistics", OrgCode: orgCode, PubKey: bytes.Repeat([]byte{1}, 32), Power: 10,
		Roles: []idtypes.Role{idtypes.Role_ROLE_AUDITOR}}
	if edit != nil {
		edit(d)
	}
	return &types.Action{Action: &types.Action_AddDepartment{AddDepartment: d}}
}

func params(s *types.SetParams) *types.Action {
	return &types.Action{Action: &types.Action_SetParams{SetParams: s}}
}

func TestActionValidate(t *testing.T) {
	grant := func(a string, r idtypes.Role) *types.Action {
		return &types.Action{Action: &types.Action_GrantRole{GrantRole: &types.GrantRole{Address: a, Role: r}}}
	}
	cases := []struct {
		name string
		a    *types.Action
		want error // nil: valid
	}{
		{"add", add(nil), nil},
		{"add without roles", add(func(d *types.AddDepartment) { d.Roles = nil }), nil},
		{"remove", &types.Action{Action: &types.Action_RemoveDepartment{RemoveDepartment: &types.RemoveDepartment{Address: addr}}}, nil},
		{"set power to CometBFT's limit", &types.Action{Action: &types.Action_SetPower{SetPower: &types.SetPower{Address: addr, Power: cmttypes.MaxTotalVotingPower}}}, nil},
		{"grant", grant(addr, idtypes.Role_ROLE_EXCHANGE), nil},
		{"revoke", &types.Action{Action: &types.Action_RevokeRole{RevokeRole: &types.RevokeRole{Address: addr, Role: idtypes.Role_ROLE_DATA_ADMIN}}}, nil},
		{"registry params", params(&types.SetParams{Params: &types.SetParams_Registry{Registry: regtypes.DefaultParams()}}), nil},
		{"rights params", params(&types.SetParams{Params: &types.SetParams_Rights{Rights: rightstypes.DefaultParams()}}), nil},
		{"governance params", params(&types.SetParams{Params: &types.SetParams_Governance{Governance: types.DefaultParams()}}), nil},
		{"authorization params", params(&types.SetParams{Params: &types.SetParams_Authorization{Authorization: authtypes.DefaultParams()}}), nil},
		{"freeze", &types.Action{Action: &types.Action_FreezeAsset{FreezeAsset: &types.FreezeAsset{AssetId: "a-1", Reason: "r"}}}, nil},
		{"unfreeze", &types.Action{Action: &types.Action_UnfreezeAsset{UnfreezeAsset: &types.UnfreezeAsset{AssetId: "a-1", Reason: "r"}}}, nil},

		{"nil", nil, types.ErrInvalidAction},
		{"empty", &types.Action{}, types.ErrInvalidAction},
		{"empty add", &types.Action{Action: &types.Action_AddDepartment{}}, types.ErrInvalidAction},
		{"add: lower-case address", add(func(d *types.AddDepartment) { d.Address = strings.ToLower(addr) }), types.ErrInvalidAction},
		{"add: bad address", add(func(d *types.AddDepartment) { d.Address = "0x12" }), types.ErrInvalidAction},
		{"add: no name", add(func(d *types.AddDepartment) { d.Name = "" }), types.ErrInvalidAction},
		{"add: bad org code", add(func(d *types.AddDepartment) { d.OrgCode = orgCode[:17] + "0" }), types.ErrInvalidAction},
		{"add: no org code", add(func(d *types.AddDepartment) { d.OrgCode = "" }), types.ErrInvalidAction},
		{"add: 33-byte key", add(func(d *types.AddDepartment) { d.PubKey = append(d.PubKey, 1) }), types.ErrInvalidAction},
		{"add: no key", add(func(d *types.AddDepartment) { d.PubKey = nil }), types.ErrInvalidAction},
		{"add: power 0", add(func(d *types.AddDepartment) { d.Power = 0 }), types.ErrInvalidAction},
		{"add: power over the limit", add(func(d *types.AddDepartment) { d.Power = cmttypes.MaxTotalVotingPower + 1 }), types.ErrInvalidAction},
		{"add: undefined role", add(func(d *types.AddDepartment) { d.Roles = []idtypes.Role{7} }), types.ErrInvalidAction},
		{"add: a role twice", add(func(d *types.AddDepartment) { d.Roles = append(d.Roles, d.Roles...) }), types.ErrInvalidAction},
		{"set power: negative", &types.Action{Action: &types.Action_SetPower{SetPower: &types.SetPower{Address: addr, Power: -1}}}, types.ErrInvalidAction},
		{"grant: no role", grant(addr, 0), types.ErrInvalidAction},
		{"grant: no address", grant("", idtypes.Role_ROLE_AUDITOR), types.ErrInvalidAction},
		{"params: none", params(&types.SetParams{}), types.ErrInvalidParams},
		{"params: nil registry", params(&types.SetParams{Params: &types.SetParams_Registry{}}), types.ErrInvalidParams},
		{"params: registry out of bounds", params(&types.SetParams{Params: &types.SetParams_Registry{Registry: &regtypes.Params{NoticePeriodSeconds: 1}}}), types.ErrInvalidParams},
		{"params: rights out of bounds", params(&types.SetParams{Params: &types.SetParams_Rights{Rights: &rightstypes.Params{MaxDepth: 1}}}), types.ErrInvalidParams},
		{"params: governance period too short", params(&types.SetParams{Params: &types.SetParams_Governance{Governance: &types.Params{VotingPeriodSeconds: 1, MaxClosingsPerBlock: 1}}}), types.ErrInvalidParams},
		{"params: authorization threshold over 100", params(&types.SetParams{Params: &types.SetParams_Authorization{Authorization: &authtypes.Params{EvaluationThreshold: 101, MaxAssets: 1, MaxTermSeconds: 86400, MaxExpiriesPerBlock: 1}}}), types.ErrInvalidParams},
		{"freeze: bad id", &types.Action{Action: &types.Action_FreezeAsset{FreezeAsset: &types.FreezeAsset{AssetId: "a1", Reason: "r"}}}, types.ErrInvalidAction},
		{"unfreeze: no reason", &types.Action{Action: &types.Action_UnfreezeAsset{UnfreezeAsset: &types.UnfreezeAsset{AssetId: "a-1"}}}, types.ErrInvalidAction},
	}
	for _, c := range cases {
		err := c.a.Validate()
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}

// A module's own description is not repeated in governance's message.
func TestActionErrorsReadOnce(t *testing.T) {
	err := add(func(d *types.AddDepartment) { d.Name = " " }).Validate()
	if err == nil || err.Error() != "invalid action: add_department: name is empty" {
		t.Fatalf("error %q", err)
	}
	err = params(&types.SetParams{Params: &types.SetParams_Registry{Registry: &regtypes.Params{}}}).Validate()
	if err == nil || !strings.HasPrefix(err.Error(), "invalid params: registry: notice_period_seconds 0") {
		t.Fatalf("error %q", err)
	}
}

func TestSubmitAndVoteValidate(t *testing.T) {
	ok := &types.MsgSubmitProposal{Title: "add the statistics bureau", Description: "long\ntext", Action: add(nil)}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]*types.MsgSubmitProposal{
		"no title":             {Action: add(nil)},
		"blank title":          {Title: "  ", Action: add(nil)},
		"two-line title":       {Title: "a\nb", Action: add(nil)},
		"long title":           {Title: strings.Repeat("x", types.MaxTitleBytes+1), Action: add(nil)},
		"long description":     {Title: "t", Description: strings.Repeat("x", types.MaxDescriptionBytes+1), Action: add(nil)},
		"control in the title": {Title: "a\x00", Action: add(nil)},
	} {
		if err := m.Validate(); !errors.Is(err, types.ErrInvalidProposal) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := (&types.MsgSubmitProposal{Title: "t"}).Validate(); !errors.Is(err, types.ErrInvalidAction) {
		t.Errorf("no action: %v", err)
	}
	for _, c := range []struct {
		m    *types.MsgVote
		want error
	}{
		{&types.MsgVote{ProposalId: "p-1", Option: types.VoteOption_VOTE_OPTION_ABSTAIN}, nil},
		{&types.MsgVote{ProposalId: "p-1"}, types.ErrInvalidVote},
		{&types.MsgVote{ProposalId: "p-1", Option: 4}, types.ErrInvalidVote},
		{&types.MsgVote{ProposalId: "1", Option: 1}, types.ErrInvalidID},
	} {
		if err := c.m.Validate(); c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%v: %v, want %v", c.m, err, c.want)
		}
	}
}

func TestProposalID(t *testing.T) {
	for _, n := range []uint64{1, 42, 1<<64 - 1} {
		if got, err := types.ParseProposalID("id", types.FormatProposalID(n)); err != nil || got != n {
			t.Errorf("%d: %d, %v", n, got, err)
		}
	}
	for _, s := range []string{"", "p-", "p-0", "p-01", "P-1", "p-1a", "p--1", "p-18446744073709551616", "1"} {
		if _, err := types.ParseProposalID("id", s); !errors.Is(err, types.ErrInvalidID) {
			t.Errorf("%q accepted: %v", s, err)
		}
	}
}

// More than two thirds: yes·3 > 2·departments.
func TestPasses(t *testing.T) {
	for _, c := range []struct {
		yes, of uint32
		want    bool
	}{
		{0, 0, false}, {1, 1, true}, {1, 2, false}, {2, 2, true}, {2, 3, false}, {3, 3, true},
		{2, 4, false}, {3, 4, true}, {3, 5, false}, {4, 5, true}, {4, 6, false}, {5, 6, true},
		{4, 7, false}, {5, 7, true}, {1<<32 - 1, 1<<32 - 1, true},
	} {
		if got := types.Passes(c.yes, c.of); got != c.want {
			t.Errorf("%d of %d: %v, want %v", c.yes, c.of, got, c.want)
		}
	}
}

func TestNames(t *testing.T) {
	for s := types.ProposalStatus(1); s <= 4; s++ {
		if got, err := types.ParseStatus(types.StatusName(s)); err != nil || got != s {
			t.Errorf("status %v: %v, %v", s, got, err)
		}
	}
	for o := types.VoteOption(1); o <= 3; o++ {
		if got, err := types.ParseOption(types.OptionName(o)); err != nil || got != o {
			t.Errorf("option %v: %v, %v", o, got, err)
		}
	}
	if _, err := types.ParseOption("maybe"); !errors.Is(err, types.ErrInvalidVote) {
		t.Error(err)
	}
	if _, err := types.ParseStatus("unspecified"); !errors.Is(err, types.ErrInvalidProposal) {
		t.Error(err)
	}
	if got := types.ActionName(add(nil)); got != "add_department" {
		t.Errorf("action name %q", got)
	}
	if got := types.ActionName(&types.Action{}); got != "" {
		t.Errorf("empty action name %q", got)
	}
	if got := types.ParamsModule(&types.SetParams{Params: &types.SetParams_Authorization{}}); got != "authorization" {
		t.Errorf("params module %q", got)
	}
	if got := types.Describe(add(nil)); !strings.Contains(got, addr) || !strings.Contains(got, "power 10") || !strings.Contains(got, "auditor") {
		t.Errorf("describe %q", got)
	}
}

func TestParams(t *testing.T) {
	if err := types.DefaultParams().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*types.Params{
		{VotingPeriodSeconds: types.MinVotingPeriodSeconds, MaxClosingsPerBlock: 1},
		{VotingPeriodSeconds: types.MaxVotingPeriodSeconds, MaxClosingsPerBlock: types.MaxClosingsLimit},
	} {
		if err := p.Validate(); err != nil {
			t.Errorf("%v: %v", p, err)
		}
	}
	for _, p := range []*types.Params{
		nil, {}, {VotingPeriodSeconds: -1, MaxClosingsPerBlock: 1},
		{VotingPeriodSeconds: types.MinVotingPeriodSeconds - 1, MaxClosingsPerBlock: 1},
		{VotingPeriodSeconds: types.MaxVotingPeriodSeconds + 1, MaxClosingsPerBlock: 1},
		{VotingPeriodSeconds: 3600, MaxClosingsPerBlock: types.MaxClosingsLimit + 1},
	} {
		if err := p.Validate(); !errors.Is(err, types.ErrInvalidParams) {
			t.Errorf("%v: %v", p, err)
		}
	}
}
