package types_test

import (
	"testing"

	"github.com/datarights/datarights/x/registry/types"
)

// FuzzParseInputs: the CLI's --inputs parser never panics, and what it
// accepts and ValidateInputs passes prints back to the same inputs.
func FuzzParseInputs(f *testing.F) {
	for _, s := range []string{"a-1:6000,a-2:4000", "a-1", "", ",", "a-1:", ":5", "a-99999999999999999999:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := types.ParseInputs(s)
		if err != nil || types.ValidateInputs(types.AssetKind_ASSET_KIND_SCENARIO, in) != nil {
			return
		}
		again, err := types.ParseInputs(types.FormatInputs(in))
		if err != nil || types.FormatInputs(again) != types.FormatInputs(in) {
			t.Fatalf("%q: %q does not parse back (%v)", s, types.FormatInputs(in), err)
		}
	})
}
