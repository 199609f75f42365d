package cli_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/datarights/datarights/x/registry/cli"
	"github.com/datarights/datarights/x/registry/types"
)

// run executes `tx registry ARGS...` up to the point of sending. Every case
// here is refused before a key is loaded or a node is dialled.
func run(args ...string) error {
	cmd := cli.TxCmd()
	cmd.SetArgs(append(args, "--from", "nobody", "--node", "tcp://127.0.0.1:1"))
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	return cmd.Execute()
}

const h = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestTxInputIsCheckedBeforeSending(t *testing.T) {
	reg := []string{"register", "--kind", "dataset", "--catalogue-code", "BZ-1", "--name", "n", "--classification", "enterprise", "--grade", "general", "--content-hash", h}
	cases := []struct {
		name string
		args []string
		want error
	}{
		{"bad kind", append(reg, "--kind", "table"), types.ErrInvalidField},
		{"public without open level", append(reg, "--classification", "public"), types.ErrInvalidField},
		{"bad source department", append(reg, "--source-department", "dept"), types.ErrInvalidField},
		{"bad inputs", append(reg, "--kind", "data_product", "--inputs", "a-1:60%"), types.ErrInvalidInputs},
		{"weights not summing", append(reg, "--kind", "data_product", "--inputs", "a-1:6000,a-2:3000"), types.ErrInvalidInputs},
		{"object without evidence", []string{"object", "a-1", "--reason", "r"}, types.ErrInvalidField},
		{"object a bad id", []string{"object", "asset1", "--evidence-hash", h, "--reason", "r"}, types.ErrInvalidField},
		{"valuation method", []string{"record-valuation", "a-1", "--value-fen", "1", "--method", "guess", "--report-hash", h}, types.ErrInvalidField},
		{"valuation of zero", []string{"record-valuation", "a-1", "--method", "cost", "--report-hash", h}, types.ErrInvalidField},
		{"freeze without reason", []string{"freeze", "a-1"}, types.ErrInvalidField},
		{"unfreeze without reason", []string{"unfreeze", "a-1"}, types.ErrInvalidField},
		{"reclassify nothing", []string{"reclassify", "a-1", "--reason", "r"}, types.ErrInvalidField},
		{"add-version bad hash", []string{"add-version", "a-1", "--content-hash", "abc"}, types.ErrInvalidField},
	}
	for _, c := range cases {
		if err := run(c.args...); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	for _, args := range [][]string{
		{"resolve", "a-1", "--reason", "r"},
		{"resolve", "a-1", "--uphold", "--dismiss", "--reason", "r"},
	} {
		if err := run(args...); err == nil || !strings.Contains(err.Error(), "--uphold") {
			t.Errorf("%v: error %v", args, err)
		}
	}
}

func TestCommands(t *testing.T) {
	want := map[string]bool{"register": true, "object": true, "resolve": true, "add-version": true, "record-valuation": true,
		"freeze": true, "unfreeze": true, "reclassify": true}
	for _, c := range cli.TxCmd().Commands() {
		if !want[c.Name()] {
			t.Errorf("unexpected tx command %s", c.Name())
		}
		delete(want, c.Name())
		if !strings.ContainsFunc(c.Short, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%s: Short %q has no Chinese term", c.Name(), c.Short)
		}
		if c.Flags().Lookup("from") == nil {
			t.Errorf("%s has no --from", c.Name())
		}
	}
	if len(want) != 0 {
		t.Errorf("missing tx commands %v", want)
	}
	var qs []string
	for _, c := range cli.QueryCmd().Commands() {
		qs = append(qs, c.Name())
		if c.Flags().Lookup("prove") == nil {
			t.Errorf("%s has no --prove", c.Name())
		}
	}
	if strings.Join(qs, ",") != "asset,assets,certificate,params,valuations,versions" {
		t.Errorf("query commands %v", qs)
	}
	reg, _, _ := cli.TxCmd().Find([]string{"register"})
	for _, f := range []string{"kind", "catalogue-code", "name", "description", "source-department", "standard", "classification",
		"grade", "open-level", "content-hash", "schema-hash", "uri", "deidentified", "inputs"} {
		if reg.Flags().Lookup(f) == nil {
			t.Errorf("register has no --%s", f)
		}
	}
}
