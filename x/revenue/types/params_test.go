package types

import "testing"

func TestParamsValidate(t *testing.T) {
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	d := DefaultParams()
	if d.PublicLevyBps != 1000 || d.MaxLineageDepth != 8 || d.MaxLines != 256 {
		t.Fatalf("defaults %v", d)
	}
	for _, p := range []*Params{
		{PublicLevyBps: 10_001, MaxLineageDepth: 8, MaxLines: 256},
		{PublicLevyBps: 0, MaxLineageDepth: 0, MaxLines: 256},
		{PublicLevyBps: 0, MaxLineageDepth: 33, MaxLines: 256},
		{PublicLevyBps: 0, MaxLineageDepth: 8, MaxLines: MinLines - 1},
		{PublicLevyBps: 0, MaxLineageDepth: 8, MaxLines: 4097},
	} {
		if p.Validate() == nil {
			t.Errorf("%v accepted", p)
		}
	}
	for _, p := range []*Params{
		{PublicLevyBps: 10_000, MaxLineageDepth: 1, MaxLines: MinLines},
		{PublicLevyBps: 0, MaxLineageDepth: 32, MaxLines: 4096},
	} {
		if err := p.Validate(); err != nil {
			t.Errorf("%v: %v", p, err)
		}
	}
}
