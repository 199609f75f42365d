package app

import (
	"crypto/sha256"
	"runtime"
	"sync"

	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// verified is a tx that passed the stateless checks and whose signature is
// valid.
type verified struct {
	*tx.Decoded
	hash   []byte
	signer string
}

// seen is what the stateless checks established about a tx's bytes, kept
// in the signer cache: who signed them and with which nonce. The checks
// depend on the bytes and the chain id alone, so they hold for the same
// bytes every time.
type seen struct {
	signer string
	nonce  uint64
}

// verify runs the stateless checks, cheapest first, then recovers the
// signer (from the cache when this node has seen the tx before).
func (a *App) verify(raw []byte) (*verified, error) {
	if a.chainID == "" {
		return nil, tx.ErrNotReady.Wrap("the chain has not been initialised")
	}
	d, err := tx.Decode(a.chainID, raw)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(raw)
	s, ok := a.cached(h)
	if !ok {
		addr, err := tx.RecoverSigner(d)
		if err != nil {
			return nil, err
		}
		// The checksummed form, once: it costs a Keccak hash each time.
		s = seen{signer: addr.Hex(), nonce: d.Body.Nonce}
		a.sigMu.Lock()
		a.signers.Add(h, s)
		a.sigMu.Unlock()
	}
	return &verified{Decoded: d, hash: h[:], signer: s.signer}, nil
}

// screen returns the signer and nonce of a tx that passes verify. For bytes
// that passed before on this node they come from the cache, without
// decoding again: what CheckTx's rechecks and the proposal steps need,
// which see most txs for the second time or more.
func (a *App) screen(raw []byte) (seen, error) {
	if s, ok := a.cached(sha256.Sum256(raw)); ok {
		return s, nil
	}
	v, err := a.verify(raw)
	if err != nil {
		return seen{}, err
	}
	return seen{signer: v.signer, nonce: v.Body.Nonce}, nil
}

func (a *App) cached(h [32]byte) (seen, bool) {
	a.sigMu.Lock()
	defer a.sigMu.Unlock()
	return a.signers.Get(h)
}

// verifyAll verifies a block's txs, recovering signatures in parallel. The
// result depends only on the tx bytes, so parallelism cannot change what a
// block does; execution stays sequential and in order.
func (a *App) verifyAll(txs [][]byte) ([]*verified, []error) {
	out := make([]*verified, len(txs))
	errs := make([]error, len(txs))
	parallel(len(txs), func(i int) { out[i], errs[i] = a.verify(txs[i]) })
	return out, errs
}

// screenAll is verifyAll for the proposal steps: screen in parallel.
func (a *App) screenAll(txs [][]byte) ([]seen, []error) {
	out := make([]seen, len(txs))
	errs := make([]error, len(txs))
	parallel(len(txs), func(i int) { out[i], errs[i] = a.screen(txs[i]) })
	return out, errs
}

// parallel runs f(0) ... f(n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	wg.Wait()
}

// authorize resolves the signer to an active party and checks the nonce
// against want, the signer's next nonce.
func (a *App) authorize(kv store.KV, s seen, want uint64) (*idtypes.Party, error) {
	actor, err := a.identity.Resolve(kv, s.signer)
	if err != nil {
		return nil, err
	}
	switch got := s.nonce; {
	case got < want:
		return nil, tx.ErrBadNonce.Wrapf("nonce %d of %s was already used; the next is %d", got, s.signer, want)
	case got > want:
		return nil, tx.ErrBadNonce.Wrapf("nonce %d of %s is ahead of the next, %d", got, s.signer, want)
	}
	return actor, nil
}
