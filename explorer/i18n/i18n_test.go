package i18n

import (
	"testing"
	"unicode"
)

// Every key has a message in both languages, once; Chinese messages are
// Chinese (a copied English text would pass a mere "non-empty" check).
func TestCatalogueComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range catalogue {
		if e.key == "" {
			t.Errorf("an entry without a key: %+v", e)
		}
		if seen[e.key] {
			t.Errorf("key %q appears twice", e.key)
		}
		seen[e.key] = true
		if e.zh == "" || e.en == "" {
			t.Errorf("key %q: zh %q, en %q; want both", e.key, e.zh, e.en)
		}
		if !hasHan(e.zh) && e.key != "nav.lang" {
			t.Errorf("key %q: the Chinese message %q has no Chinese characters", e.key, e.zh)
		}
		if hasHan(e.en) && e.key != "nav.lang" {
			t.Errorf("key %q: the English message %q has Chinese characters", e.key, e.en)
		}
	}
}

// The official terms of SPEC.md's glossary and the city's plan are the
// words the explorer uses.
func TestOfficialTerms(t *testing.T) {
	for key, want := range map[string]string{
		"RIGHT_KIND_HOLDING":        "数据资源持有权",
		"RIGHT_KIND_USE":            "数据加工使用权",
		"RIGHT_KIND_OPERATION":      "数据产品经营权",
		"kind.authorization":        "公共数据授权运营",
		"f.notice_ends":             "公示期截止",
		"f.objection":               "异议",
		"dash.classification_grade": "分类分级",
		"LINE_KIND_PUBLIC_LEVY":     "公共数据收益反哺公共服务",
	} {
		if got := T(ZH, key); got != want {
			t.Errorf("T(zh, %q) = %q, want %q", key, got, want)
		}
	}
	if got := T(EN, "RIGHT_KIND_USE"); got != "use right" {
		t.Errorf("T(en, RIGHT_KIND_USE) = %q", got)
	}
	if got := T(ZH, "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key printed %q, want the key", got)
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"en": EN, "EN": EN, "zh": ZH, "zh-CN": ZH} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, ok)
		}
	}
	if got, ok := Parse("fr"); ok || got != ZH {
		t.Errorf("Parse(fr) = %q, %v; want the default and false", got, ok)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
