package explorer

import (
	"context"
	"errors"
)

// TEMPORARY until branch prov (x/provenance) is merged: replaced by
// provenance.go over /provenance/history and /provenance/trace.
type noProvenance struct{}

var errNoProvenance = errors.New("x/provenance is not in this build")

// NewProvenance reads history and traces from the ledger.
func NewProvenance(*Ledger) Provenance { return noProvenance{} }

func (noProvenance) History(context.Context, string, []byte) ([]HistoryRow, []byte, error) {
	return nil, nil, errNoProvenance
}

func (noProvenance) Trace(context.Context, string) (Graph, error) { return Graph{}, errNoProvenance }
