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
	a.sigMu.Lock()
	signer, ok := a.signers.Get(h)
	a.sigMu.Unlock()
	if !ok {
		addr, err := tx.RecoverSigner(d)
		if err != nil {
			return nil, err
		}
		// The checksummed form, once: it costs a Keccak hash each time.
		signer = addr.Hex()
		a.sigMu.Lock()
		a.signers.Add(h, signer)
		a.sigMu.Unlock()
	}
	return &verified{Decoded: d, hash: h[:], signer: signer}, nil
}

// verifyAll verifies a block's txs, recovering signatures in parallel. The
// result depends only on the tx bytes, so parallelism cannot change what a
// block does; execution stays sequential and in order.
func (a *App) verifyAll(txs [][]byte) ([]*verified, []error) {
	out := make([]*verified, len(txs))
	errs := make([]error, len(txs))
	workers := min(runtime.GOMAXPROCS(0), len(txs))
	var wg sync.WaitGroup
	next := make(chan int, len(txs))
	for i := range txs {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = a.verify(txs[i])
			}
		}()
	}
	wg.Wait()
	return out, errs
}

// authorize resolves the signer to an active party and checks the nonce
// against want, the signer's next nonce.
func (a *App) authorize(kv store.KV, v *verified, want uint64) (*idtypes.Party, error) {
	actor, err := a.identity.Resolve(kv, v.signer)
	if err != nil {
		return nil, err
	}
	switch got := v.Body.Nonce; {
	case got < want:
		return nil, tx.ErrBadNonce.Wrapf("nonce %d of %s was already used; the next is %d", got, v.signer, want)
	case got > want:
		return nil, tx.ErrBadNonce.Wrapf("nonce %d of %s is ahead of the next, %d", got, v.signer, want)
	}
	return actor, nil
}
