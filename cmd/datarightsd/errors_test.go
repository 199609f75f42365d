package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/datarights/datarights/client"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// TestDescribe: an error keeps its stable English text and code, and adds
// the Chinese term of the domain object its registered message names.
func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&client.TxError{Result: &client.Result{Codespace: "registry", Code: 11}},
			"Error: tx rejected (registry code 11: asset is frozen（数据资源、冻结）)"},
		{&client.TxError{Result: &client.Result{Codespace: "registry", Code: 2}},
			"Error: tx rejected (registry code 2)"}, // invalid field: no domain object
		{&client.TxError{Result: &client.Result{Codespace: "nosuch", Code: 9}},
			"Error: tx rejected (nosuch code 9)"},
		{&client.QueryError{Codespace: "registry", Code: 5, Log: "asset not found: no asset has id a-9"},
			"Error: query failed: registry code 5: asset not found: no asset has id a-9（数据资源）"},
		{fmt.Errorf("--inputs: %w", regtypes.ErrInvalidInputs.Wrap("a-1 appears twice")),
			"Error: --inputs: invalid inputs: a-1 appears twice（数据来源）"},
		{rightstypes.ErrDeriveNotAllowed, "Error: no live right allows deriving from the asset（数据权利、数据资源）"},
		{errors.New("dial tcp: connection refused"), "Error: dial tcp: connection refused"},
	} {
		if got := describe(c.err); got != c.want {
			t.Errorf("describe(%v)\n got %s\nwant %s", c.err, got, c.want)
		}
	}
}
