package explorer

import (
	"net/http"
	"strings"

	"github.com/datarights/datarights/explorer/i18n"
)

// words is the catalogue in one language.
type words struct{ lang i18n.Lang }

// T is a catalogue message.
func (w words) T(key string) string { return i18n.T(w.lang, key) }

// wordPrefixes are the key families Word may be asked for with a word
// the catalogue lacks.
var wordPrefixes = []string{"action.", "edge.", "item.", "kind.", "state."}

// Word translates a key the catalogue may lack (an action from a newer
// module, a name from a trace): without a translation it shows the word
// itself, without its key family prefix.
func (w words) Word(key string) string {
	if i18n.Has(key) {
		return i18n.T(w.lang, key)
	}
	for _, p := range wordPrefixes {
		if s, ok := strings.CutPrefix(key, p); ok {
			return s
		}
	}
	return key
}

// langCookie remembers the language a person chose.
const langCookie = "lang"

// language picks the page's language: ?lang= (remembered in a cookie),
// else the cookie, else Chinese.
func language(w http.ResponseWriter, r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			return l
		}
	}
	return i18n.ZH
}
