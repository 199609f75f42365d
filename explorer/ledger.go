package explorer

import (
	"context"
	"errors"
	"fmt"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"google.golang.org/protobuf/proto"
)

// Ledger reads the chain through the nodes' RPC: the first node that
// answers serves each query. What it shows is what that node says; the
// verify button is what proves it.
type Ledger struct {
	nodes []*rpchttp.HTTP
	addrs []string
}

// NewLedger connects to the nodes (tcp://host:port or http://host:port).
func NewLedger(addrs []string) (*Ledger, error) {
	if len(addrs) == 0 {
		return nil, errors.New("no --node given")
	}
	l := &Ledger{addrs: addrs}
	for _, a := range addrs {
		c, err := rpchttp.New(a, "/websocket")
		if err != nil {
			return nil, fmt.Errorf("node %s: %w", a, err)
		}
		l.nodes = append(l.nodes, c)
	}
	return l, nil
}

// QueryError is a query the ledger answered with an error (not found,
// invalid id): it is the ledger's word, so no other node is asked.
type QueryError struct {
	Codespace string
	Code      uint32
	Log       string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("%s code %d: %s", e.Codespace, e.Code, e.Log)
}

// Answer is where and at which height a query was answered.
type Answer struct {
	Node   string
	Height int64
}

// Ask runs an ABCI query (latest state, no proof) and decodes the answer
// into resp. A node that cannot be reached is skipped for the next.
func (l *Ledger) Ask(ctx context.Context, path string, req, resp proto.Message) (Answer, error) {
	data, err := proto.Marshal(req)
	if err != nil {
		return Answer{}, err
	}
	var errs []error
	for i, n := range l.nodes {
		res, err := n.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.addrs[i], err))
			continue
		}
		r := res.Response
		ans := Answer{Node: l.addrs[i], Height: r.Height}
		if r.Code != 0 {
			return ans, &QueryError{Codespace: r.Codespace, Code: r.Code, Log: r.Log}
		}
		if err := proto.Unmarshal(r.Value, resp); err != nil {
			return ans, fmt.Errorf("decode %s from %s: %w", path, l.addrs[i], err)
		}
		return ans, nil
	}
	return Answer{}, fmt.Errorf("no node answered %s: %w", path, errors.Join(errs...))
}

// Addrs are the nodes the ledger reads from, primary first.
func (l *Ledger) Addrs() []string { return l.addrs }
