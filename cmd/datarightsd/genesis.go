package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/server"
	govcli "github.com/datarights/datarights/x/governance/cli"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

func genesisCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "genesis", Short: "build and check genesis.json"}
	cmd.AddCommand(addDepartmentCmd(), addPartyCmd(), validateGenesisCmd())
	return cmd
}

// partyFlags are the flags add-department and add-party share.
type partyFlags struct {
	address, orgCode  string
	roles             []string
	nodeIDs, nodeKeys []string
}

func (f *partyFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.address, "address", "", "address of the party's own (CDO) key")
	cmd.Flags().StringVar(&f.orgCode, "org-code", "", "unified social credit code (统一社会信用代码); organisations only")
	cmd.Flags().StringSliceVar(&f.roles, "roles", nil, "comma-separated roles: data_admin, auditor, operator, exchange, assessor")
	cmd.Flags().StringSliceVar(&f.nodeKeys, "node-key", nil, "config/node_key.json of a node the party runs (departments and auditors; repeatable): its id may connect")
	cmd.Flags().StringSliceVar(&f.nodeIDs, "node-id", nil, "node id of a node the party runs (repeatable), instead of --node-key")
	_ = cmd.MarkFlagRequired("address")
}

func (f *partyFlags) party(name string, kind idtypes.PartyKind) (*idtypes.Party, error) {
	addr, err := idtypes.ParseAddress("address", f.address)
	if err != nil {
		return nil, err
	}
	if err := idtypes.ValidateName(name); err != nil {
		return nil, err
	}
	if err := idtypes.ValidateOrgCodeFor(kind, f.orgCode); err != nil {
		return nil, err
	}
	p := &idtypes.Party{Address: addr, Name: name, Kind: kind, OrgCode: f.orgCode, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	for _, r := range f.roles {
		role, err := idtypes.ParseRole(strings.TrimSpace(r))
		if err != nil {
			return nil, err
		}
		p.Roles = append(p.Roles, role)
	}
	ids, err := govcli.NodeIDs(f.nodeIDs, f.nodeKeys)
	if err != nil {
		return nil, err
	}
	p.NodeIds = ids
	return p, nil
}

func addDepartmentCmd() *cobra.Command {
	var f partyFlags
	var keyFile string
	var power int64
	cmd := &cobra.Command{
		Use:   "add-department NAME --address ADDR --validator-key FILE --node-key FILE --power N --org-code CODE",
		Short: "add a department (部门) and its validator to genesis.json",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := f.party(args[0], idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
			if err != nil {
				return err
			}
			if power <= 0 {
				return fmt.Errorf("--power must be positive")
			}
			pub, err := server.ValidatorPubKey(keyFile)
			if err != nil {
				return fmt.Errorf("--validator-key: %w", err)
			}
			p.Validator = &idtypes.Validator{PubKey: pub, Power: power}
			if len(p.NodeIds) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning: no --node-key or --node-id: with filter_peers = true no node will admit this department's nodes")
			}
			return addParty(cmd, p)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&keyFile, "validator-key", "", "the department node's priv_validator_key.json")
	cmd.Flags().Int64Var(&power, "power", 10, "voting power of the department's validator")
	_ = cmd.MarkFlagRequired("validator-key")
	return cmd
}

func addPartyCmd() *cobra.Command {
	var f partyFlags
	var kind string
	cmd := &cobra.Command{
		Use:   "add-party NAME --address ADDR --kind KIND [--org-code CODE] [--roles R,...]",
		Short: "add an enterprise, institution or individual to genesis.json",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := idtypes.ParseKind(kind)
			if err != nil {
				return err
			}
			if k == idtypes.PartyKind_PARTY_KIND_DEPARTMENT {
				return fmt.Errorf("use `genesis add-department` for departments: they need a validator key")
			}
			p, err := f.party(args[0], k)
			if err != nil {
				return err
			}
			return addParty(cmd, p)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&kind, "kind", "", "enterprise, institution or individual")
	_ = cmd.MarkFlagRequired("kind")
	return cmd
}

func addParty(cmd *cobra.Command, p *idtypes.Party) error {
	path := server.GenesisFile(client.Home(cmd))
	if err := server.AddParty(path, p); err != nil {
		return err
	}
	return client.Print(cmd, p, func(w io.Writer) {
		fmt.Fprintf(w, "added %s %s (%s) to %s\n", idtypes.KindName(p.Kind), p.Name, p.Address, path)
	})
}

func validateGenesisCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate [FILE]",
		Short: "check genesis.json as the node will at start (default: the one in --home)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := server.GenesisFile(client.Home(cmd))
			if len(args) == 1 {
				path = args[0]
			}
			if err := server.ValidateGenesis(path); err != nil {
				return fmt.Errorf("%s is invalid: %w", path, err)
			}
			return client.Print(cmd, map[string]any{"file": path, "valid": true}, func(w io.Writer) {
				fmt.Fprintf(w, "%s is valid\n", path)
			})
		},
	}
}
