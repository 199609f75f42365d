package apptest

import (
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/libs/log"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/genesis"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// ChainID is the chain id a new Driver signs for and initialises with.
const ChainID = "datarights-test-1"

// StartTime is the genesis time; block h has time StartTime + h seconds.
var StartTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Keys returns n secp256k1 keys derived from seed: key i is
// keccak256(seed || uint32be(i)), re-hashed in the (negligible) case that
// it is not a valid scalar. The same seed always gives the same keys.
func Keys(n int, seed string) []*ecdsa.PrivateKey {
	out := make([]*ecdsa.PrivateKey, n)
	for i := range out {
		d := crypto.Keccak256([]byte(seed), binary.BigEndian.AppendUint32(nil, uint32(i)))
		for {
			k, err := crypto.ToECDSA(d)
			if err == nil {
				out[i] = k
				break
			}
			d = crypto.Keccak256(d)
		}
	}
	return out
}

// Addr is the canonical (EIP-55) address of a key.
func Addr(k *ecdsa.PrivateKey) string { return address.FromKey(k) }

// OrgCode returns a valid 18-character unified social credit code: an
// enterprise code ("91") in Bazhong's region (511900) whose organisation code
// body is seed's last 8 decimal digits, with both check characters computed.
// Distinct seeds below 10^8 give distinct codes.
func OrgCode(seed int) string {
	if seed < 0 {
		seed = -seed
	}
	body := fmt.Sprintf("%08d", seed%100_000_000)
	orgCheck, err := idtypes.OrgCheckChar(body)
	if err != nil {
		panic(err) // digits only: cannot happen
	}
	first17 := "91511900" + body + string(orgCheck)
	check, err := idtypes.USCCCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(check)
}

// ValidatorKey returns a deterministic ed25519 public key for seed.
func ValidatorKey(seed int) []byte {
	return ed25519.GenPrivKeyFromSecret(fmt.Appendf(nil, "apptest validator %d", seed)).PubKey().Bytes()
}

// Department returns a genesis department for key: name "department N",
// org code OrgCode(seed), validator ValidatorKey(seed) with power, and roles.
func Department(key *ecdsa.PrivateKey, seed int, power int64, roles ...idtypes.Role) *idtypes.Party {
	p := Party(key, idtypes.PartyKind_PARTY_KIND_DEPARTMENT, seed, roles...)
	p.Validator = &idtypes.Validator{PubKey: ValidatorKey(seed), Power: power}
	return p
}

// Party returns a genesis party of any kind other than department: name
// "<kind> N", org code OrgCode(seed) for organisations, none for
// individuals.
func Party(key *ecdsa.PrivateKey, kind idtypes.PartyKind, seed int, roles ...idtypes.Role) *idtypes.Party {
	p := &idtypes.Party{
		Address: Addr(key),
		Name:    fmt.Sprintf("%s %d", idtypes.KindName(kind), seed),
		Kind:    kind,
		Roles:   roles,
		Status:  idtypes.PartyStatus_PARTY_STATUS_ACTIVE,
	}
	if idtypes.IsOrganisation(kind) {
		p.OrgCode = OrgCode(seed)
	}
	return p
}

// Genesis wraps parties into an app genesis state.
func Genesis(parties ...*idtypes.Party) *genesis.GenesisState {
	return &genesis.GenesisState{Identity: &idtypes.GenesisState{Parties: parties}}
}

// Driver runs one app the way CometBFT would. Its methods fail the test on
// any error the app returns (an error stops a node, so it is never expected).
type Driver struct {
	// App is the app under test; Tree is its state, exposed so that tests
	// can compare or (carefully) edit the working version.
	App  *app.App
	Tree *store.Tree
	// ChainID is used by InitChain and Sign; set it before InitChain to
	// test another chain.
	ChainID string

	t      testing.TB
	height int64 // last height finalized (committed or not)
	closed bool
}

// New returns a driver over a fresh in-memory state.
func New(t testing.TB) *Driver {
	t.Helper()
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatalf("open memdb tree: %v", err)
	}
	return newDriver(t, tree)
}

// Open returns a driver over the goleveldb state in dir, created if absent
// and otherwise resumed at its last committed height, as a restarted node
// would be. Close it before opening dir again.
func Open(t testing.TB, dir string) *Driver {
	t.Helper()
	tree, err := store.Open(dir, "goleveldb", store.DefaultOptions())
	if err != nil {
		t.Fatalf("open goleveldb tree in %s: %v", dir, err)
	}
	return newDriver(t, tree)
}

func newDriver(t testing.TB, tree *store.Tree) *Driver {
	a, err := app.New(tree, log.NewNopLogger())
	if err != nil {
		_ = tree.Close()
		t.Fatalf("new app: %v", err)
	}
	d := &Driver{App: a, Tree: tree, ChainID: ChainID, t: t, height: tree.Version()}
	t.Cleanup(d.Close)
	return d
}

// Close closes the app and its database; later calls do nothing. Pending
// (finalized but uncommitted) state is lost, as in a crash.
func (d *Driver) Close() {
	if d.closed {
		return
	}
	d.closed = true
	if err := d.App.Close(); err != nil {
		d.t.Errorf("close app: %v", err)
	}
}

// InitChain initialises the chain with gs and fails the test on error.
func (d *Driver) InitChain(gs *genesis.GenesisState) *abci.ResponseInitChain {
	d.t.Helper()
	resp, err := d.TryInitChain(gs)
	if err != nil {
		d.t.Fatalf("InitChain: %v", err)
	}
	return resp
}

// TryInitChain initialises the chain with gs and returns the app's error.
func (d *Driver) TryInitChain(gs *genesis.GenesisState) (*abci.ResponseInitChain, error) {
	d.t.Helper()
	state, err := app.MarshalGenesis(gs)
	if err != nil {
		d.t.Fatalf("marshal genesis: %v", err)
	}
	return d.App.InitChain(context.Background(), &abci.RequestInitChain{
		Time: StartTime, ChainId: d.ChainID, AppStateBytes: state, InitialHeight: 1,
	})
}

// Height is the last height the driver finalized.
func (d *Driver) Height() int64 { return d.height }

// BlockTime is the time of block h.
func BlockTime(h int64) time.Time { return StartTime.Add(time.Duration(h) * time.Second) }

// Finalize runs FinalizeBlock for the next height without committing.
func (d *Driver) Finalize(txs ...[]byte) *abci.ResponseFinalizeBlock {
	d.t.Helper()
	h := d.height + 1
	resp, err := d.App.FinalizeBlock(context.Background(), &abci.RequestFinalizeBlock{
		Txs: txs, Height: h, Time: BlockTime(h),
	})
	if err != nil {
		d.t.Fatalf("FinalizeBlock %d: %v", h, err)
	}
	if len(resp.TxResults) != len(txs) {
		d.t.Fatalf("FinalizeBlock %d: %d results for %d txs", h, len(resp.TxResults), len(txs))
	}
	d.height = h
	checkEvents(d.t, h, resp)
	return resp
}

// checkEvents fails the test if an event names an attribute key twice:
// CometBFT's PostgreSQL event sink stores one value per key and event, so
// such a block could not be indexed there.
func checkEvents(t testing.TB, h int64, resp *abci.ResponseFinalizeBlock) {
	t.Helper()
	all := resp.Events
	for _, r := range resp.TxResults {
		all = append(all, r.Events...)
	}
	for _, e := range all {
		seen := map[string]bool{}
		for _, a := range e.Attributes {
			if seen[a.Key] {
				t.Fatalf("height %d: event %s has attribute %q twice", h, e.Type, a.Key)
			}
			seen[a.Key] = true
		}
	}
}

// Commit commits the finalized block.
func (d *Driver) Commit() {
	d.t.Helper()
	if _, err := d.App.Commit(context.Background(), &abci.RequestCommit{}); err != nil {
		d.t.Fatalf("Commit %d: %v", d.height, err)
	}
}

// Block runs the next block (FinalizeBlock, then Commit) and returns its
// FinalizeBlock response.
func (d *Driver) Block(txs ...[]byte) *abci.ResponseFinalizeBlock {
	d.t.Helper()
	resp := d.Finalize(txs...)
	d.Commit()
	return resp
}

// BlockOK runs the next block and fails the test unless every tx succeeded.
func (d *Driver) BlockOK(txs ...[]byte) *abci.ResponseFinalizeBlock {
	d.t.Helper()
	resp := d.Block(txs...)
	for i, r := range resp.TxResults {
		if r.Code != abci.CodeTypeOK {
			d.t.Fatalf("block %d tx %d: %s/%d %s", d.height, i, r.Codespace, r.Code, r.Log)
		}
	}
	return resp
}

// CheckTx offers raw to the mempool as a new tx.
func (d *Driver) CheckTx(raw []byte) *abci.ResponseCheckTx {
	d.t.Helper()
	resp, err := d.App.CheckTx(context.Background(), &abci.RequestCheckTx{Tx: raw, Type: abci.CheckTxType_New})
	if err != nil {
		d.t.Fatalf("CheckTx: %v", err)
	}
	return resp
}

// Query sends a protobuf request (nil for none) to path at height (0 for
// the latest).
func (d *Driver) Query(path string, req proto.Message, height int64, prove bool) *abci.ResponseQuery {
	d.t.Helper()
	var data []byte
	if req != nil {
		var err error
		if data, err = proto.Marshal(req); err != nil {
			d.t.Fatalf("marshal query request: %v", err)
		}
	}
	return d.QueryRaw(path, data, height, prove)
}

// QueryRaw sends raw request data to path (for /store/key and /app/nonce).
func (d *Driver) QueryRaw(path string, data []byte, height int64, prove bool) *abci.ResponseQuery {
	d.t.Helper()
	resp, err := d.App.Query(context.Background(), &abci.RequestQuery{Path: path, Data: data, Height: height, Prove: prove})
	if err != nil {
		d.t.Fatalf("Query %s: %v", path, err)
	}
	return resp
}

// Nonce returns a signer's committed next nonce and the next nonce counting
// the txs CheckTx has admitted since the last commit.
func (d *Driver) Nonce(signer string) (committed, pending uint64) {
	d.t.Helper()
	resp := d.QueryRaw(app.PathNonce, address.Bytes(signer), 0, false)
	if resp.Code != 0 || len(resp.Value) != 16 {
		d.t.Fatalf("nonce of %s: code %d %s", signer, resp.Code, resp.Log)
	}
	return binary.BigEndian.Uint64(resp.Value), binary.BigEndian.Uint64(resp.Value[8:])
}

// Sign returns a tx of msgs signed by key with the given nonce, for the
// driver's chain.
func (d *Driver) Sign(key *ecdsa.PrivateKey, nonce uint64, msgs ...*tx.Msg) []byte {
	d.t.Helper()
	return d.SignBody(key, &tx.TxBody{ChainId: d.ChainID, Signer: Addr(key), Nonce: nonce, Messages: msgs})
}

// SignBody signs an arbitrary body (for txs that are wrong on purpose).
func (d *Driver) SignBody(key *ecdsa.PrivateKey, body *tx.TxBody) []byte {
	d.t.Helper()
	raw, err := tx.Sign(key, body)
	if err != nil {
		d.t.Fatalf("sign tx: %v", err)
	}
	return raw
}

// AppHash is the hash of the state as of the last finalized block (or of
// genesis): the app hash that block's FinalizeBlock returned, whether or not
// it has been committed.
func (d *Driver) AppHash() []byte { return d.Tree.WorkingHash() }
