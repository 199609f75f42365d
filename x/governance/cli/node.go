package cli

import (
	"github.com/cometbft/cometbft/p2p"
	"github.com/spf13/cobra"

	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// nodeIDCmd is `propose add-node-id` or `propose remove-node-id`.
func nodeIDCmd(add bool) *cobra.Command {
	use, short := "remove-node-id ADDRESS (NODE_ID | --node-key FILE)", "propose disconnecting a node of a department or an auditor; every node drops it (移除节点)"
	if add {
		use, short = "add-node-id ADDRESS (NODE_ID | --node-key FILE)", "propose letting a node of a department or an auditor connect to the network (准入节点)"
	}
	var keyFile string
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.RangeArgs(1, 2),
		Long: short + `.

The node id is what 'cometbft show-node-id' prints for the node, or what
the node's config/node_key.json gives with --node-key (only the public part
is used). Nodes run with filter_peers = true and ask their ledger about every
peer: an unregistered node cannot connect to any of them.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := parseAddress("address", args[0])
			if err != nil {
				return err
			}
			id, err := nodeIDArg(args[1:], keyFile)
			if err != nil {
				return err
			}
			act := &types.Action{Action: &types.Action_RemoveNodeId{RemoveNodeId: &types.RemoveNodeId{Address: a, NodeId: id}}}
			if add {
				act = &types.Action{Action: &types.Action_AddNodeId{AddNodeId: &types.AddNodeId{Address: a, NodeId: id}}}
			}
			return sendProposal(cmd, act)
		},
	}
	cmd.Flags().StringVar(&keyFile, "node-key", "", "the node's config/node_key.json, instead of NODE_ID")
	return cmd
}

// nodeIDArg is the node id given as an argument or read from a node key
// file (exactly one of them).
func nodeIDArg(args []string, keyFile string) (string, error) {
	switch {
	case len(args) == 1 && keyFile != "":
		return "", types.ErrInvalidAction.Wrap("give NODE_ID or --node-key, not both")
	case len(args) == 1:
		id, err := idtypes.ParseNodeID(args[0])
		if err != nil {
			return "", types.ErrInvalidAction.Wrap(err.Error())
		}
		return id, nil
	case keyFile != "":
		return NodeIDFromKeyFile(keyFile)
	}
	return "", types.ErrInvalidAction.Wrap("give the node id (NODE_ID) or its key file (--node-key)")
}

// NodeIDFromKeyFile reads a node's id from its node_key.json.
func NodeIDFromKeyFile(path string) (string, error) {
	nk, err := p2p.LoadNodeKey(path)
	if err != nil {
		return "", types.ErrInvalidAction.Wrapf("--node-key %s: %v", path, err)
	}
	return string(nk.ID()), nil
}

// NodeIDs is the node ids of --node-id and --node-key together,
// normalised, sorted and without repeats.
func NodeIDs(ids, keyFiles []string) ([]string, error) {
	all := append([]string(nil), ids...)
	for _, f := range keyFiles {
		id, err := NodeIDFromKeyFile(f)
		if err != nil {
			return nil, err
		}
		all = append(all, id)
	}
	out, err := idtypes.ParseNodeIDs(all)
	if err != nil {
		return nil, types.ErrInvalidAction.Wrap(err.Error())
	}
	return out, nil
}
