// Package cli holds the governance module's commands: `tx governance
// propose ...`, `tx governance vote` and `query governance ...`. Input is
// checked here, with the same checks the state machine runs (the types
// package's Validate methods), before anything is signed.
package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/spf13/cobra"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mktypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// TxCmd is `tx governance`.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "governance", Short: "propose changes and vote on them, department by department (治理)"}
	propose := &cobra.Command{
		Use:   "propose ACTION ... --title TEXT [--description TEXT]",
		Short: "propose one change for the departments to vote on (提案)",
		Long: `Propose one change. Only a department (its own key or an agent's) may
propose. The proposal is refused at once if its action does not apply to the
ledger as it is now. It passes when more than two thirds of the departments
vote yes (tx governance vote) within the governance voting_period, and is then
executed at the end of that block; otherwise it is rejected when the period
ends.`,
	}
	propose.AddCommand(addDepartmentCmd(), removeDepartmentCmd(), setPowerCmd(), roleCmd(true), roleCmd(false),
		setParamsCmd(), freezeCmd(true), freezeCmd(false))
	for _, c := range propose.Commands() {
		c.Flags().String(flagTitle, "", "one-line title of the proposal (required)")
		c.Flags().String(flagDescription, "", "why, for the departments that vote")
		_ = c.MarkFlagRequired(flagTitle)
		client.AddTxFlags(c)
	}
	v := voteCmd()
	client.AddTxFlags(v)
	cmd.AddCommand(propose, v)
	return cmd
}

const (
	flagTitle       = "title"
	flagDescription = "description"
)

// sendProposal checks the proposal the command describes and sends it.
func sendProposal(cmd *cobra.Command, a *types.Action) error {
	title, _ := cmd.Flags().GetString(flagTitle)
	description, _ := cmd.Flags().GetString(flagDescription)
	m := &types.MsgSubmitProposal{Title: title, Description: description, Action: a}
	if err := m.Validate(); err != nil {
		return err
	}
	return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_SubmitProposal{SubmitProposal: m}})
}

// parseAddress normalises an address argument; proposals carry the
// canonical spelling.
func parseAddress(what, s string) (string, error) {
	a, err := idtypes.ParseAddress(what, s)
	if err != nil {
		return "", types.ErrInvalidAction.Wrap(err.Error())
	}
	return a, nil
}

func addDepartmentCmd() *cobra.Command {
	var addr, name, orgCode, keyFile, pubKey, roles string
	var power int64
	cmd := &cobra.Command{
		Use:   "add-department --address ADDR --name NAME --org-code CODE (--validator-key FILE | --pub-key BASE64) [--power N] [--roles R,...]",
		Short: "propose that a department join, with its validator (新增部门)",
		Long: `Propose that a department join the ledger with its validator node.

The validator's ed25519 public key comes from the new department: either its
node's config/priv_validator_key.json (--validator-key; only the public key is
read) or the output of 'cometbft show-validator', or the base64 key itself
(--pub-key). The key must not be any department's, present or past.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := parseAddress("--address", addr)
			if err != nil {
				return err
			}
			d := &types.AddDepartment{Address: a, Name: name, OrgCode: strings.ToUpper(strings.TrimSpace(orgCode)), Power: power}
			if keyFile != "" {
				d.PubKey, err = readValidatorKey(keyFile)
			} else {
				d.PubKey, err = decodePubKey(pubKey)
			}
			if err != nil {
				return err
			}
			if d.Roles, err = parseRoles(roles); err != nil {
				return err
			}
			return sendProposal(cmd, &types.Action{Action: &types.Action_AddDepartment{AddDepartment: d}})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "address", "", "address of the department's own (CDO) key")
	f.StringVar(&name, "name", "", "name of the department")
	f.StringVar(&orgCode, "org-code", "", "unified social credit code (统一社会信用代码), 18 characters")
	f.StringVar(&keyFile, "validator-key", "", "the department node's priv_validator_key.json, or the JSON of `cometbft show-validator`")
	f.StringVar(&pubKey, "pub-key", "", "the validator's ed25519 public key, base64")
	f.Int64Var(&power, "power", 10, "voting power of the department's validator")
	f.StringVar(&roles, "roles", "", "roles beyond department, comma-separated: data_admin, auditor, operator, exchange, assessor")
	_ = cmd.MarkFlagRequired("address")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("org-code")
	cmd.MarkFlagsOneRequired("validator-key", "pub-key")
	cmd.MarkFlagsMutuallyExclusive("validator-key", "pub-key")
	return cmd
}

// keyJSON is a CometBFT public key in its JSON form.
type keyJSON struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// ed25519KeyType is how CometBFT's JSON names an ed25519 public key.
const ed25519KeyType = "tendermint/PubKeyEd25519"

// readValidatorKey reads the ed25519 public key from a
// priv_validator_key.json ({"pub_key": {...}, ...}; the private key is not
// read) or from the output of `cometbft show-validator` ({"type", "value"}).
func readValidatorKey(path string) ([]byte, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--validator-key: %w", err)
	}
	var f struct {
		PubKey *keyJSON `json:"pub_key"`
		keyJSON
	}
	if err := json.Unmarshal(bz, &f); err != nil {
		return nil, types.ErrInvalidAction.Wrapf("--validator-key %s: not a CometBFT key file: %v", path, err)
	}
	k := f.keyJSON
	if f.PubKey != nil {
		k = *f.PubKey
	}
	if k.Type != ed25519KeyType {
		return nil, types.ErrInvalidAction.Wrapf("--validator-key %s: key type %q, want %s", path, k.Type, ed25519KeyType)
	}
	return decodePubKey(k.Value)
}

func decodePubKey(s string) ([]byte, error) {
	pk, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, types.ErrInvalidAction.Wrapf("validator key: not base64: %v", err)
	}
	if len(pk) != ed25519.PubKeySize {
		return nil, types.ErrInvalidAction.Wrapf("validator key is %d bytes, want %d (ed25519)", len(pk), ed25519.PubKeySize)
	}
	return pk, nil
}

func parseRoles(s string) ([]idtypes.Role, error) {
	var out []idtypes.Role
	for _, name := range strings.Split(s, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		r, err := idtypes.ParseRole(name)
		if err != nil {
			return nil, types.ErrInvalidAction.Wrapf("--roles: %v", err)
		}
		out = append(out, r)
	}
	return out, nil
}

func removeDepartmentCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "remove-department ADDRESS",
		Short: "propose that a department leave; its validator is removed and the party suspended (移除部门)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := parseAddress("address", args[0])
			if err != nil {
				return err
			}
			return sendProposal(cmd, &types.Action{Action: &types.Action_RemoveDepartment{RemoveDepartment: &types.RemoveDepartment{Address: a}}})
		},
	}
}

func setPowerCmd() *cobra.Command {
	var power int64
	cmd := &cobra.Command{
		Use:   "set-power ADDRESS --power N",
		Short: "propose a new voting power for a department's validator (调整投票权)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := parseAddress("address", args[0])
			if err != nil {
				return err
			}
			return sendProposal(cmd, &types.Action{Action: &types.Action_SetPower{SetPower: &types.SetPower{Address: a, Power: power}}})
		},
	}
	cmd.Flags().Int64Var(&power, "power", 0, "the new voting power, at least 1 (to remove a validator, remove its department)")
	_ = cmd.MarkFlagRequired("power")
	return cmd
}

func roleCmd(grant bool) *cobra.Command {
	var role string
	use, short := "revoke-role ADDRESS --role ROLE", "propose withdrawing a role from a party (撤销角色)"
	if grant {
		use, short = "grant-role ADDRESS --role ROLE", "propose granting a role to a party (授予角色)"
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := parseAddress("address", args[0])
			if err != nil {
				return err
			}
			r, err := idtypes.ParseRole(role)
			if err != nil {
				return types.ErrInvalidAction.Wrapf("--role: %v", err)
			}
			act := &types.Action{Action: &types.Action_RevokeRole{RevokeRole: &types.RevokeRole{Address: a, Role: r}}}
			if grant {
				act = &types.Action{Action: &types.Action_GrantRole{GrantRole: &types.GrantRole{Address: a, Role: r}}}
			}
			return sendProposal(cmd, act)
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "data_admin, auditor, operator, exchange or assessor")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

func setParamsCmd() *cobra.Command {
	var module, js string
	cmd := &cobra.Command{
		Use:   "set-params --module registry|rights|governance|authorization|market|revenue --params-json JSON",
		Short: "propose new params for one module (修改参数)",
		Long: `Propose new params for one module. The JSON replaces them all, so give every
field; start from the current ones:

  datarightsd query governance params -o json

e.g. --module registry --params-json '{"notice_period_seconds": "259200", "max_certifications_per_block": 1000}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := parseParams(module, js)
			if err != nil {
				return err
			}
			return sendProposal(cmd, &types.Action{Action: &types.Action_SetParams{SetParams: s}})
		},
	}
	cmd.Flags().StringVar(&module, "module", "", "the module whose params change: "+strings.Join(types.ParamsModules, ", "))
	cmd.Flags().StringVar(&js, "params-json", "", "the module's new params, as protobuf JSON")
	_ = cmd.MarkFlagRequired("module")
	_ = cmd.MarkFlagRequired("params-json")
	return cmd
}

// parseParams reads the JSON into the named module's params. Unknown
// fields are refused: a misspelt field must not silently become zero.
func parseParams(module, js string) (*types.SetParams, error) {
	var p proto.Message
	s := &types.SetParams{}
	switch module {
	case "registry":
		x := &regtypes.Params{}
		p, s.Params = x, &types.SetParams_Registry{Registry: x}
	case "rights":
		x := &rightstypes.Params{}
		p, s.Params = x, &types.SetParams_Rights{Rights: x}
	case "governance":
		x := &types.Params{}
		p, s.Params = x, &types.SetParams_Governance{Governance: x}
	case "authorization":
		x := &authtypes.Params{}
		p, s.Params = x, &types.SetParams_Authorization{Authorization: x}
	case "market":
		x := &mktypes.Params{}
		p, s.Params = x, &types.SetParams_Market{Market: x}
	case "revenue":
		x := &revtypes.Params{}
		p, s.Params = x, &types.SetParams_Revenue{Revenue: x}
	default:
		return nil, types.ErrInvalidParams.Wrapf("--module %q: want %s", module, strings.Join(types.ParamsModules, ", "))
	}
	if err := protojson.Unmarshal([]byte(js), p); err != nil {
		return nil, types.ErrInvalidParams.Wrapf("--params-json for %s: %v", module, err)
	}
	return s, nil
}

func freezeCmd(freeze bool) *cobra.Command {
	var reason string
	use, short := "unfreeze-asset ID --reason TEXT", "propose lifting an asset's freeze (解冻资产)"
	if freeze {
		use, short = "freeze-asset ID --reason TEXT", "propose freezing an asset: every right on it is blocked (冻结资产)"
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a := &types.Action{Action: &types.Action_UnfreezeAsset{UnfreezeAsset: &types.UnfreezeAsset{AssetId: args[0], Reason: reason}}}
			if freeze {
				a = &types.Action{Action: &types.Action_FreezeAsset{FreezeAsset: &types.FreezeAsset{AssetId: args[0], Reason: reason}}}
			}
			return sendProposal(cmd, a)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the asset)")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}

func voteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "vote PROPOSAL_ID yes|no|abstain",
		Short: "vote on a proposal for the --from department (表决)",
		Long: `Vote on a proposal. Only a department (its own key or an agent's) may vote,
once: a later vote replaces the earlier one until the proposal passes or its
voting period ends.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := types.ParseOption(args[1])
			if err != nil {
				return err
			}
			m := &types.MsgVote{ProposalId: args[0], Option: o}
			if err := m.Validate(); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_Vote{Vote: m}})
		},
	}
}
