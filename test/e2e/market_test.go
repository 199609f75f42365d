//go:build unix

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The market module's codes (x/market/types/errors.go) this test expects.
const (
	marketCodespace                = "market"
	codeNotExchange         uint32 = 8  // ErrNotExchange
	codeDuplicateBankRef    uint32 = 9  // ErrDuplicateBankRef
	codeListingNotOpen      uint32 = 26 // ErrListingNotOpen
	codeQuantityUnavailable uint32 = 28 // ErrQuantityUnavailable
	codePriceAboveMax       uint32 = 29 // ErrPriceAboveMax
)

// balance is `query market balance -o json`.
type balance struct {
	Address      string `json:"address"`
	AvailableFen uint64 `json:"available_fen,string"`
	LockedFen    uint64 `json:"locked_fen,string"`
}

// supply is `query market supply -o json`.
type supply struct {
	DepositsFen    uint64 `json:"deposits_fen,string"`
	WithdrawalsFen uint64 `json:"withdrawals_fen,string"`
	BalancesFen    uint64 `json:"balances_fen,string"`
	EscrowFen      uint64 `json:"escrow_fen,string"`
	Holds          bool   `json:"holds"`
}

// trade is a trade as `query market trade -o json` prints it.
type trade struct {
	ID        string   `json:"id"`
	ListingID string   `json:"listing_id"`
	Buyer     string   `json:"buyer"`
	Seller    string   `json:"seller"`
	AssetID   string   `json:"asset_id"`
	Quantity  uint64   `json:"quantity,string"`
	AmountFen uint64   `json:"amount_fen,string"`
	RightIDs  []string `json:"right_ids"`
	Height    int64    `json:"height,string"`
	TxHash    string   `json:"tx_hash"`
}

// listing is a listing as `query market listing -o json` prints it.
type listing struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Seller   string `json:"seller"`
	RightID  string `json:"right_id"`
	AssetID  string `json:"asset_id"`
	PriceFen uint64 `json:"price_fen,string"`
	Quantity uint64 `json:"quantity,string"`
	Sold     uint64 `json:"sold,string"`
}

// distribution is one record of `query revenue distributions -o json`.
type distribution struct {
	TradeID   string `json:"trade_id"`
	AssetID   string `json:"asset_id"`
	AmountFen uint64 `json:"amount_fen,string"`
	Lines     []struct {
		Beneficiary string `json:"beneficiary"`
		AmountFen   uint64 `json:"amount_fen,string"`
		Kind        string `json:"kind"`
		AssetID     string `json:"asset_id"`
	} `json:"lines"`
}

type marketT struct{ rightsT }

func (mt marketT) balance(i int, addr string) balance {
	mt.Helper()
	var b balance
	if _, _, err := mt.nw.CLIJSON(&b, append([]string{"query", "market", "balance", addr}, mt.nw.NodeFlag(i)...)...); err != nil {
		mt.Fatalf("query market balance %s on node %d: %v", addr, i, err)
	}
	return b
}

func (mt marketT) supply(i int) supply {
	mt.Helper()
	var s supply
	if _, _, err := mt.nw.CLIJSON(&s, append([]string{"query", "market", "supply"}, mt.nw.NodeFlag(i)...)...); err != nil {
		mt.Fatalf("query market supply on node %d: %v", i, err)
	}
	return s
}

// rejected runs a tx that the chain must reject with the market's code:
// committed, with the code and codespace printed, and the CLI exits 1.
func (mt marketT) rejected(i int, key string, code uint32, args ...string) TxResult {
	mt.Helper()
	res, stderr, err := mt.txAs(i, key, args...)
	if cliExit(err) != 1 {
		mt.Fatalf("tx %s: err %v, want exit status 1", strings.Join(args, " "), err)
	}
	if !res.Committed || res.Height < 1 || res.Codespace != marketCodespace || res.Code != code {
		mt.Fatalf("tx %s printed %+v, want a committed tx rejected with %s code %d", strings.Join(args, " "), res, marketCodespace, code)
	}
	if want := fmt.Sprintf("%s code %d", marketCodespace, code); !strings.Contains(stderr, want) {
		mt.Errorf("stderr of the rejected tx = %q, want it to name %s", stderr, want)
	}
	return res
}

// wantBalances checks, on node i, the buyer's and the seller's available
// balances (nothing locked) and that the supply holds.
func (mt marketT) wantBalances(i int, what, buyer, seller string, buyerFen, sellerFen, deposits uint64) {
	mt.Helper()
	if b := mt.balance(i, buyer); b.AvailableFen != buyerFen || b.LockedFen != 0 {
		mt.Errorf("%s: node %d: buyer balance %+v, want %d available, 0 locked", what, i, b, buyerFen)
	}
	if b := mt.balance(i, seller); b.AvailableFen != sellerFen || b.LockedFen != 0 {
		mt.Errorf("%s: node %d: seller balance %+v, want %d available, 0 locked", what, i, b, sellerFen)
	}
	s := mt.supply(i)
	if !s.Holds || s.DepositsFen != deposits || s.WithdrawalsFen != 0 || s.BalancesFen != deposits || s.EscrowFen != 0 {
		mt.Errorf("%s: node %d: supply %+v, want it to hold with deposits = balances = %d", what, i, s, deposits)
	}
}

func TestMarketEndToEnd(t *testing.T) {
	start := time.Now()
	manifest := filepath.Join(t.TempDir(), "manifest.toml")
	if err := os.WriteFile(manifest, []byte(rightsManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	nw := StartNetworkManifest(t, manifest, 4)
	mt := marketT{rightsT{T: t, nw: nw}}
	t.Logf("network up after %s", time.Since(start).Round(time.Millisecond))

	// (1) Department 1 registers two enterprises; the seller registers an
	// enterprise dataset, which is certified after the notice period.
	seller := nw.AddKey("qinba-seller")
	buyer := nw.AddKey("guangwu-buyer")
	mt.ok(0, "", "identity", "register-party", seller, "--kind", "enterprise",
		"--name", "Qinba Data Co., Ltd. (秦巴数据有限公司)", "--org-code", orgCode(t, "91", "511900", "MR000021"))
	mt.ok(0, "", "identity", "register-party", buyer, "--kind", "enterprise",
		"--name", "Guangwu Analytics Co., Ltd. (光雾分析有限公司)", "--org-code", orgCode(t, "91", "511900", "MR000022"))

	contentHash := sha256Hex("market-e2e-logistics-2026")
	assetID, reg := mt.okID(0, seller, "registry", "register", "--kind", "dataset", "--catalogue-code", "BZ-E2E-M001",
		"--name", "Logistics volumes by county (分县物流量)", "--classification", "enterprise", "--grade", "general",
		"--content-hash", contentHash)
	var a asset
	mt.queryEntity(0, "registry", "asset", assetID, false, 0, &a)
	if a.Registrant != seller || a.HoldingRightID == "" || a.NoticeEnds == nil || a.RegisteredHeight != reg.Height {
		t.Fatalf("asset %s after registration: %+v; want registered by %s with a holding right and a notice period", assetID, a, seller)
	}
	holding := a.HoldingRightID
	mt.waitBlockTime(2, *a.NoticeEnds, 30*time.Second, "a block past the notice period on node 2")
	nw.poll(2, 20*time.Second, "certification of "+assetID+" on node 2", func() (bool, string) {
		a = asset{}
		mt.queryEntity(2, "registry", "asset", assetID, false, 0, &a)
		return a.Status == "ASSET_STATUS_CERTIFIED", a.Status
	})
	if r := mt.right(2, holding); r.Holder != seller || r.Kind != "RIGHT_KIND_HOLDING" || r.Status != "RIGHT_STATUS_ACTIVE" {
		t.Fatalf("holding right %s on node 2: %+v; want an active holding right of %s", holding, r, seller)
	}
	t.Logf("step 1: %s certified (%s)", assetID, time.Since(start).Round(time.Millisecond))
	// The seller derives a product from it (for the provenance checks of
	// step 7; a product in its notice period is already traceable).
	productID, productReg := mt.okID(3, seller, "registry", "register", "--kind", "data_product", "--catalogue-code", "BZ-E2E-M002",
		"--name", "Freight index (货运指数)", "--classification", "enterprise", "--grade", "general",
		"--content-hash", sha256Hex("market-e2e-freight-index"), "--inputs", assetID+":10000")

	// (2) The seller lists 3 licences; the exchange (department 1) deposits
	// 500000 fen for the buyer.
	const price, deposit = uint64(12345), uint64(500000)
	priceS := strconv.FormatUint(price, 10)
	listingID, _ := mt.okID(1, seller, "market", "list", holding, "--kind", "license", "--price", priceS,
		"--quantity", "3", "--expires", "72h", "--operations", "query", "--license-seconds", "86400")
	mt.ok(0, "", "market", "deposit", "--to", buyer, "--amount", strconv.FormatUint(deposit, 10), "--bank-ref", "BOC-E2E-0001")
	mt.wantBalances(3, "after the deposit", buyer, seller, deposit, 0, deposit)

	// (3) The buyer buys 2 licences (on node 2); node 3 sees the settlement.
	tradeID, buy := mt.okID(2, buyer, "market", "buy", listingID, "--quantity", "2", "--max-price", priceS)
	var tr trade
	mt.queryEntity(3, "market", "trade", tradeID, false, 0, &tr)
	if tr.ID != tradeID || tr.ListingID != listingID || tr.Buyer != buyer || tr.Seller != seller || tr.AssetID != assetID ||
		tr.Quantity != 2 || tr.AmountFen != 2*price || len(tr.RightIDs) != 2 || tr.Height != buy.Height || tr.TxHash != buy.TxHash {
		t.Fatalf("trade %s on node 3: %+v; want 2 licences of %s from %s to %s for %d fen at height %d", tradeID, tr, assetID, seller, buyer, 2*price, buy.Height)
	}
	mt.wantBalances(3, "after the purchase", buyer, seller, deposit-2*price, 2*price, deposit)

	// The distribution: lines add up to the amount, and the seller (the
	// holder; no policy) is credited all of it.
	var ds struct {
		Distributions []distribution `json:"distributions"`
	}
	if _, _, err := nw.CLIJSON(&ds, append([]string{"query", "revenue", "distributions", "--trade", tradeID}, nw.NodeFlag(3)...)...); err != nil {
		t.Fatalf("query revenue distributions --trade %s: %v", tradeID, err)
	}
	if len(ds.Distributions) != 1 {
		t.Fatalf("distributions of %s on node 3: %+v, want one", tradeID, ds.Distributions)
	}
	d := ds.Distributions[0]
	var sum, toSeller uint64
	for _, l := range d.Lines {
		sum += l.AmountFen
		if l.Beneficiary == seller {
			toSeller += l.AmountFen
		}
	}
	if d.TradeID != tradeID || d.AssetID != assetID || d.AmountFen != 2*price || sum != d.AmountFen || toSeller != 2*price {
		t.Errorf("distribution of %s on node 3: %+v; want %d fen, lines adding up to it, all to the seller %s", tradeID, d, 2*price, seller)
	}

	// The buyer holds 2 new active use rights on the asset, cut from the
	// listed right: the trade's rights.
	var rl struct {
		Rights []right `json:"rights"`
	}
	if _, _, err := nw.CLIJSON(&rl, append([]string{"query", "rights", "list", "--holder", buyer}, nw.NodeFlag(3)...)...); err != nil {
		t.Fatalf("query rights list --holder %s: %v", buyer, err)
	}
	var got []string
	for _, r := range rl.Rights {
		if r.AssetID != assetID || r.Kind != "RIGHT_KIND_USE" || r.Status != "RIGHT_STATUS_ACTIVE" || r.ParentID != holding ||
			!slices.Equal(r.Scope.Operations, []string{"OPERATION_QUERY"}) || r.ValidUntil == nil ||
			r.ValidUntil.Sub(r.ValidFrom) != 86400*time.Second {
			t.Errorf("buyer's right on node 3: %+v; want an active use right on %s from %s (query, 1 day)", r, assetID, holding)
			continue
		}
		got = append(got, r.ID)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(tr.RightIDs))
	if !slices.Equal(got, want) {
		t.Errorf("buyer's use rights on node 3: %v, want the trade's %v", got, want)
	}
	t.Logf("step 3: %s settled at height %d (%s)", tradeID, buy.Height, time.Since(start).Round(time.Millisecond))

	// (4) Rejections, each leaving the balances as they were.
	mt.rejected(1, buyer, codePriceAboveMax, "market", "buy", listingID, "--quantity", "1", "--max-price", strconv.FormatUint(price-1, 10))
	mt.rejected(2, buyer, codeQuantityUnavailable, "market", "buy", listingID, "--quantity", "2", "--max-price", priceS)
	mt.rejected(1, "", codeNotExchange, "market", "deposit", "--to", buyer, "--amount", "1000", "--bank-ref", "BOC-E2E-0002")
	mt.rejected(0, "", codeDuplicateBankRef, "market", "deposit", "--to", buyer, "--amount", "1000", "--bank-ref", "BOC-E2E-0001")
	mt.wantBalances(3, "after the rejections", buyer, seller, deposit-2*price, 2*price, deposit)

	// (5) The seller cancels the listing; a buy of its last unit fails.
	mt.ok(1, seller, "market", "cancel-listing", listingID)
	var l listing
	mt.queryEntity(2, "market", "listing", listingID, false, 0, &l)
	if l.ID != listingID || l.Status != "LISTING_STATUS_CANCELLED" || l.Quantity != 1 || l.Sold != 2 {
		t.Errorf("listing %s on node 2 after cancelling: %+v; want cancelled with 1 left and 2 sold", listingID, l)
	}
	mt.rejected(3, buyer, codeListingNotOpen, "market", "buy", listingID, "--quantity", "1", "--max-price", priceS)
	mt.wantBalances(2, "after the cancelled listing", buyer, seller, deposit-2*price, 2*price, deposit)

	// (6) Every node has the same app hash at a common height.
	h := mt.commonHeight()
	want0 := nw.AppHashAt(0, h)
	for i := 1; i < len(nw.Nodes); i++ {
		if got := nw.AppHashAt(i, h); got != want0 {
			t.Errorf("app hash at height %d: node %d has %s, node 0 %s", h, i, got, want0)
		}
	}
	t.Logf("all 4 nodes agree on app hash %s at height %d", want0, h)

	// (7) Provenance, read from node 2 (the txs went through nodes 0, 1, 3).
	checkProvenance(t, nw, 2, provenanceCase{product: productID, productReg: productReg, asset: assetID, assetReg: reg,
		holding: holding, listing: listingID, trade: tradeID, buy: buy, seller: seller, buyer: buyer, licences: tr.RightIDs})
	t.Logf("done in %s", time.Since(start).Round(time.Millisecond))
}
