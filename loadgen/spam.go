package loadgen

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
	markettypes "github.com/datarights/datarights/x/market/types"
	provtypes "github.com/datarights/datarights/x/provenance/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// The ways a spam tx's signature is wrong. Every spam tx is otherwise a
// well-formed envelope for the right chain, naming an honest signer.
const (
	SpamOtherKey  = "other-key" // a valid signature by another key: recovers the wrong address
	SpamHighS     = "high-s"    // another key's signature with s replaced by N-s (and v flipped)
	SpamTruncated = "truncated" // 64 bytes, no recovery id
	SpamGarbage   = "garbage"   // 65 random bytes (low s, v 0 or 1)
	SpamBadV      = "bad-v"     // a valid r, s with recovery id 27
)

// SpamKinds lists the invalid signatures, sent in turn.
var SpamKinds = []string{SpamOtherKey, SpamHighS, SpamTruncated, SpamGarbage, SpamBadV}

// SpamConfig is a spam run beside honest load: txs with invalid
// signatures and the most expensive queries a client can send.
type SpamConfig struct {
	// Endpoint is the node's RPC address (tcp://host:port or http://...).
	Endpoint string
	// TxRate is invalid-signature txs per second (0: none); QueryRate
	// queries per second (0: none).
	TxRate, QueryRate float64
	// Duration is how long both are sent.
	Duration time.Duration
	// Signers are the addresses the spam txs name as signer (the honest
	// load's signers: spam in their name must not hold their txs up).
	Signers []string
	// Workers are concurrent tx streams (default 4), Batch txs per
	// JSON-RPC batch (default 10, CometBFT's default rpc.max_request_batch_size),
	// QueryWorkers concurrent queries
	// (default 4).
	Workers, Batch, QueryWorkers int
}

// SpamResult is what a spam run sent and how the node answered. Codes are
// "codespace/code" of CheckTx (or "rpc: ..." for a JSON-RPC error).
type SpamResult struct {
	TxSent     int            `json:"spam_txs_sent"`
	TxRefused  int            `json:"spam_txs_refused"`  // by CheckTx, with a non-zero code
	TxAccepted int            `json:"spam_txs_accepted"` // by CheckTx: must be 0
	TxRPCErrs  int            `json:"spam_txs_rpc_errors"`
	TxCodes    map[string]int `json:"spam_tx_codes"`
	// KindCodes is, per kind of bad signature, the codes it got.
	KindCodes map[string]map[string]int `json:"spam_kind_codes"`

	Queries       int            `json:"queries_sent"`
	QueryErrors   int            `json:"query_errors"` // transport errors and timeouts
	QueryCodes    map[string]int `json:"query_codes"`  // path: code, e.g. "/rights/list 0"
	QueryP50      float64        `json:"query_latency_p50_s"`
	QueryP99      float64        `json:"query_latency_p99_s"`
	QueryMax      float64        `json:"query_latency_max_s"`
	QueryMaxBytes int            `json:"query_max_response_bytes"`

	// Hashes are the spam txs sent (hex, upper case), to check that none
	// was committed. Not in the JSON line.
	Hashes []string `json:"-"`
}

// SpamQuery is one query of the spam mix.
type SpamQuery struct {
	Path  string
	Data  []byte
	Prove bool
}

// Spam sends invalid-signature txs and expensive queries to c.Endpoint for
// c.Duration and counts the answers. It returns early only on ctx.
func Spam(ctx context.Context, c SpamConfig) (*SpamResult, error) {
	if c.Duration <= 0 {
		return nil, fmt.Errorf("loadgen: spam duration must be positive")
	}
	if c.TxRate < 0 || c.QueryRate < 0 {
		return nil, fmt.Errorf("loadgen: spam rates must not be negative")
	}
	if c.TxRate > 0 && len(c.Signers) == 0 {
		return nil, fmt.Errorf("loadgen: spam txs need signers to impersonate")
	}
	c.Workers = cmp0(c.Workers, 4)
	c.Batch = cmp0(c.Batch, 10)
	c.QueryWorkers = cmp0(c.QueryWorkers, 4)
	url := rpcURL(c.Endpoint)
	hc := &http.Client{Timeout: 30 * time.Second}
	var chain struct {
		NodeInfo struct {
			Network string `json:"network"`
		} `json:"node_info"`
	}
	if err := rpcCall(ctx, hc, url, "status", map[string]any{}, &chain); err != nil {
		return nil, fmt.Errorf("spam: status: %w", err)
	}
	var queries []SpamQuery
	if c.QueryRate > 0 {
		var err error
		if queries, err = SpamQueries(ctx, c.Endpoint, c.Signers); err != nil {
			return nil, err
		}
	}
	s := &spammer{c: c, chainID: chain.NodeInfo.Network, url: url, res: &SpamResult{TxCodes: map[string]int{},
		KindCodes: map[string]map[string]int{}, QueryCodes: map[string]int{}}}
	for range 4 {
		k, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		s.keys = append(s.keys, k)
	}
	s.start = time.Now()
	deadline := s.start.Add(c.Duration)
	var wg sync.WaitGroup
	if c.TxRate > 0 {
		for range c.Workers {
			wg.Add(1)
			go func() { defer wg.Done(); s.txWorker(ctx, deadline) }()
		}
	}
	if c.QueryRate > 0 {
		for range c.QueryWorkers {
			wg.Add(1)
			go func() { defer wg.Done(); s.queryWorker(ctx, queries, deadline) }()
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := s.res
	if n := len(s.lat); n > 0 {
		slices.Sort(s.lat)
		r.QueryP50, r.QueryP99, r.QueryMax = s.lat[n/2].Seconds(), s.lat[min(n-1, n*99/100)].Seconds(), s.lat[n-1].Seconds()
	}
	return r, nil
}

func cmp0(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// spammer is one spam run's shared state.
type spammer struct {
	c       SpamConfig
	chainID string
	url     string
	keys    []*ecdsa.PrivateKey // the other keys that sign
	start   time.Time
	txSeq   atomic.Int64 // txs reserved against TxRate
	qSeq    atomic.Int64 // queries reserved against QueryRate
	mu      sync.Mutex
	res     *SpamResult
	lat     []time.Duration
}

// due waits until the n-th event of a run at rate may start; false when
// it would be past the deadline.
func (s *spammer) due(ctx context.Context, n int64, rate float64, deadline time.Time) bool {
	at := s.start.Add(time.Duration(float64(n) / rate * float64(time.Second)))
	if !at.Before(deadline) {
		return false
	}
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Until(at)):
		return true
	}
}

func (s *spammer) txWorker(ctx context.Context, deadline time.Time) {
	hc := &http.Client{Timeout: 30 * time.Second}
	for {
		n := s.txSeq.Add(int64(s.c.Batch)) - int64(s.c.Batch)
		if !s.due(ctx, n, s.c.TxRate, deadline) {
			return
		}
		reqs := make([]rpcReq, s.c.Batch)
		kinds := make([]string, s.c.Batch)
		var hashes []string
		for i := range reqs {
			seq := int(n) + i
			kinds[i] = SpamKinds[seq%len(SpamKinds)]
			raw, err := s.badTx(kinds[i], seq)
			if err != nil {
				panic(err) // signing a well-formed body cannot fail
			}
			h := sha256.Sum256(raw)
			hashes = append(hashes, strings.ToUpper(hex.EncodeToString(h[:])))
			reqs[i] = rpcReq{JSONRPC: "2.0", ID: i, Method: "broadcast_tx_sync", Params: map[string]any{"tx": b64(raw)}}
		}
		resps, err := post(ctx, hc, s.url, reqs)
		s.mu.Lock()
		s.res.TxSent += len(reqs)
		s.res.Hashes = append(s.res.Hashes, hashes...)
		if err != nil {
			s.res.TxRPCErrs += len(reqs)
			s.res.TxCodes["rpc: "+firstWords(err.Error())] += len(reqs)
			s.mu.Unlock()
			time.Sleep(100 * time.Millisecond)
			continue
		}
		for i := range reqs {
			var code string
			switch r, ok := resps[i]; {
			case !ok:
				code = "rpc: no response"
				s.res.TxRPCErrs++
			case r.Error != nil:
				code = "rpc: " + firstWords(r.Error.Data)
				s.res.TxRPCErrs++
			case r.Result.Code == 0:
				code = "accepted"
				s.res.TxAccepted++
			default:
				code = fmt.Sprintf("%s/%d", r.Result.Codespace, r.Result.Code)
				s.res.TxRefused++
			}
			s.res.TxCodes[code]++
			if s.res.KindCodes[kinds[i]] == nil {
				s.res.KindCodes[kinds[i]] = map[string]int{}
			}
			s.res.KindCodes[kinds[i]][code]++
		}
		s.mu.Unlock()
	}
}

// badTx is the seq-th spam tx: a record-usage in the name of an honest
// signer, with a memo that makes it unique, and a signature wrong in the
// given way.
func (s *spammer) badTx(kind string, seq int) ([]byte, error) {
	signer := s.c.Signers[seq%len(s.c.Signers)]
	body := &tx.TxBody{ChainId: s.chainID, Signer: signer, Nonce: uint64(seq), Memo: fmt.Sprintf("spam %d %x", seq, s.start.UnixNano()),
		Messages: []*tx.Msg{{Sum: &tx.Msg_RecordUsage{RecordUsage: &rightstypes.MsgRecordUsage{
			RightId: "r-1", Purpose: "research", Operation: rightstypes.Operation_OPERATION_QUERY, ResultHash: strings.Repeat("ab", 32)}}}}}
	bodyBytes, err := proto.Marshal(body)
	if err != nil {
		return nil, err
	}
	sig, err := crypto.Sign(tx.SignHash(s.chainID, bodyBytes), s.keys[seq%len(s.keys)])
	if err != nil {
		return nil, err
	}
	switch kind {
	case SpamHighS:
		n := crypto.S256().Params().N
		hs := new(big.Int).Sub(n, new(big.Int).SetBytes(sig[32:64]))
		hs.FillBytes(sig[32:64])
		sig[64] ^= 1
	case SpamTruncated:
		sig = sig[:64]
	case SpamGarbage:
		if _, err := rand.Read(sig); err != nil {
			return nil, err
		}
		sig[32] &= 0x7f // low s, so it reaches recovery
		sig[64] &= 1
	case SpamBadV:
		sig[64] = 27
	}
	return proto.Marshal(&tx.Tx{BodyBytes: bodyBytes, Signature: sig})
}

func (s *spammer) queryWorker(ctx context.Context, queries []SpamQuery, deadline time.Time) {
	hc := &http.Client{Timeout: 30 * time.Second}
	for {
		n := s.qSeq.Add(1) - 1
		if !s.due(ctx, n, s.c.QueryRate, deadline) {
			return
		}
		q := queries[int(n)%len(queries)]
		var out struct {
			Response struct {
				Code  uint32 `json:"code"`
				Value []byte `json:"value"`
			} `json:"response"`
		}
		t0 := time.Now()
		size, err := rpcCallSize(ctx, hc, s.url, "abci_query", map[string]any{"path": q.Path, "data": hex.EncodeToString(q.Data), "prove": q.Prove}, &out)
		d := time.Since(t0)
		s.mu.Lock()
		s.res.Queries++
		s.lat = append(s.lat, d)
		if err != nil {
			s.res.QueryErrors++
			s.res.QueryCodes[q.Path+" error: "+firstWords(err.Error())]++
		} else {
			s.res.QueryCodes[fmt.Sprintf("%s %d", q.Path, out.Response.Code)]++
			s.res.QueryMaxBytes = max(s.res.QueryMaxBytes, size)
		}
		s.mu.Unlock()
	}
}

// SpamQueries is the query mix: every list the app answers at the largest
// page the server allows, a provenance trace and history of the first
// asset at the largest depth and node count, and /store/key nonce proofs
// of the signers. The asset and right ids are read from the node.
func SpamQueries(ctx context.Context, endpoint string, signers []string) ([]SpamQuery, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	url := rpcURL(endpoint)
	page := &query.PageRequest{Limit: query.MaxLimit}
	enc := func(m proto.Message) []byte {
		b, err := proto.Marshal(m)
		if err != nil {
			panic(err) // request messages always encode
		}
		return b
	}
	qs := []SpamQuery{
		{Path: "/identity/parties", Data: enc(&idtypes.QueryPartiesRequest{Page: page})},
		{Path: "/registry/assets", Data: enc(&regtypes.QueryAssetsRequest{Page: page})},
		{Path: "/rights/list", Data: enc(&rightstypes.QueryRightsRequest{Page: page})},
		{Path: "/market/listings", Data: enc(&markettypes.QueryListingsRequest{Page: page})},
		{Path: "/market/trades", Data: enc(&markettypes.QueryTradesRequest{Page: page})},
	}
	var assets regtypes.QueryAssetsResponse
	if err := abciQuery(ctx, hc, url, qs[1], &assets); err != nil {
		return nil, fmt.Errorf("spam: list assets: %w", err)
	}
	var rights rightstypes.QueryRightsResponse
	if err := abciQuery(ctx, hc, url, qs[2], &rights); err != nil {
		return nil, fmt.Errorf("spam: list rights: %w", err)
	}
	// The most used assets and rights are the ones the load works on: the
	// last registered are its dataset and its rights.
	if n := len(assets.Assets); n > 0 {
		id := assets.Assets[n-1].Id
		qs = append(qs,
			SpamQuery{Path: "/provenance/trace", Data: enc(&provtypes.TraceRequest{Id: id, Direction: provtypes.Direction_DIRECTION_BOTH,
				Depth: 256, MaxNodes: 50_000})},
			SpamQuery{Path: "/provenance/history", Data: enc(&provtypes.HistoryRequest{Id: id, Page: page})},
			SpamQuery{Path: "/rights/list", Data: enc(&rightstypes.QueryRightsRequest{AssetId: id, Page: page})},
			SpamQuery{Path: "/market/trades", Data: enc(&markettypes.QueryTradesRequest{AssetId: id, Page: page})})
	}
	if n := len(rights.Rights); n > 0 {
		for _, r := range rights.Rights[max(0, n-4):] {
			qs = append(qs, SpamQuery{Path: "/rights/usage", Data: enc(&rightstypes.QueryUsageRequest{RightId: r.Id, Page: page})},
				SpamQuery{Path: "/provenance/trace", Data: enc(&provtypes.TraceRequest{Id: r.Id, Depth: 256, MaxNodes: 50_000})})
		}
	}
	for _, s := range signers[:min(len(signers), 4)] {
		qs = append(qs, SpamQuery{Path: app.PathStore, Data: app.NonceKey(s), Prove: true})
	}
	return qs, nil
}

// abciQuery runs one query and decodes its value into m.
func abciQuery(ctx context.Context, hc *http.Client, url string, q SpamQuery, m proto.Message) error {
	var out struct {
		Response struct {
			Code  uint32 `json:"code"`
			Log   string `json:"log"`
			Value []byte `json:"value"`
		} `json:"response"`
	}
	if err := rpcCall(ctx, hc, url, "abci_query", map[string]any{"path": q.Path, "data": hex.EncodeToString(q.Data), "prove": q.Prove}, &out); err != nil {
		return err
	}
	if out.Response.Code != 0 {
		return fmt.Errorf("%s: code %d: %s", q.Path, out.Response.Code, out.Response.Log)
	}
	return proto.Unmarshal(out.Response.Value, m)
}

func rpcCall(ctx context.Context, hc *http.Client, url, method string, params map[string]any, out any) error {
	_, err := rpcCallSize(ctx, hc, url, method, params, out)
	return err
}

// rpcCallSize makes one JSON-RPC call and returns the response's size.
func rpcCallSize(ctx context.Context, hc *http.Client, url, method string, params map[string]any, out any) (int, error) {
	body, err := json.Marshal(rpcReq{JSONRPC: "2.0", ID: 1, Method: method, Params: params})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return len(b), err
	}
	var r struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
			Data    string `json:"data"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return len(b), fmt.Errorf("decode %s response: %w", method, err)
	}
	if r.Error != nil {
		return len(b), fmt.Errorf("%s: %s %s", method, r.Error.Message, r.Error.Data)
	}
	return len(b), json.Unmarshal(r.Result, out)
}

// SendingWriter passes w's writes through and calls f once, when Run
// prints that it starts sending (after setup and pre-signing): the moment
// to start spam beside a run.
func SendingWriter(w io.Writer, f func()) io.Writer {
	return &sendingWriter{w: w, f: f}
}

type sendingWriter struct {
	w    io.Writer
	once sync.Once
	f    func()
}

func (s *sendingWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if bytes.Contains(p, []byte("loadgen: sending for")) {
		s.once.Do(s.f)
	}
	return n, err
}
