package sim

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/tx"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	govkeeper "github.com/datarights/datarights/x/governance/keeper"
	govtypes "github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Generator makes blocks of random txs of every module, valid and invalid
// mixed, by every signer class. It runs each block on its own app (the
// chain under simulation) so that the next block can use the right nonces
// and target existing parties, assets and rights often enough for most txs
// to do something. Randomness lives here, in the test, never in the app.
type Generator struct {
	t        testing.TB
	rng      *rand.Rand
	d        *apptest.Driver
	pool     []*ecdsa.PrivateKey // every key that may sign or be named
	taken    map[string]bool     // addresses registered or made agents in the block so far
	agents   map[string]bool     // committed agent addresses
	codeSeed int
	w        world       // committed state at the start of the block
	mw       marketWorld // committed market state at the start of the block
}

// New returns a generator for seed over a fresh chain initialised with
// Genesis. The same seed always makes the same blocks.
func New(t testing.TB, seed uint64) *Generator {
	return &Generator{t: t, rng: rand.New(rand.NewPCG(seed, 0x6461746172696768)), d: NewChain(t), pool: Keys, codeSeed: 1000}
}

// Driver is the generator's own chain: the state after the last block.
func (g *Generator) Driver() *apptest.Driver { return g.d }

// Blocks generates and runs n blocks and returns their txs.
func (g *Generator) Blocks(n int) [][][]byte {
	out := make([][][]byte, n)
	for i := range out {
		out[i], _ = g.Next()
	}
	return out
}

// Next generates the next block, runs it on the generator's chain and
// returns its txs and FinalizeBlock response.
func (g *Generator) Next() ([][]byte, *abci.ResponseFinalizeBlock) {
	txs := g.block()
	return txs, g.d.Block(txs...)
}

func (g *Generator) pick() *ecdsa.PrivateKey { return g.pool[g.rng.IntN(len(g.pool))] }

// party returns the committed party of k in the scratch app, or nil. For
// an agent, or an address taken earlier in the block, it returns a
// placeholder: an active party of no kind that nobody registered.
func (g *Generator) party(k *ecdsa.PrivateKey) *idtypes.Party {
	if a := apptest.Addr(k); g.taken[a] || g.agents[a] {
		return &idtypes.Party{Address: a, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	}
	r := g.d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: apptest.Addr(k)}, 0, false)
	if r.Code != 0 {
		return nil
	}
	var p idtypes.Party
	if err := proto.Unmarshal(r.Value, &p); err != nil {
		g.t.Fatal(err)
	}
	return &p
}

// find returns a key, in random order, whose party satisfies ok.
func (g *Generator) find(ok func(p *idtypes.Party) bool) (*ecdsa.PrivateKey, bool) {
	for _, i := range g.rng.Perm(len(g.pool)) {
		if ok(g.party(g.pool[i])) {
			return g.pool[i], true
		}
	}
	return nil, false
}

// pickWhere picks a key satisfying ok most of the time, any key otherwise.
func (g *Generator) pickWhere(ok func(p *idtypes.Party) bool) *ecdsa.PrivateKey {
	if k, found := g.find(ok); found && g.rng.IntN(8) > 0 {
		return k
	}
	return g.pick()
}

func (g *Generator) block() [][]byte {
	used := map[string]uint64{} // txs per signer so far in this block
	g.taken, g.agents = map[string]bool{}, map[string]bool{}
	for _, k := range g.pool {
		if p := g.party(k); p != nil {
			for _, a := range p.Agents {
				g.agents[a] = true
			}
		}
	}
	g.w, g.mw = g.world(), g.marketWorld()
	var txs [][]byte
	for n := g.rng.IntN(20); len(txs) < n; {
		txs = append(txs, g.tx(used))
	}
	return txs
}

func (g *Generator) tx(used map[string]uint64) []byte {
	var signer *ecdsa.PrivateKey
	var msgs []*tx.Msg
	switch r := g.rng.IntN(24); {
	case r < 10:
		// Most txs are about data: the message decides who signs it.
		signer, msgs = g.dataMsg()
	case r < 14:
		signer, msgs = g.authMsg()
	case r < 16:
		signer, msgs = g.govMsg()
	case r < 20:
		signer, msgs = g.marketMsg()
	default:
		// Mostly departments, who can do most; any registered party
		// otherwise, and now and then any key at all (unknown, agent,
		// suspended).
		signer = g.pool[g.rng.IntN(3)]
		if g.rng.IntN(10) < 4 {
			signer = g.pickWhere(func(p *idtypes.Party) bool { return p != nil && p.IsActive() })
		}
		msgs = make([]*tx.Msg, 1)
		if g.rng.IntN(4) == 0 {
			msgs = make([]*tx.Msg, 2+g.rng.IntN(2))
		}
		for i := range msgs {
			msgs[i] = g.msg(signer)
		}
	}
	a := apptest.Addr(signer)
	committed, _ := g.d.Nonce(a)
	nonce := committed + used[a]
	// Envelope faults: these txs never reach the nonce check.
	switch g.rng.IntN(30) {
	case 0:
		return fmt.Appendf(nil, "garbage %d", g.rng.IntN(1000))
	case 1:
		return g.d.SignBody(signer, &tx.TxBody{ChainId: "other-chain", Signer: a, Nonce: nonce, Messages: msgs})
	case 2:
		return apptest.WithSig(g.t, g.d.Sign(signer, nonce, msgs...), apptest.HighSTwin)
	}
	switch r := g.rng.IntN(20); {
	case r == 0:
		nonce += 1 + uint64(g.rng.IntN(3)) // ahead
	case r == 1 && nonce > 0:
		nonce-- // replay
	default:
		used[a]++
	}
	return g.d.Sign(signer, nonce, msgs...)
}

func (g *Generator) orgCode(kind idtypes.PartyKind) string {
	switch r := g.rng.IntN(20); {
	case r == 0:
		return "" // missing for an organisation, fine for an individual
	case r == 1:
		return apptest.OrgCode(1000 + g.rng.IntN(max(1, g.codeSeed-1000))) // probably taken
	case r == 2:
		c := apptest.OrgCode(g.codeSeed)
		return c[:17] + "Y" // probably a bad check character
	}
	if !idtypes.IsOrganisation(kind) {
		return ""
	}
	g.codeSeed++
	return apptest.OrgCode(g.codeSeed)
}

// msg makes a message for signer, usually one it is allowed to send.
func (g *Generator) msg(signer *ecdsa.PrivateKey) *tx.Msg {
	me := g.party(signer)
	// mine: parties the signer may update, suspend or reactivate.
	mine := func(p *idtypes.Party) bool {
		return p != nil && !p.IsDepartment() && me != nil &&
			(p.RegisteredBy == me.Address || me.HasRole(idtypes.Role_ROLE_DATA_ADMIN))
	}
	reason := []string{"", "audit finding", "licence restored", "on request", "annual review", "appeal upheld"}[g.rng.IntN(6)]
	action := g.rng.IntN(10)
	// Without a party it may act on, the signer usually registers one.
	if _, found := g.find(mine); action >= 3 && action <= 6 && !found && g.rng.IntN(8) > 0 {
		action = 0
	}
	switch action {
	case 0, 1, 2:
		target := g.pickWhere(func(p *idtypes.Party) bool { return p == nil })
		kind := idtypes.PartyKind(2 + g.rng.IntN(3))
		if g.rng.IntN(12) == 0 {
			kind = idtypes.PartyKind_PARTY_KIND_DEPARTMENT // rejected
		}
		g.taken[apptest.Addr(target)] = true
		return MsgRegister(apptest.Addr(target), fmt.Sprintf("party %d", g.rng.IntN(100)), kind, g.orgCode(kind))
	case 3:
		target := g.pickWhere(mine)
		if p := g.party(target); p != nil && g.rng.IntN(2) == 0 {
			return MsgUpdate(p.Address, "renamed", p.OrgCode)
		} else if p != nil {
			return MsgUpdate(p.Address, "renamed", g.orgCode(p.Kind))
		}
		return MsgUpdate(apptest.Addr(target), "renamed", "")
	case 4, 5:
		// The fixture's enterprise (operator and auditor) is rarely the
		// one: authorised operation needs it.
		return MsgSuspend(apptest.Addr(g.pickWhere(func(p *idtypes.Party) bool {
			return mine(p) && p.IsActive() && p.Address != apptest.Addr(Ent)
		})), reason)
	case 6:
		return MsgReactivate(apptest.Addr(g.pickWhere(func(p *idtypes.Party) bool { return mine(p) && !p.IsActive() })), reason)
	case 7, 8:
		agent := g.pickWhere(func(p *idtypes.Party) bool { return p == nil })
		g.taken[apptest.Addr(agent)] = true
		return MsgAddAgent(apptest.Addr(agent))
	default:
		if me != nil && len(me.Agents) > 0 && g.rng.IntN(4) > 0 {
			return MsgRemoveAgent(me.Agents[g.rng.IntN(len(me.Agents))])
		}
		return MsgRemoveAgent(apptest.Addr(g.pick()))
	}
}

// world is the committed state the data, authorisation and governance
// messages aim at; the generator reads it once a block.
type world struct {
	assets    []*regtypes.Asset
	rights    []*rightstypes.Right
	requests  []*rightstypes.Request
	auths     []*authtypes.Authorization
	proposals []*govtypes.Proposal
	params    *govtypes.AllParams
}

func (g *Generator) world() world {
	var w world
	if g.d.Height() == 0 {
		return w // nothing committed to query yet
	}
	page := &query.PageRequest{Limit: query.MaxLimit}
	var assets regtypes.QueryAssetsResponse
	var rights rightstypes.QueryRightsResponse
	var reqs rightstypes.QueryRequestsResponse
	g.list(regkeeper.PathAssets, &regtypes.QueryAssetsRequest{Page: page}, &assets)
	g.list(rightskeeper.PathList, &rightstypes.QueryRightsRequest{Page: page}, &rights)
	g.list(rightskeeper.PathRequests, &rightstypes.QueryRequestsRequest{Page: page}, &reqs)
	w.assets, w.rights, w.requests = assets.Assets, rights.Rights, reqs.Requests
	var auths authtypes.QueryAuthorizationsResponse
	var props govtypes.QueryProposalsResponse
	w.params = &govtypes.AllParams{}
	g.list(authkeeper.PathList, &authtypes.QueryAuthorizationsRequest{Page: page}, &auths)
	g.list(govkeeper.PathProposals, &govtypes.QueryProposalsRequest{Page: page}, &props)
	g.list(govkeeper.PathParams, &govtypes.QueryParamsRequest{}, w.params)
	w.auths, w.proposals = auths.Authorizations, props.Proposals
	return w
}

func (g *Generator) list(path string, req, resp proto.Message) {
	r := g.d.Query(path, req, 0, false)
	if r.Code != 0 {
		g.t.Fatalf("%s: %s", path, r.Log)
	}
	if err := proto.Unmarshal(r.Value, resp); err != nil {
		g.t.Fatal(err)
	}
}

// keyOf is the pool key of an address; every party's key is in the pool.
func (g *Generator) keyOf(addr string) *ecdsa.PrivateKey {
	for _, k := range g.pool {
		if apptest.Addr(k) == addr {
			return k
		}
	}
	return g.pick()
}

// or returns k most of the time, a random key otherwise.
func (g *Generator) or(k *ecdsa.PrivateKey) *ecdsa.PrivateKey {
	if g.rng.IntN(8) == 0 {
		return g.pick()
	}
	return k
}

func (g *Generator) hash(space string, n int) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s %d", space, g.rng.IntN(n)))
	return hex.EncodeToString(h[:])
}

// asset returns a random asset, preferring one that ok accepts.
func (g *Generator) asset(ok func(a *regtypes.Asset) bool) *regtypes.Asset {
	if len(g.w.assets) == 0 {
		return &regtypes.Asset{Id: "a-1"}
	}
	for _, i := range g.rng.Perm(len(g.w.assets)) {
		if a := g.w.assets[i]; ok(a) && g.rng.IntN(8) > 0 {
			return a
		}
	}
	return g.w.assets[g.rng.IntN(len(g.w.assets))]
}

func anyAsset(*regtypes.Asset) bool { return true }

// grantee returns an active party's address most of the time.
// (a registered one: not an agent, nor an address taken in this block).
func (g *Generator) grantee() string {
	return apptest.Addr(g.pickWhere(func(p *idtypes.Party) bool { return p != nil && p.IsActive() && p.Kind != 0 }))
}

// right returns a random right, preferring one that ok accepts.
func (g *Generator) right(ok func(r *rightstypes.Right) bool) *rightstypes.Right {
	if len(g.w.rights) == 0 {
		return &rightstypes.Right{Id: "r-1", Scope: &rightstypes.Scope{}}
	}
	for _, i := range g.rng.Perm(len(g.w.rights)) {
		if r := g.w.rights[i]; ok(r) && g.rng.IntN(8) > 0 {
			return r
		}
	}
	return g.w.rights[g.rng.IntN(len(g.w.rights))]
}

func active(r *rightstypes.Right) bool {
	return r.Status == rightstypes.RightStatus_RIGHT_STATUS_ACTIVE
}

// scope returns a random scope inside parent, now and then outside it.
func (g *Generator) scope(parent *rightstypes.Scope) *rightstypes.Scope {
	s := &rightstypes.Scope{PrivacyComputingOnly: parent.GetPrivacyComputingOnly() || g.rng.IntN(3) == 0}
	for _, op := range parent.GetOperations() {
		if g.rng.IntN(2) == 0 && !(s.PrivacyComputingOnly && op == rightstypes.Operation_OPERATION_REDISTRIBUTE) {
			s.Operations = append(s.Operations, op)
		}
	}
	if len(s.Operations) == 0 || g.rng.IntN(10) == 0 {
		s.Operations = append(s.Operations, rightstypes.Operation(1+g.rng.IntN(4)))
	}
	purposes := parent.GetPurposes()
	if len(purposes) == 0 {
		purposes = []string{"research", "statistics", "model"}
	}
	if g.rng.IntN(3) > 0 {
		s.Purposes = []string{purposes[g.rng.IntN(len(purposes))]}
	}
	return s
}

func (g *Generator) until(parent *rightstypes.Right) *timestamppb.Timestamp {
	t := apptest.BlockTime(g.d.Height() + 1).Add(time.Duration(3+g.rng.IntN(30)) * time.Second)
	if u := parent.GetValidUntil(); u != nil && t.After(u.AsTime()) && g.rng.IntN(4) > 0 {
		t = u.AsTime()
	}
	return timestamppb.New(t)
}

// dataMsg makes a registry or rights message and picks its signer: usually
// the party allowed to send it (holder, grantor, data admin), now and then
// another.
func (g *Generator) dataMsg() (*ecdsa.PrivateKey, []*tx.Msg) {
	m := func(k *ecdsa.PrivateKey, msg *tx.Msg) (*ecdsa.PrivateKey, []*tx.Msg) { return k, []*tx.Msg{msg} }
	reason := []string{"", "audit finding", "contract ended", "court order"}[g.rng.IntN(4)]
	a := g.asset(anyAsset)
	switch g.rng.IntN(25) {
	case 0, 1, 2, 3:
		k := g.or(g.pool[g.rng.IntN(4)]) // the three departments and the enterprise
		r := &regtypes.MsgRegisterAsset{Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: fmt.Sprintf("BZ-%02d", g.rng.IntN(60)),
			Name: "dataset", Classification: regtypes.Classification(1 + g.rng.IntN(3)), Grade: regtypes.Grade(1 + g.rng.IntN(3)),
			ContentHash: g.hash("content", 80), Deidentified: g.rng.IntN(2) == 0}
		if r.Grade == regtypes.Grade_GRADE_CORE && g.rng.IntN(2) == 0 {
			r.Grade = regtypes.Grade_GRADE_GENERAL
		}
		if r.Classification == regtypes.Classification_CLASSIFICATION_PUBLIC {
			r.OpenLevel = regtypes.OpenLevel(1 + g.rng.IntN(3))
		}
		if g.rng.IntN(5) > 0 {
			r.SourceDepartment = apptest.Addr(k) // the source's own data, mostly
		} else if g.rng.IntN(2) == 0 {
			r.SourceDepartment = apptest.Addr(g.pool[g.rng.IntN(3)])
		}
		if g.rng.IntN(6) == 0 {
			r.Kind, r.Inputs = regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT, []*regtypes.Input{{AssetId: a.Id, WeightBps: 10_000}}
		}
		return m(k, &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: r}})
	case 4:
		a = g.asset(func(a *regtypes.Asset) bool { return a.Status == regtypes.AssetStatus_ASSET_STATUS_IN_NOTICE })
		return m(g.keyOf(g.grantee()), &tx.Msg{Sum: &tx.Msg_ObjectAsset{ObjectAsset: &regtypes.MsgObjectAsset{AssetId: a.Id, EvidenceHash: g.hash("evidence", 5), Reason: "not theirs"}}})
	case 5:
		a = g.asset(func(a *regtypes.Asset) bool { return a.Status == regtypes.AssetStatus_ASSET_STATUS_DISPUTED })
		return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_ResolveObjection{ResolveObjection: &regtypes.MsgResolveObjection{AssetId: a.Id, Uphold: g.rng.IntN(3) == 0, Reason: "decided"}}})
	case 6:
		if a.Frozen {
			return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_UnfreezeAsset{UnfreezeAsset: &regtypes.MsgUnfreezeAsset{AssetId: a.Id, Reason: "cleared"}}})
		}
		return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_FreezeAsset{FreezeAsset: &regtypes.MsgFreezeAsset{AssetId: a.Id, Reason: "investigation"}}})
	case 7:
		r := &regtypes.MsgReclassifyAsset{AssetId: a.Id, Grade: regtypes.Grade(1 + g.rng.IntN(3)), Reason: "regraded"}
		if a.Classification == regtypes.Classification_CLASSIFICATION_PUBLIC {
			r.OpenLevel = regtypes.OpenLevel(1 + g.rng.IntN(3))
		}
		return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_ReclassifyAsset{ReclassifyAsset: r}})
	case 8, 9, 10, 11:
		return g.grant(g.right(active))
	case 12:
		p := g.right(func(r *rightstypes.Right) bool {
			return r.Status == rightstypes.RightStatus_RIGHT_STATUS_PENDING_APPROVAL
		})
		return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_ApproveGrant{ApproveGrant: &rightstypes.MsgApproveGrant{RightId: p.Id}}})
	case 13, 14:
		s := g.scope(rightstypes.FullScope())
		purpose := "research"
		if len(s.Purposes) > 0 {
			purpose = s.Purposes[0]
		}
		a = g.asset(func(a *regtypes.Asset) bool {
			return a.Grade == regtypes.Grade_GRADE_GENERAL && rightstypes.Blocked(a) == ""
		})
		return m(g.keyOf(g.grantee()), &tx.Msg{Sum: &tx.Msg_RequestRight{RequestRight: &rightstypes.MsgRequestRight{AssetId: a.Id, Scope: s, Purpose: purpose, ValidUntil: g.until(nil)}}})
	case 15, 16:
		if len(g.w.requests) == 0 {
			break
		}
		q := g.w.requests[g.rng.IntN(len(g.w.requests))]
		if g.rng.IntN(3) == 0 {
			return m(g.or(g.keyOf(q.Holder)), &tx.Msg{Sum: &tx.Msg_RejectRequest{RejectRequest: &rightstypes.MsgRejectRequest{RequestId: q.Id, Reason: "no"}}})
		}
		return m(g.or(g.keyOf(q.Holder)), &tx.Msg{Sum: &tx.Msg_ApproveRequest{ApproveRequest: &rightstypes.MsgApproveRequest{RequestId: q.Id}}})
	case 17:
		r := g.right(func(r *rightstypes.Right) bool { return active(r) && r.Transferable && r.ParentId != "" })
		return m(g.or(g.keyOf(r.Holder)), &tx.Msg{Sum: &tx.Msg_TransferRight{TransferRight: &rightstypes.MsgTransferRight{RightId: r.Id, To: g.grantee()}}})
	case 18:
		r := g.right(func(r *rightstypes.Right) bool { return r.ParentId != "" && active(r) })
		return m(g.or(g.keyOf(r.Grantor)), &tx.Msg{Sum: &tx.Msg_RevokeRight{RevokeRight: &rightstypes.MsgRevokeRight{RightId: r.Id, Reason: reason}}})
	case 19:
		r := g.right(active)
		switch g.rng.IntN(3) {
		case 0:
			return m(g.or(g.keyOf(r.Grantor)), &tx.Msg{Sum: &tx.Msg_RevokeAll{RevokeAll: &rightstypes.MsgRevokeAll{AssetId: r.AssetId, Reason: reason}}})
		case 1:
			r = g.right(func(r *rightstypes.Right) bool { return active(r) && r.ParentId != "" })
			return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_SuspendRight{SuspendRight: &rightstypes.MsgSuspendRight{RightId: r.Id, Reason: reason}}})
		}
		r = g.right(func(r *rightstypes.Right) bool { return r.Status == rightstypes.RightStatus_RIGHT_STATUS_SUSPENDED })
		return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_ResumeRight{ResumeRight: &rightstypes.MsgResumeRight{RightId: r.Id, Reason: reason}}})
	case 20:
		return m(g.or(g.keyOf(g.holderOf(a))), &tx.Msg{Sum: &tx.Msg_AddVersion{AddVersion: &regtypes.MsgAddVersion{
			AssetId: a.Id, ContentHash: g.hash("content", 80), Note: "refreshed"}}})
	case 21:
		assessor := g.pickWhere(func(p *idtypes.Party) bool { return p != nil && p.HasRole(idtypes.Role_ROLE_ASSESSOR) })
		return m(assessor, &tx.Msg{Sum: &tx.Msg_RecordValuation{RecordValuation: &regtypes.MsgRecordValuation{
			AssetId: a.Id, ValueFen: 1 + uint64(g.rng.IntN(1_000_000)), Method: regtypes.ValuationMethod(1 + g.rng.IntN(3)), ReportHash: g.hash("valuation", 50)}}})
	}
	// Usage, the commonest tx: under a right, or of open data without one.
	r := g.right(func(r *rightstypes.Right) bool { return active(r) && r.ParentId != "" })
	u := &rightstypes.MsgRecordUsage{RightId: r.Id, Purpose: "research", Operation: rightstypes.Operation(1 + g.rng.IntN(5)), ResultHash: g.hash("result", 1<<30)}
	if ops := r.Scope.GetOperations(); len(ops) > 0 && g.rng.IntN(6) > 0 {
		u.Operation = ops[g.rng.IntN(len(ops))]
	}
	if ps := r.Scope.GetPurposes(); len(ps) > 0 && g.rng.IntN(6) > 0 {
		u.Purpose = ps[g.rng.IntN(len(ps))]
	}
	if g.rng.IntN(6) == 0 {
		u.RightId, u.AssetId = "", a.Id
		return m(g.pick(), &tx.Msg{Sum: &tx.Msg_RecordUsage{RecordUsage: u}})
	}
	return m(g.or(g.keyOf(r.Holder)), &tx.Msg{Sum: &tx.Msg_RecordUsage{RecordUsage: u}})
}

// authorization returns a random authorisation, preferring one that ok
// accepts, and whether one does.
func (g *Generator) authorization(ok func(a *authtypes.Authorization) bool) (*authtypes.Authorization, bool) {
	if len(g.w.auths) == 0 {
		return &authtypes.Authorization{Id: "au-1"}, false
	}
	for _, i := range g.rng.Perm(len(g.w.auths)) {
		if a := g.w.auths[i]; ok(a) && g.rng.IntN(8) > 0 {
			return a, true
		}
	}
	return g.w.auths[g.rng.IntN(len(g.w.auths))], false
}

func authIn(statuses ...authtypes.AuthorizationStatus) func(a *authtypes.Authorization) bool {
	return func(a *authtypes.Authorization) bool { return slices.Contains(statuses, a.Status) }
}

const (
	auApplied   = authtypes.AuthorizationStatus_AUTHORIZATION_STATUS_APPLIED
	auPending   = authtypes.AuthorizationStatus_AUTHORIZATION_STATUS_PENDING_CO_APPROVAL
	auActive    = authtypes.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE
	auSuspended = authtypes.AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED
)

// holderOf is the holder of an asset's holding right, if the generator
// sees it.
func (g *Generator) holderOf(a *regtypes.Asset) string {
	for _, r := range g.w.rights {
		if r.Id == a.HoldingRightId {
			return r.Holder
		}
	}
	return a.SourceDepartment
}

// coverable: public data that is not core and not blocked.
func coverable(a *regtypes.Asset) bool {
	return a.Classification == regtypes.Classification_CLASSIFICATION_PUBLIC && a.Grade != regtypes.Grade_GRADE_CORE &&
		rightstypes.Blocked(a) == ""
}

// authMsg makes an authorised-operation message (or a grant from a right
// under an authorisation) and picks its signer: usually the operator, the
// authoriser, an auditor or the data admin, as the message needs.
func (g *Generator) authMsg() (*ecdsa.PrivateKey, []*tx.Msg) {
	m := func(k *ecdsa.PrivateKey, msg *tx.Msg) (*ecdsa.PrivateKey, []*tx.Msg) { return k, []*tx.Msg{msg} }
	reason := []string{"", "audit finding", "contract ended", "remediated", "annual review", "on request", "term breached", "fixed"}[g.rng.IntN(8)]
	// authoriserOrAdmin signs for the department side.
	authoriserOrAdmin := func(a *authtypes.Authorization) *ecdsa.PrivateKey {
		if g.rng.IntN(3) == 0 {
			return g.or(Admin)
		}
		return g.or(g.keyOf(a.Authoriser))
	}
	running := authIn(auActive, auSuspended)
	kind := g.rng.IntN(19)
	// Each kind but application and grants needs an authorisation in some
	// status; without one, the operator usually applies instead.
	want := map[int]func(a *authtypes.Authorization) bool{3: authIn(auApplied), 4: authIn(auApplied), 5: authIn(auApplied),
		6: authIn(auPending), 7: authIn(auApplied, auPending), 8: running, 9: running, 10: running, 11: authIn(auActive),
		12: authIn(auSuspended), 13: authIn(auSuspended), 14: running, 15: running, 18: authIn(auPending)}
	var a *authtypes.Authorization
	if ok := want[kind]; ok != nil {
		var found bool
		if a, found = g.authorization(ok); !found && g.rng.IntN(8) > 0 {
			kind = 0
		}
	}
	switch kind {
	case 0, 1, 2:
		return m(g.apply())
	case 3, 4, 5:
		return m(g.or(g.keyOf(a.Authoriser)), &tx.Msg{Sum: &tx.Msg_ApproveAuthorization{ApproveAuthorization: &authtypes.MsgApproveAuthorization{Id: a.Id}}})
	case 6, 18:
		return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_CoApproveAuthorization{CoApproveAuthorization: &authtypes.MsgCoApproveAuthorization{Id: a.Id}}})
	case 7:
		return m(authoriserOrAdmin(a), &tx.Msg{Sum: &tx.Msg_RejectAuthorization{RejectAuthorization: &authtypes.MsgRejectAuthorization{Id: a.Id, Reason: reason}}})
	case 8, 9, 10:
		evaluator := []*ecdsa.PrivateKey{Admin, Ent}[g.rng.IntN(2)]
		return m(g.or(evaluator), &tx.Msg{Sum: &tx.Msg_EvaluateAuthorization{EvaluateAuthorization: &authtypes.MsgEvaluateAuthorization{
			Id: a.Id, Score: uint32(g.rng.IntN(102)), ReportHash: g.hash("report", 50)}}})
	case 11:
		return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_SuspendAuthorization{SuspendAuthorization: &authtypes.MsgSuspendAuthorization{Id: a.Id, Reason: reason}}})
	case 12, 13:
		return m(g.or(Admin), &tx.Msg{Sum: &tx.Msg_ResumeAuthorization{ResumeAuthorization: &authtypes.MsgResumeAuthorization{Id: a.Id, Reason: reason}}})
	case 14:
		return m(authoriserOrAdmin(a), &tx.Msg{Sum: &tx.Msg_TerminateAuthorization{TerminateAuthorization: &authtypes.MsgTerminateAuthorization{Id: a.Id, Reason: reason}}})
	case 15:
		return m(g.or(g.keyOf(a.Operator)), &tx.Msg{Sum: &tx.Msg_ExitAuthorization{ExitAuthorization: &authtypes.MsgExitAuthorization{Id: a.Id, AttestationHash: g.hash("attestation", 5)}}})
	}
	// The operator (or a licensee that may sublicense) licenses others.
	under := func(r *rightstypes.Right) bool { return active(r) && r.AuthorizationId != "" }
	return g.grant(g.right(under))
}

// apply makes an application by an operator for one to three coverable
// assets of one holder, now and then breaking a rule.
func (g *Generator) apply() (*ecdsa.PrivateKey, *tx.Msg) {
	op := g.pickWhere(func(p *idtypes.Party) bool {
		return p != nil && p.IsActive() && p.HasRole(idtypes.Role_ROLE_OPERATOR)
	})
	first := g.asset(coverable)
	holder := g.holderOf(first)
	ids, n := []string{first.Id}, 1+g.rng.IntN(3)
	important := first.Grade == regtypes.Grade_GRADE_IMPORTANT
	for _, i := range g.rng.Perm(len(g.w.assets)) {
		if a := g.w.assets[i]; len(ids) < n && a.Id != first.Id && coverable(a) && g.holderOf(a) == holder {
			ids = append(ids, a.Id)
			important = important || a.Grade == regtypes.Grade_GRADE_IMPORTANT
		}
	}
	scope := g.scope(rightstypes.FullScope())
	if important && g.rng.IntN(6) > 0 {
		scope.PrivacyComputingOnly = true
		scope.Operations = slices.DeleteFunc(scope.Operations, func(o rightstypes.Operation) bool {
			return o == rightstypes.Operation_OPERATION_REDISTRIBUTE
		})
		if len(scope.Operations) == 0 {
			scope.Operations = []rightstypes.Operation{rightstypes.Operation_OPERATION_COMPUTE}
		}
	}
	authoriser := holder
	if g.rng.IntN(8) == 0 || authoriser == "" {
		authoriser = apptest.Addr(g.pool[g.rng.IntN(3)])
	}
	msg := &authtypes.MsgApplyAuthorization{Authoriser: authoriser, AssetIds: ids, Scope: scope,
		TermsHash: g.hash("terms", 5), TermSeconds: int64(4 + g.rng.IntN(40)),
		Revenue: &authtypes.RevenueTerms{OperatorShareBps: uint32(g.rng.IntN(6000)), PublicServiceShareBps: uint32(g.rng.IntN(4000))}}
	switch g.rng.IntN(20) {
	case 0:
		msg.Revenue.OperatorShareBps = 9000 // with the public share, more than the whole
	case 1:
		msg.TermSeconds = 0
	case 2:
		msg.AssetIds = append(msg.AssetIds, ids[0]) // twice
	}
	return op, &tx.Msg{Sum: &tx.Msg_ApplyAuthorization{ApplyAuthorization: msg}}
}

// govMsg makes a governance message: mostly votes on open proposals, by
// departments and mostly yes, so that proposals pass; otherwise a
// proposal of any action kind.
func (g *Generator) govMsg() (*ecdsa.PrivateKey, []*tx.Msg) {
	isDept := func(p *idtypes.Party) bool { return p != nil && p.IsDepartment() && p.IsActive() }
	signer := g.pickWhere(isDept)
	var open []*govtypes.Proposal
	for _, p := range g.w.proposals {
		if p.Status == govtypes.ProposalStatus_PROPOSAL_STATUS_VOTING && p.DecidedHeight == 0 {
			open = append(open, p)
		}
	}
	if len(open) > 0 && g.rng.IntN(5) > 0 {
		p := open[0] // the oldest, half of the time
		if g.rng.IntN(2) == 0 {
			p = open[g.rng.IntN(len(open))]
		}
		// Mostly a department that has not voted yes yet.
		var votes govtypes.QueryVotesResponse
		g.list(govkeeper.PathVotes, &govtypes.QueryVotesRequest{ProposalId: p.Id}, &votes)
		signer = g.pickWhere(func(party *idtypes.Party) bool {
			return isDept(party) && !slices.ContainsFunc(votes.Votes, func(v *govtypes.Vote) bool {
				return v.Department == party.Address && v.Option == govtypes.VoteOption_VOTE_OPTION_YES
			})
		})
		option := govtypes.VoteOption_VOTE_OPTION_YES
		switch r := g.rng.IntN(20); {
		case r < 2:
			option = govtypes.VoteOption_VOTE_OPTION_NO
		case r < 3:
			option = govtypes.VoteOption_VOTE_OPTION_ABSTAIN
		case r < 4:
			option = govtypes.VoteOption(g.rng.IntN(6)) // maybe no option at all
		}
		return signer, []*tx.Msg{{Sum: &tx.Msg_Vote{Vote: &govtypes.MsgVote{ProposalId: p.Id, Option: option}}}}
	}
	m := &govtypes.MsgSubmitProposal{Title: fmt.Sprintf("proposal %d", g.rng.IntN(100)), Action: g.action()}
	if g.rng.IntN(30) == 0 {
		m.Title = ""
	}
	return signer, []*tx.Msg{{Sum: &tx.Msg_SubmitProposal{SubmitProposal: m}}}
}

// beyondFixture picks a key other than the fixture's four, usually one
// whose party satisfies ok.
func (g *Generator) beyondFixture(ok func(p *idtypes.Party) bool) *ecdsa.PrivateKey {
	rest := g.pool[4:]
	for _, i := range g.rng.Perm(len(rest)) {
		if ok(g.party(rest[i])) && g.rng.IntN(8) > 0 {
			return rest[i]
		}
	}
	return rest[g.rng.IntN(len(rest))]
}

// action makes a proposal's action of a random kind, usually one that
// applies to the state now. Only departments and roles beyond the
// fixture's are removed and revoked, so that the other messages keep
// their data admin, auditor, operator and data holders.
func (g *Generator) action() *govtypes.Action {
	dept := func(p *idtypes.Party) bool { return p != nil && p.IsDepartment() && p.IsActive() }
	switch g.rng.IntN(9) {
	case 0, 1:
		k := g.pickWhere(func(p *idtypes.Party) bool { return p == nil })
		g.taken[apptest.Addr(k)] = true
		pub := ed25519.GenPrivKeyFromSecret(fmt.Appendf(nil, "det validator %d", g.rng.Uint64())).PubKey().Bytes()
		if g.rng.IntN(10) == 0 {
			pub = apptest.ValidatorKey(1 + g.rng.IntN(3)) // a genesis department's: taken
		}
		d := &govtypes.AddDepartment{Address: apptest.Addr(k), Name: fmt.Sprintf("department %d", g.rng.IntN(100)),
			OrgCode: g.orgCode(idtypes.PartyKind_PARTY_KIND_DEPARTMENT), PubKey: pub, Power: int64(1 + g.rng.IntN(20))}
		if g.rng.IntN(4) == 0 {
			d.Roles = []idtypes.Role{idtypes.Role(1 + g.rng.IntN(5))}
		}
		return &govtypes.Action{Action: &govtypes.Action_AddDepartment{AddDepartment: d}}
	case 2:
		k := g.beyondFixture(dept)
		return &govtypes.Action{Action: &govtypes.Action_RemoveDepartment{RemoveDepartment: &govtypes.RemoveDepartment{Address: apptest.Addr(k)}}}
	case 3:
		k := g.pickWhere(dept)
		return &govtypes.Action{Action: &govtypes.Action_SetPower{SetPower: &govtypes.SetPower{Address: apptest.Addr(k), Power: int64(g.rng.IntN(30))}}}
	case 4:
		k := g.pickWhere(func(p *idtypes.Party) bool { return p != nil && p.IsActive() && p.Kind != 0 })
		role := idtypes.Role(1 + g.rng.IntN(5))
		return &govtypes.Action{Action: &govtypes.Action_GrantRole{GrantRole: &govtypes.GrantRole{Address: apptest.Addr(k), Role: role}}}
	case 5:
		k := g.beyondFixture(func(p *idtypes.Party) bool { return p != nil && len(p.Roles) > 0 })
		role := idtypes.Role(1 + g.rng.IntN(5))
		if p := g.party(k); p != nil && len(p.Roles) > 0 {
			role = p.Roles[g.rng.IntN(len(p.Roles))]
		}
		return &govtypes.Action{Action: &govtypes.Action_RevokeRole{RevokeRole: &govtypes.RevokeRole{Address: apptest.Addr(k), Role: role}}}
	case 6:
		return &govtypes.Action{Action: &govtypes.Action_SetParams{SetParams: g.params()}}
	case 7:
		a := g.asset(func(a *regtypes.Asset) bool { return !a.Frozen })
		return &govtypes.Action{Action: &govtypes.Action_FreezeAsset{FreezeAsset: &govtypes.FreezeAsset{AssetId: a.Id, Reason: "by the departments"}}}
	}
	a := g.asset(func(a *regtypes.Asset) bool { return a.Frozen })
	return &govtypes.Action{Action: &govtypes.Action_UnfreezeAsset{UnfreezeAsset: &govtypes.UnfreezeAsset{AssetId: a.Id, Reason: "cleared"}}}
}

// params changes the params in force of one module, within bounds that
// keep the chain moving (a short notice period, a short voting period),
// now and then out of bounds.
func (g *Generator) params() *govtypes.SetParams {
	all := &govtypes.AllParams{}
	if g.w.params != nil {
		all = proto.Clone(g.w.params).(*govtypes.AllParams)
	}
	n := func(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }
	switch g.rng.IntN(4) {
	case 0:
		p := all.GetRegistry()
		if p == nil {
			p = regtypes.DefaultParams()
		}
		p.NoticePeriodSeconds = int64(n(2, 12))
		return &govtypes.SetParams{Params: &govtypes.SetParams_Registry{Registry: p}}
	case 1:
		p := all.GetRights()
		if p == nil {
			p = rightstypes.DefaultParams()
		}
		p.MaxDepth, p.MaxCascade = uint32(n(2, 8)), uint32(n(0, 4))
		return &govtypes.SetParams{Params: &govtypes.SetParams_Rights{Rights: p}}
	case 2:
		p := all.GetGovernance()
		if p == nil {
			p = govtypes.DefaultParams()
		}
		p.VotingPeriodSeconds, p.MaxClosingsPerBlock = int64(n(30, 90)), uint32(n(1, 5))
		return &govtypes.SetParams{Params: &govtypes.SetParams_Governance{Governance: p}}
	}
	p := all.GetAuthorization()
	if p == nil {
		p = authtypes.DefaultParams()
	}
	p.EvaluationThreshold, p.MaxAssets = uint32(n(0, 101)), uint32(n(1, 3))
	return &govtypes.SetParams{Params: &govtypes.SetParams_Authorization{Authorization: p}}
}

// grant makes a grant from parent, signed (mostly) by its holder.
func (g *Generator) grant(p *rightstypes.Right) (*ecdsa.PrivateKey, []*tx.Msg) {
	r := &rightstypes.MsgGrantRight{ParentId: p.Id, Grantee: g.grantee(), Kind: rightstypes.RightKind_RIGHT_KIND_USE,
		Scope: g.scope(p.Scope), Exclusive: g.rng.IntN(15) == 0, Transferable: g.rng.IntN(2) == 0,
		Sublicensable: g.rng.IntN(2) == 0, ValidUntil: g.until(p)}
	if g.rng.IntN(6) == 0 {
		r.Kind, r.Exclusive = rightstypes.RightKind_RIGHT_KIND_OPERATION, false
	}
	return g.or(g.keyOf(p.Holder)), []*tx.Msg{{Sum: &tx.Msg_GrantRight{GrantRight: r}}}
}

// marshalResponse encodes a FinalizeBlock response: the app hash, every tx
