package keeper

import (
	"bytes"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	"github.com/datarights/datarights/x/governance/types"
	mktypes "github.com/datarights/datarights/x/market/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
)

// Keeper owns governance's state: proposals, votes, the two queues and the
// governance params. Like every keeper it holds no state of its own; each
// method takes the store it works on. What a proposal changes lives in the
// modules that own it, reached through the interfaces of
// types/expected.go: departments, validators and roles in x/identity,
// freezes and params in x/registry, params in x/rights and
// x/authorization.
type Keeper struct {
	identity types.Identity
	registry types.Registry
	rights   types.Rights
	auth     types.Authorization
	market   types.Market
	revenue  types.Revenue
}

// New returns the governance keeper over the modules it governs. The app
// builds it after them; nothing depends on governance. auth may be nil
// while the chain has no x/authorization, and the market and revenue
// params are governed once WithMarket adds them: until then a module's
// params read as its defaults, and a proposal to set them is refused.
func New(id types.Identity, reg types.Registry, rights types.Rights, auth types.Authorization) Keeper {
	if auth == nil {
		auth = absent[*authtypes.Params]{"authorization", authtypes.DefaultParams}
	}
	return Keeper{identity: id, registry: reg, rights: rights, auth: auth,
		market:  absent[*mktypes.Params]{"market", mktypes.DefaultParams},
		revenue: absent[*revtypes.Params]{"revenue", revtypes.DefaultParams}}
}

// WithMarket returns the keeper governing the market's and revenue's
// params too.
func (k Keeper) WithMarket(m types.Market, r types.Revenue) Keeper {
	k.market, k.revenue = m, r
	return k
}

// absent stands in for a module the app does not have.
type absent[P any] struct {
	name     string
	defaults func() P
}

func (a absent[P]) Params(store.KV) P { return a.defaults() }

func (a absent[P]) SetParams(store.KV, P) error {
	return types.ErrInvalidParams.Wrapf("%s: x/%s is not part of this chain", a.name, a.name)
}

func (Keeper) kv(root store.KV) store.KV { return store.NewPrefix(root, StorePrefix) }

// Params returns the governance params (the defaults if none are stored).
func (k Keeper) Params(root store.KV) *types.Params {
	bz := k.kv(root).Get(paramsKey)
	if bz == nil {
		return types.DefaultParams()
	}
	p := &types.Params{}
	store.Decode(bz, p)
	return p
}

// SetParams validates and stores the params (genesis, proposals).
func (k Keeper) SetParams(root store.KV, p *types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	k.kv(root).Set(paramsKey, store.Encode(p))
	return nil
}

// Proposal returns the proposal with the id, or ErrProposalNotFound.
func (k Keeper) Proposal(root store.KV, id string) (*types.Proposal, error) {
	n, err := types.ParseProposalID("proposal_id", id)
	if err != nil {
		return nil, err
	}
	bz := k.kv(root).Get(ProposalKey(n))
	if bz == nil {
		return nil, types.ErrProposalNotFound.Wrapf("no proposal has id %s", id)
	}
	return decodeProposal(bz), nil
}

// mustProposal reads a proposal a queue points at; a dangling pointer is
// corruption.
func (k Keeper) mustProposal(root store.KV, n uint64) *types.Proposal {
	bz := k.kv(root).Get(ProposalKey(n))
	if bz == nil {
		panic(&store.Fault{Err: fmt.Errorf("governance: queue points at missing proposal %s", types.FormatProposalID(n))})
	}
	return decodeProposal(bz)
}

// setProposal writes a proposal and keeps the entries derived from its
// fields (status index, deadline or passed queue) in step. old is the
// proposal as it was (nil when new): its entries that no longer hold are
// removed, so each queue holds exactly the proposals it should.
func (k Keeper) setProposal(root store.KV, old, p *types.Proposal) {
	kv := k.kv(root)
	kv.Set(ProposalKey(number(p)), store.Encode(p))
	fresh := indexKeys(p)
	if old != nil {
		for _, key := range indexKeys(old) {
			if !containsKey(fresh, key) {
				kv.Delete(key)
			}
		}
	}
	for _, key := range fresh {
		kv.Set(key, store.Marker)
	}
}

// indexKeys are the marker-valued entries of a proposal. A proposal still
// voting waits for its deadline until it passes (decided_height is set when
// it passes), then for execution.
func indexKeys(p *types.Proposal) [][]byte {
	n := number(p)
	keys := [][]byte{statusKey(int32(p.Status), n)}
	if p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING {
		if p.DecidedHeight == 0 {
			keys = append(keys, deadlineKey(p.VotingEnds.AsTime(), n))
		} else {
			keys = append(keys, passedKey(p.DecidedHeight, n))
		}
	}
	return keys
}

func containsKey(keys [][]byte, key []byte) bool {
	for _, k := range keys {
		if bytes.Equal(k, key) {
			return true
		}
	}
	return false
}

// number is the sequence number of a stored proposal's id; we wrote the
// id, so a bad one is corruption.
func number(p *types.Proposal) uint64 {
	n, err := types.ParseProposalID("id", p.Id)
	if err != nil {
		panic(&store.Fault{Err: err})
	}
	return n
}

func decodeProposal(bz []byte) *types.Proposal {
	p := &types.Proposal{}
	store.Decode(bz, p)
	return p
}

func clone(p *types.Proposal) *types.Proposal { return proto.Clone(p).(*types.Proposal) }
