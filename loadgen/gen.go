package loadgen

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
	markettypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// stream is one signer's pre-signed txs, sent in order by one worker.
type stream struct {
	txs  []string // base64, ready for the JSON-RPC request
	refs []int    // global tx index of each tx
	next int      // first tx not yet acked
	dead bool     // a tx was refused for good: the later nonces cannot pass
	kv   bool     // kvstore txs: no nonces, a refusal skips only that tx
}

// txCount is how many txs a run pre-signs.
func txCount(c *Config) int {
	rate := c.Rate
	if rate == 0 {
		rate = c.MaxRate
	}
	return int(math.Ceil(rate * c.Duration.Seconds()))
}

// msgFunc returns the j-th message of signer i.
type msgFunc func(i, j int) *tx.Msg

// workloadMsgs returns the message generator of a datarights workload.
func workloadMsgs(c *Config, f *Fixture) msgFunc {
	n := len(c.Keys)
	addrs := make([]string, n)
	for i, k := range c.Keys {
		addrs[i] = address.FromKey(k)
	}
	until := timestamppb.New(time.Now().AddDate(0, 6, 0))
	hash := func(kind string, i, j int) string {
		h := sha256.Sum256(fmt.Appendf(nil, "%s %s %d %d", c.Seed, kind, i, j))
		return hex.EncodeToString(h[:])
	}
	usage := func(i, j int) *tx.Msg {
		return &tx.Msg{Sum: &tx.Msg_RecordUsage{RecordUsage: &rightstypes.MsgRecordUsage{
			RightId: f.RightIDs[i], Purpose: "research", Operation: rightstypes.Operation_OPERATION_QUERY, ResultHash: hash("usage", i, j)}}}
	}
	switch c.Workload {
	case Usage:
		return usage
	case Identity:
		return func(i, j int) *tx.Msg {
			if j%2 == 0 {
				agent := sha256.Sum256(fmt.Appendf(nil, "%s agent %d %d", c.Seed, i, j))
				return &tx.Msg{Sum: &tx.Msg_AddAgent{AddAgent: &idtypes.MsgAddAgent{Agent: address.FromBytes(agent[:20])}}}
			}
			return &tx.Msg{Sum: &tx.Msg_UpdateParty{UpdateParty: &idtypes.MsgUpdateParty{
				Address: addrs[i], Name: fmt.Sprintf("bench enterprise %d rev %d", i, j)}}}
		}
	}
	// mixed: 6 in 10 usage, then one each of grant, request, registration, buy.
	return func(i, j int) *tx.Msg {
		switch (i*7 + j) % 10 {
		case 6:
			return &tx.Msg{Sum: &tx.Msg_GrantRight{GrantRight: &rightstypes.MsgGrantRight{
				ParentId: f.RightIDs[i], Grantee: addrs[(i+1)%n], Kind: rightstypes.RightKind_RIGHT_KIND_USE,
				Scope: scope(), ValidUntil: until}}}
		case 7:
			return &tx.Msg{Sum: &tx.Msg_RequestRight{RequestRight: &rightstypes.MsgRequestRight{
				AssetId: f.AssetID, Scope: scope(), Purpose: "research", ValidUntil: until}}}
		case 8:
			return &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: &regtypes.MsgRegisterAsset{
				Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: fmt.Sprintf("LG-%s-%d-%d", c.Seed, i, j),
				Name: fmt.Sprintf("enterprise %d dataset %d", i, j), Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE,
				Grade: regtypes.Grade_GRADE_GENERAL, ContentHash: hash("asset", i, j)}}}
		case 9:
			if i == 0 { // the seller
				return usage(i, j)
			}
			return &tx.Msg{Sum: &tx.Msg_Buy{Buy: &markettypes.MsgBuy{ListingId: f.ListingIDs[i%len(f.ListingIDs)], Quantity: 1, MaxPriceFen: 1}}}
		}
		return usage(i, j)
	}
}

// presign builds and signs every tx of the run, one stream per signer
// (kvstore: one stream per worker), in parallel. It queries each signer's
// next nonce first, so a run can follow another on the same chain.
func presign(ctx context.Context, c *Config, f *Fixture, node *client.Node) ([]*stream, [][]byte, error) {
	total := txCount(c)
	if c.Workload == KVStore {
		return presignKV(c, total)
	}
	n := len(c.Keys)
	per := (total + n - 1) / n
	msgs := workloadMsgs(c, f)
	streams := make([]*stream, n)
	raws := make([][]byte, per*n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s, err := signStream(ctx, c.Keys[i], f.ChainID, node, per, func(j int) *tx.Msg { return msgs(i, j) })
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					continue
				}
				for j := range s.txs {
					s.refs[j] = i*per + j
					raws[i*per+j] = s.raw[j]
				}
				s.raw = nil
				streams[i] = &s.stream
			}
		}()
	}
	wg.Wait()
	return streams, raws, firstErr
}

type signed struct {
	stream
	raw [][]byte
}

func signStream(ctx context.Context, key *ecdsa.PrivateKey, chainID string, node *client.Node, count int, msg func(j int) *tx.Msg) (*signed, error) {
	signer := address.FromKey(key)
	nonce, err := node.Nonce(ctx, signer)
	if err != nil {
		return nil, err
	}
	s := &signed{stream: stream{txs: make([]string, count), refs: make([]int, count)}, raw: make([][]byte, count)}
	for j := range count {
		raw, err := tx.Sign(key, &tx.TxBody{ChainId: chainID, Signer: signer, Nonce: nonce + uint64(j), Messages: []*tx.Msg{msg(j)}})
		if err != nil {
			return nil, err
		}
		s.raw[j] = raw
		s.txs[j] = b64(raw)
	}
	return s, nil
}

// presignKV builds random key=value txs of c.TxBytes bytes for the
// kvstore app, spread over one stream per worker.
func presignKV(c *Config, total int) ([]*stream, [][]byte, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	size := max(c.TxBytes, 8)
	buf := make([]byte, total*size)
	if _, err := rand.Read(buf); err != nil {
		return nil, nil, err
	}
	raws := make([][]byte, total)
	streams := make([]*stream, c.Workers)
	for w := range streams {
		streams[w] = &stream{kv: true}
	}
	for i := range raws {
		t := buf[i*size : (i+1)*size]
		for k := range t {
			t[k] = alphabet[int(t[k])%len(alphabet)]
		}
		t[size/4] = '=' // key of a quarter of the size, the rest value
		raws[i] = t
		s := streams[i%c.Workers]
		s.txs = append(s.txs, b64(t))
		s.refs = append(s.refs, i)
	}
	return streams, raws, nil
}
