package loadgen

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func b64(raw []byte) string { return base64.StdEncoding.EncodeToString(raw) }

// rpcURL turns tcp://host:port into http://host:port.
func rpcURL(endpoint string) string {
	if rest, ok := strings.CutPrefix(endpoint, "tcp://"); ok {
		return "http://" + rest
	}
	if !strings.Contains(endpoint, "://") {
		return "http://" + endpoint
	}
	return endpoint
}

// sendState is shared by the workers and the block watcher.
type sendState struct {
	sentAt   []atomic.Int64 // unix nanos of a tx's first send; 0: never sent
	acked    []atomic.Bool
	issued   atomic.Int64 // txs reserved against the rate
	nSent    atomic.Int64
	nAcked   atomic.Int64
	nReject  atomic.Int64
	codesMu  sync.Mutex
	codes    map[string]int
	start    time.Time
	rate     float64
	batchMax int
}

func (s *sendState) code(key string) {
	s.codesMu.Lock()
	s.codes[key]++
	s.codesMu.Unlock()
}

type rpcReq struct {
	JSONRPC string         `json:"jsonrpc"`
	ID      int            `json:"id"`
	Method  string         `json:"method"`
	Params  map[string]any `json:"params"`
}

type rpcResp struct {
	ID     int `json:"id"`
	Result *struct {
		Code      uint32 `json:"code"`
		Codespace string `json:"codespace"`
		Log       string `json:"log"`
	} `json:"result"`
	Error *struct {
		Message string `json:"message"`
		Data    string `json:"data"`
	} `json:"error"`
}

// worker sends its streams' txs to one endpoint in JSON-RPC batches until
// they run out or the deadline passes.
func (s *sendState) worker(ctx context.Context, url string, streams []*stream, deadline time.Time) {
	hc := &http.Client{Timeout: 30 * time.Second}
	type item struct {
		s *stream
		k int // index in s.txs
	}
	for ctx.Err() == nil && time.Now().Before(deadline) {
		// Up to per txs of each live stream, in nonce order.
		var live []*stream
		for _, st := range streams {
			if !st.dead && st.next < len(st.txs) {
				live = append(live, st)
			}
		}
		if len(live) == 0 {
			return
		}
		per := max(1, s.batchMax/len(live))
		var items []item
		for _, st := range live {
			for k := st.next; k < len(st.txs) && k < st.next+per && len(items) < s.batchMax; k++ {
				items = append(items, item{st, k})
			}
			if len(items) >= s.batchMax {
				break
			}
		}
		if s.rate > 0 {
			n := s.issued.Add(int64(len(items)))
			due := s.start.Add(time.Duration(float64(n-int64(len(items))) / s.rate * float64(time.Second)))
			if wait := time.Until(due); wait > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			}
			if !time.Now().Before(deadline) {
				return
			}
		}
		reqs := make([]rpcReq, len(items))
		now := time.Now().UnixNano()
		for i, it := range items {
			reqs[i] = rpcReq{JSONRPC: "2.0", ID: i, Method: "broadcast_tx_sync", Params: map[string]any{"tx": it.s.txs[it.k]}}
			if s.sentAt[it.s.refs[it.k]].CompareAndSwap(0, now) {
				s.nSent.Add(1)
			}
		}
		resps, err := post(ctx, hc, url, reqs)
		if err != nil {
			s.code("rpc: " + firstWords(err.Error()))
			time.Sleep(100 * time.Millisecond)
			continue
		}
		full := false
		stopped := map[*stream]bool{}
		for i, it := range items {
			if stopped[it.s] {
				continue
			}
			r, ok := resps[i]
			switch {
			case !ok:
				stopped[it.s] = true
			case r.Error != nil && strings.Contains(r.Error.Data, "already exists in cache"), r.Result != nil && r.Result.Code == 0:
				s.ack(it.s.refs[it.k])
				it.s.next = it.k + 1
			case r.Error != nil:
				// mempool full or busy: retry from here
				s.code("rpc: " + firstWords(r.Error.Data))
				full = full || strings.Contains(r.Error.Data, "mempool is full")
				stopped[it.s] = true
			default:
				// refused by CheckTx: a later nonce of this signer cannot pass
				s.nReject.Add(1)
				s.code(fmt.Sprintf("%s/%d: %s", r.Result.Codespace, r.Result.Code, firstWords(r.Result.Log)))
				if it.s.kv {
					it.s.next = it.k + 1
				} else {
					it.s.dead = true
				}
				stopped[it.s] = true
			}
		}
		if full {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func (s *sendState) ack(ref int) {
	if s.acked[ref].CompareAndSwap(false, true) {
		s.nAcked.Add(1)
	}
}

func post(ctx context.Context, hc *http.Client, url string, reqs []rpcReq) (map[int]rpcResp, error) {
	body, err := json.Marshal(reqs)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []rpcResp
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("decode batch response: %w", err)
	}
	m := make(map[int]rpcResp, len(out))
	for _, r := range out {
		m[r.ID] = r
	}
	return m, nil
}

// firstWords shortens a log for the code histogram: the text before its
// first colon (the error's name, without the tx's particulars), at most 60
// bytes.
func firstWords(s string) string {
	if i := strings.IndexByte(s, ':'); i > 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		return s[:60]
	}
	return s
}
