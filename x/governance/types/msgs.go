package types

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmttypes "github.com/cometbft/cometbft/types"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/validate"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
)

// Field limits of a proposal.
const (
	// MaxTitleBytes leaves room for the title in the reason x/identity
	// records when a department is removed (256 bytes).
	MaxTitleBytes       = 200
	MaxDescriptionBytes = 10_000
)

const proposalIDPrefix = "p-"

// FormatProposalID is the id of proposal number n: "p-<n>".
func FormatProposalID(n uint64) string { return proposalIDPrefix + strconv.FormatUint(n, 10) }

// ParseProposalID is the inverse of FormatProposalID; one spelling per id
// (no leading zeros).
func ParseProposalID(field, s string) (uint64, error) {
	digits, ok := strings.CutPrefix(s, proposalIDPrefix)
	if !ok || digits == "" || digits[0] == '0' {
		return 0, ErrInvalidID.Wrapf("%s %q: want a proposal id like p-7", field, s)
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, ErrInvalidID.Wrapf("%s %q: want a proposal id like p-7", field, s)
	}
	return n, nil
}

// Validate checks a proposal without state: a title, a bounded
// description, and one well-formed action.
func (m *MsgSubmitProposal) Validate() error {
	if err := validate.Text("title", m.GetTitle(), MaxTitleBytes, true); err != nil {
		return ErrInvalidProposal.Wrap(err.Error())
	}
	if strings.ContainsAny(m.GetTitle(), "\n\t") {
		return ErrInvalidProposal.Wrap("title is one line")
	}
	if err := validate.Text("description", m.GetDescription(), MaxDescriptionBytes, false); err != nil {
		return ErrInvalidProposal.Wrap(err.Error())
	}
	return m.GetAction().Validate()
}

// Validate checks a vote without state: a proposal id and yes, no or
// abstain.
func (m *MsgVote) Validate() error {
	if _, err := ParseProposalID("proposal_id", m.GetProposalId()); err != nil {
		return err
	}
	if !ValidOption(m.GetOption()) {
		return ErrInvalidVote.Wrapf("option %d: want yes, no or abstain", m.GetOption())
	}
	return nil
}

// Validate checks an action without state: exactly one kind, each field
// well-formed, params within their module's bounds. A nil action is
// refused.
func (a *Action) Validate() error {
	switch x := a.GetAction().(type) {
	case *Action_AddDepartment:
		return validateAdd(x.AddDepartment)
	case *Action_RemoveDepartment:
		return action("remove_department", checkAddress(x.RemoveDepartment.GetAddress()))
	case *Action_SetPower:
		return action("set_power", checkAddress(x.SetPower.GetAddress()), checkPower(x.SetPower.GetPower()))
	case *Action_GrantRole:
		return action("grant_role", checkAddress(x.GrantRole.GetAddress()), checkRole(x.GrantRole.GetRole()))
	case *Action_RevokeRole:
		return action("revoke_role", checkAddress(x.RevokeRole.GetAddress()), checkRole(x.RevokeRole.GetRole()))
	case *Action_SetParams:
		return x.SetParams.Validate()
	case *Action_FreezeAsset:
		f := x.FreezeAsset
		return action("freeze_asset", (&regtypes.MsgFreezeAsset{AssetId: f.GetAssetId(), Reason: f.GetReason()}).Validate())
	case *Action_UnfreezeAsset:
		f := x.UnfreezeAsset
		return action("unfreeze_asset", (&regtypes.MsgUnfreezeAsset{AssetId: f.GetAssetId(), Reason: f.GetReason()}).Validate())
	}
	return ErrInvalidAction.Wrap("a proposal does one thing: give one action")
}

func validateAdd(d *AddDepartment) error {
	checks := []error{
		checkAddress(d.GetAddress()),
		idtypes.ValidateName(d.GetName()),
		idtypes.ValidateOrgCodeFor(idtypes.PartyKind_PARTY_KIND_DEPARTMENT, d.GetOrgCode()),
		checkPower(d.GetPower()),
	}
	if n := len(d.GetPubKey()); n != ed25519.PubKeySize {
		checks = append(checks, fmt.Errorf("pub_key is %d bytes, want %d (the ed25519 key of the department's validator node)", n, ed25519.PubKeySize))
	}
	seen := map[idtypes.Role]bool{}
	for _, r := range d.GetRoles() {
		if err := checkRole(r); err != nil {
			checks = append(checks, err)
		}
		if seen[r] {
			checks = append(checks, fmt.Errorf("role %s is given twice", idtypes.RoleName(r)))
		}
		seen[r] = true
	}
	return action("add_department", checks...)
}

// action wraps the first failed check of an action kind.
func action(kind string, checks ...error) error {
	for _, err := range checks {
		if err != nil {
			return ErrInvalidAction.Wrapf("%s: %s", kind, reason(err))
		}
	}
	return nil
}

// reason is the sentence of an error from another module's check, without
// that module's generic description: "name is empty" rather than "invalid
// party name: name is empty".
func reason(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		if s, ok := strings.CutPrefix(err.Error(), e.Error()+": "); ok {
			return s
		}
	}
	return err.Error()
}

// checkAddress requires the canonical (EIP-55) spelling: the proposal is
// stored and shown as sent, so it names each party one way.
func checkAddress(s string) error {
	a, err := idtypes.ParseAddress("address", s)
	if err != nil {
		return err
	}
	if a != s {
		return fmt.Errorf("address %s is not in canonical EIP-55 form %s", s, a)
	}
	return nil
}

func checkPower(p int64) error {
	if p <= 0 || p > cmttypes.MaxTotalVotingPower {
		return fmt.Errorf("power %d: want 1 to %d", p, cmttypes.MaxTotalVotingPower)
	}
	return nil
}

func checkRole(r idtypes.Role) error {
	if !idtypes.ValidRole(r) {
		return fmt.Errorf("role %d: want data_admin, auditor, operator, exchange or assessor", r)
	}
	return nil
}

// Validate checks new params of exactly one module against that module's
// own bounds.
func (s *SetParams) Validate() error {
	var err error
	switch x := s.GetParams().(type) {
	case *SetParams_Registry:
		err = x.Registry.Validate()
	case *SetParams_Rights:
		err = x.Rights.Validate()
	case *SetParams_Governance:
		err = x.Governance.Validate()
	case *SetParams_Authorization:
		err = x.Authorization.Validate()
	case *SetParams_Market:
		err = x.Market.Validate()
	case *SetParams_Revenue:
		err = x.Revenue.Validate()
	default:
		return ErrInvalidParams.Wrap("set_params: give the params of one module")
	}
	if err != nil {
		return ErrInvalidParams.Wrapf("%s: %s", ParamsModule(s), reason(err))
	}
	return nil
}

// ParamsModule names the module whose params s sets ("registry"), or "".
func ParamsModule(s *SetParams) string { return oneofName(s, "params") }

// Modules whose params governance sets, as the CLI names them.
var ParamsModules = []string{"registry", "rights", "governance", "authorization", "market", "revenue"}

// ActionName is the kind of an action ("add_department"), or "" if none.
func ActionName(a *Action) string { return oneofName(a, "action") }

func oneofName(m proto.Message, oneof protoreflect.Name) string {
	if m == nil {
		return ""
	}
	r := m.ProtoReflect()
	if !r.IsValid() {
		return ""
	}
	fd := r.WhichOneof(r.Descriptor().Oneofs().ByName(oneof))
	if fd == nil {
		return ""
	}
	return string(fd.Name())
}

// Describe is a one-line account of what an action does, for people.
func Describe(a *Action) string {
	switch x := a.GetAction().(type) {
	case *Action_AddDepartment:
		d := x.AddDepartment
		s := fmt.Sprintf("add department %s (%s, %s) with validator power %d", d.GetAddress(), d.GetName(), d.GetOrgCode(), d.GetPower())
		if len(d.GetRoles()) > 0 {
			s += " and roles " + roleList(d.GetRoles())
		}
		return s
	case *Action_RemoveDepartment:
		return "remove department " + x.RemoveDepartment.GetAddress()
	case *Action_SetPower:
		return fmt.Sprintf("set the validator power of %s to %d", x.SetPower.GetAddress(), x.SetPower.GetPower())
	case *Action_GrantRole:
		return fmt.Sprintf("grant %s the %s role", x.GrantRole.GetAddress(), idtypes.RoleName(x.GrantRole.GetRole()))
	case *Action_RevokeRole:
		return fmt.Sprintf("revoke the %s role of %s", idtypes.RoleName(x.RevokeRole.GetRole()), x.RevokeRole.GetAddress())
	case *Action_SetParams:
		return "set the " + ParamsModule(x.SetParams) + " params"
	case *Action_FreezeAsset:
		return fmt.Sprintf("freeze asset %s: %s", x.FreezeAsset.GetAssetId(), x.FreezeAsset.GetReason())
	case *Action_UnfreezeAsset:
		return fmt.Sprintf("unfreeze asset %s: %s", x.UnfreezeAsset.GetAssetId(), x.UnfreezeAsset.GetReason())
	}
	return "nothing"
}

func roleList(rs []idtypes.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = idtypes.RoleName(r)
	}
	return strings.Join(names, ",")
}

// Enum prefixes in the generated names.
const (
	statusPrefix = "PROPOSAL_STATUS_"
	optionPrefix = "VOTE_OPTION_"
)

// StatusName is the short lower-case name of a status ("voting").
func StatusName(s ProposalStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), statusPrefix))
}

// ParseStatus is the inverse of StatusName.
func ParseStatus(s string) (ProposalStatus, error) {
	v, ok := ProposalStatus_value[statusPrefix+strings.ToUpper(strings.TrimSpace(s))]
	if !ok || v == 0 {
		return 0, ErrInvalidProposal.Wrapf("status %q: want voting, executed, rejected or failed", s)
	}
	return ProposalStatus(v), nil
}

// ValidStatus reports whether s is a defined, non-zero status.
func ValidStatus(s ProposalStatus) bool {
	_, ok := ProposalStatus_name[int32(s)]
	return ok && s != ProposalStatus_PROPOSAL_STATUS_UNSPECIFIED
}

// OptionName is the short lower-case name of a vote option ("yes").
func OptionName(o VoteOption) string {
	return strings.ToLower(strings.TrimPrefix(o.String(), optionPrefix))
}

// ParseOption is the inverse of OptionName.
func ParseOption(s string) (VoteOption, error) {
	v, ok := VoteOption_value[optionPrefix+strings.ToUpper(strings.TrimSpace(s))]
	if !ok || v == 0 {
		return 0, ErrInvalidVote.Wrapf("%q: want yes, no or abstain", s)
	}
	return VoteOption(v), nil
}

// ValidOption reports whether o is yes, no or abstain.
func ValidOption(o VoteOption) bool {
	_, ok := VoteOption_name[int32(o)]
	return ok && o != VoteOption_VOTE_OPTION_UNSPECIFIED
}

// Passes reports whether yes votes are more than two thirds of the
// departments: 3 of 4, 5 of 7, 1 of 1, never with no departments. The
// counts are small (one vote per department), so the products cannot
// overflow.
func Passes(yes, departments uint32) bool {
	return departments > 0 && uint64(yes)*3 > uint64(departments)*2
}
