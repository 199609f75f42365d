package i18n

import "strings"

// Lang is a display language.
type Lang string

// The two languages; Chinese is the default.
const (
	ZH Lang = "zh"
	EN Lang = "en"
)

// Parse returns the language a query parameter or cookie names, and
// whether it named one.
func Parse(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "zh", "zh-cn", "cn", "中文":
		return ZH, true
	case "en", "en-us", "en-gb", "english":
		return EN, true
	}
	return ZH, false
}

// entry is one message in both languages.
type entry struct{ zh, en string }

var index = func() map[string]entry {
	m := make(map[string]entry, len(catalogue))
	for _, e := range catalogue {
		m[e.key] = entry{e.zh, e.en}
	}
	return m
}()

// T is the message key in lang; a key the catalogue lacks is returned as
// is.
func T(lang Lang, key string) string {
	e, ok := index[key]
	if !ok {
		return key
	}
	if lang == EN {
		return e.en
	}
	return e.zh
}

// Has reports whether the catalogue has key.
func Has(key string) bool {
	_, ok := index[key]
	return ok
}

// Keys lists every key, in catalogue order.
func Keys() []string {
	keys := make([]string, len(catalogue))
	for i, e := range catalogue {
		keys[i] = e.key
	}
	return keys
}
