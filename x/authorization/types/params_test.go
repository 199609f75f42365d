package types_test

import (
	"testing"

	"github.com/datarights/datarights/x/authorization/types"
)

func TestParamsValidate(t *testing.T) {
	d := types.DefaultParams()
	if err := d.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if d.EvaluationThreshold != 60 || d.MaxAssets != 32 || d.MaxTermSeconds != 5*365*86400 || d.MaxExpiriesPerBlock != 1000 {
		t.Fatalf("defaults %v", d)
	}
	with := func(edit func(*types.Params)) *types.Params {
		p := types.DefaultParams()
		edit(p)
		return p
	}
	for name, p := range map[string]*types.Params{
		"threshold 0 (suspends nothing)": with(func(p *types.Params) { p.EvaluationThreshold = 0 }),
		"threshold 100":                  with(func(p *types.Params) { p.EvaluationThreshold = 100 }),
		"one asset":                      with(func(p *types.Params) { p.MaxAssets = 1 }),
		"a day's term":                   with(func(p *types.Params) { p.MaxTermSeconds = types.MinTermLimit }),
		"30 years' term":                 with(func(p *types.Params) { p.MaxTermSeconds = types.MaxTermLimit }),
		"most expiries":                  with(func(p *types.Params) { p.MaxExpiriesPerBlock = types.MaxExpiriesLimit }),
	} {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, p := range map[string]*types.Params{
		"nil":                nil,
		"threshold 101":      with(func(p *types.Params) { p.EvaluationThreshold = 101 }),
		"no assets":          with(func(p *types.Params) { p.MaxAssets = 0 }),
		"too many assets":    with(func(p *types.Params) { p.MaxAssets = types.MaxAssetsLimit + 1 }),
		"term under a day":   with(func(p *types.Params) { p.MaxTermSeconds = types.MinTermLimit - 1 }),
		"negative term":      with(func(p *types.Params) { p.MaxTermSeconds = -1 }),
		"term over 30 years": with(func(p *types.Params) { p.MaxTermSeconds = types.MaxTermLimit + 1 }),
		"no expiries":        with(func(p *types.Params) { p.MaxExpiriesPerBlock = 0 }),
		"too many expiries":  with(func(p *types.Params) { p.MaxExpiriesPerBlock = types.MaxExpiriesLimit + 1 }),
	} {
		if err := p.Validate(); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
