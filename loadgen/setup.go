package loadgen

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	markettypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Fixture is what Setup created for a workload: the admin's dataset, its
// holding right, one use right per signer (sublicensable) and, for buys, a
// licence listing and a balance per signer.
type Fixture struct {
	ChainID    string
	AssetID    string
	HoldingID  string
	ListingIDs []string
	RightIDs   []string // RightIDs[i]: signer i's use right
}

// setupDeposit is each signer's clearing balance, in fen: enough for any
// run's buys at price 1.
const setupDeposit = 1_000_000_000

// scope is the scope of every right the workloads grant and use.
func scope() *rightstypes.Scope {
	return &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}}
}

// setup sends the fixture's txs from the admin and waits for each batch to
// commit. It is not timed.
func setup(ctx context.Context, c *Config) (*Fixture, error) {
	rpc, err := rpchttp.New(rpcURL(c.Endpoints[0]), "/websocket")
	if err != nil {
		return nil, err
	}
	node := &client.Node{RPC: rpc, Addr: c.Endpoints[0]}
	f := &Fixture{}
	if f.ChainID, err = node.ChainID(ctx); err != nil {
		return nil, err
	}
	if c.Workload == Identity {
		return f, nil
	}
	admin := address.FromKey(c.Admin)
	h := sha256.Sum256([]byte("loadgen dataset " + c.Seed))
	res, err := sendWait(ctx, node, c.Admin, &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: &regtypes.MsgRegisterAsset{
		Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: "LOADGEN-" + c.Seed, Name: "load generator dataset",
		SourceDepartment: admin, Classification: regtypes.Classification_CLASSIFICATION_PUBLIC, Grade: regtypes.Grade_GRADE_GENERAL,
		OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL, ContentHash: hex.EncodeToString(h[:])}}})
	if err != nil {
		return nil, fmt.Errorf("setup: register the dataset: %w", err)
	}
	f.AssetID = res.IDs[0]
	if f.HoldingID, err = holdingRight(ctx, rpc, res.TxHash); err != nil {
		return nil, err
	}
	until := timestamppb.New(time.Now().AddDate(1, 0, 0))
	var msgs []*tx.Msg
	for _, k := range c.Keys {
		msgs = append(msgs, &tx.Msg{Sum: &tx.Msg_GrantRight{GrantRight: &rightstypes.MsgGrantRight{
			ParentId: f.HoldingID, Grantee: address.FromKey(k), Kind: rightstypes.RightKind_RIGHT_KIND_USE,
			Scope: scope(), Sublicensable: true, ValidUntil: until}}})
	}
	if f.RightIDs, err = sendAll(ctx, node, c.Admin, msgs); err != nil {
		return nil, fmt.Errorf("setup: grant use rights: %w", err)
	}
	if c.Workload != Mixed {
		return f, nil
	}
	// Buys: signer 0 registers an enterprise dataset (public data's holding
	// right is never traded) and lists licences of it. A listing holds at
	// most max_quantity licences: enough listings for every buy of the run
	// (a tenth of its txs), signer i buying from listing i mod their number.
	seller := c.Keys[0]
	sh := sha256.Sum256([]byte("loadgen enterprise dataset " + c.Seed))
	res, err = sendWait(ctx, node, seller, &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: &regtypes.MsgRegisterAsset{
		Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: "LOADGEN-E-" + c.Seed, Name: "load generator enterprise dataset",
		Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE, Grade: regtypes.Grade_GRADE_GENERAL,
		ContentHash: hex.EncodeToString(sh[:])}}})
	if err != nil {
		return nil, fmt.Errorf("setup: register the listed dataset: %w", err)
	}
	sold, err := holdingRight(ctx, rpc, res.TxHash)
	if err != nil {
		return nil, err
	}
	var lists []*tx.Msg
	for range txCount(c)/10/markettypes.DefaultMaxQuantity + 1 {
		lists = append(lists, &tx.Msg{Sum: &tx.Msg_List{List: &markettypes.MsgList{
			RightId: sold, Kind: markettypes.ListingKind_LISTING_KIND_LICENSE, PriceFen: 1, Quantity: markettypes.DefaultMaxQuantity,
			Scope: scope(), LicenseSeconds: 86400, Expires: timestamppb.New(time.Now().AddDate(0, 1, 0))}}})
	}
	// A registered asset may be sold once its notice period ended (a bench
	// network's is 1s): retry until then.
	for try := 0; ; try++ {
		if f.ListingIDs, err = sendAll(ctx, node, seller, lists); err == nil {
			break
		}
		if try == 60 {
			return nil, fmt.Errorf("setup: list licences: %w", err)
		}
		time.Sleep(time.Second)
	}
	msgs = msgs[:0]
	for i, k := range c.Keys {
		msgs = append(msgs, &tx.Msg{Sum: &tx.Msg_Deposit{Deposit: &markettypes.MsgDeposit{
			To: address.FromKey(k), AmountFen: setupDeposit, BankRef: fmt.Sprintf("LOADGEN-%s-%d", c.Seed, i)}}})
	}
	if _, err := sendAll(ctx, node, c.Admin, msgs); err != nil {
		return nil, fmt.Errorf("setup: deposits: %w", err)
	}
	return f, nil
}

// sendAll sends msgs from key in txs of up to tx.MaxMessages messages
// without waiting between them, then waits for each, and returns the
// messages' result ids in order.
func sendAll(ctx context.Context, node *client.Node, key *ecdsa.PrivateKey, msgs []*tx.Msg) ([]string, error) {
	var hashes [][]byte
	for len(msgs) > 0 {
		n := min(len(msgs), tx.MaxMessages)
		r, err := node.Send(ctx, key, true, 0, msgs[:n]...)
		if err != nil {
			return nil, err
		}
		h, _ := hex.DecodeString(r.TxHash)
		hashes = append(hashes, h)
		msgs = msgs[n:]
	}
	var ids []string
	for _, h := range hashes {
		r, err := node.WaitTx(ctx, h, time.Minute)
		if err != nil {
			return nil, err
		}
		ids = append(ids, r.IDs...)
	}
	return ids, nil
}

// sendWait sends one tx and waits for it to commit successfully.
func sendWait(ctx context.Context, node *client.Node, key *ecdsa.PrivateKey, msgs ...*tx.Msg) (*client.Result, error) {
	r, err := node.Send(ctx, key, false, time.Minute, msgs...)
	if err != nil {
		return nil, err
	}
	if len(r.IDs) != len(msgs) {
		return nil, fmt.Errorf("tx %s returned %d ids for %d messages", r.TxHash, len(r.IDs), len(msgs))
	}
	return r, nil
}

// holdingRight reads the holding right id from a registration's events.
func holdingRight(ctx context.Context, rpc *rpchttp.HTTP, txHash string) (string, error) {
	h, _ := hex.DecodeString(txHash)
	res, err := rpc.Tx(ctx, h, false)
	if err != nil {
		return "", err
	}
	for _, ev := range res.TxResult.Events {
		for _, a := range ev.Attributes {
			if a.Key == regtypes.AttrRightID && a.Value != "" {
				return a.Value, nil
			}
		}
	}
	return "", fmt.Errorf("registration %s has no %s event attribute", txHash, regtypes.AttrRightID)
}
