package glossary

import (
	"slices"
	"testing"
	"unicode"
)

func TestFind(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"asset not found", []string{"数据资源"}},
		{"only the holder of the asset may do this", []string{"数据资源"}},
		{"holding right is not transferable", []string{"数据资源持有权"}},
		{"a use right cannot outlive its parent right", []string{"数据加工使用权", "数据权利"}},
		{"asset is not in its notice period", []string{"数据资源", "公示期"}},
		{"Rights and Assets", []string{"数据权利", "数据资源"}},
		{"core data red line", []string{"核心数据", "分类分级红线"}},
		{"public service fund", []string{"反哺公共服务基金"}},
		{"the right_id field", nil},            // part of an identifier, not the word
		{"copyright assets", []string{"数据资源"}}, // "right" inside another word
		{"invalid field", nil},
		{"", nil},
	} {
		if got := Find(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Find(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestAnnotate(t *testing.T) {
	if got := Annotate("listing expired"); got != "listing expired（挂牌）" {
		t.Fatalf("got %q", got)
	}
	if got := Annotate("invalid field"); got != "invalid field" {
		t.Fatalf("got %q", got)
	}
}

func TestTermsAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, term := range Terms {
		if seen[term.English] {
			t.Errorf("%q twice", term.English)
		}
		seen[term.English] = true
		han := false
		for _, r := range term.Chinese {
			han = han || unicode.Is(unicode.Han, r)
		}
		if !han || term.English == "" {
			t.Errorf("term %+v", term)
		}
	}
}
