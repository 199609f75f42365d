package explorer

import (
	"context"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"time"

	"github.com/datarights/datarights/explorer/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages are the templates that render a whole page with layout.html.
var pages = []string{"home", "entity", "dashboard", "error"}

// Config is what a Server needs.
type Config struct {
	Nodes []string
	// Provenance serves history and traces; nil shows them as unavailable.
	Provenance Provenance
	// Verifier runs the verify button; nil makes it say ErrNoVerifier.
	Verifier Verifier
	// Log receives one line per failed request; nil discards.
	Log *log.Logger
}

// Server is the explorer's HTTP handler.
type Server struct {
	ledger *Ledger
	prov   Provenance
	verify Verifier
	tmpl   map[string]*template.Template
	log    *log.Logger
}

// New builds a server over the nodes.
func New(cfg Config) (*Server, error) {
	l, err := NewLedger(cfg.Nodes)
	if err != nil {
		return nil, err
	}
	s := &Server{ledger: l, prov: cfg.Provenance, verify: cfg.Verifier, log: cfg.Log, tmpl: map[string]*template.Template{}}
	if s.prov == nil {
		s.prov = NewProvenance(l)
	}
	if err := s.parse(); err != nil {
		return nil, err
	}
	return s, nil
}

// parse reads the page templates.
func (s *Server) parse() error {
	for _, p := range pages {
		t, err := template.ParseFS(templateFS, "templates/layout.html", "templates/"+p+".html")
		if err != nil {
			return fmt.Errorf("template %s: %w", p, err)
		}
		s.tmpl[p] = t
	}
	return nil
}

// Ledger is the node access the server reads through.
func (s *Server) Ledger() *Ledger { return s.ledger }

// Handler routes the explorer's pages.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /search", s.search)
	mux.HandleFunc("GET /e/{id}", s.entity)
	mux.HandleFunc("POST /e/{id}/verify", s.entity)
	mux.HandleFunc("GET /dashboard", s.dashboard)
	return mux
}

// page is what every template gets.
type page struct {
	W      words
	Lang   string
	Toggle string // the same page in the other language
	Path   string
	Node   string
	Height int64
	Title  string
	Query  string
	Error  string

	Entity     *Entity
	Fields     []Field
	Related    []Section
	History    []HistoryRow
	HistoryErr string
	NextPage   string
	Graph      template.HTML
	GraphErr   string
	Truncated  bool
	Verdict    *Verdict
	VerifyErr  string
	Dashboard  *Dashboard
}

func (s *Server) newPage(w http.ResponseWriter, r *http.Request) *page {
	lang := language(w, r)
	q := url.Values{"lang": {otherLang(string(lang))}}
	return &page{W: words{lang}, Lang: string(lang), Path: r.URL.Path, Toggle: r.URL.Path + "?" + q.Encode(), Node: s.ledger.addrs[0]}
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'")
	w.WriteHeader(status)
	if err := s.tmpl[name].ExecuteTemplate(w, "layout", p); err != nil {
		s.logf("render %s: %v", name, err)
	}
}

func (s *Server) fail(w http.ResponseWriter, p *page, status int, msg string) {
	p.Error = msg
	s.render(w, status, "error", p)
}

func (s *Server) logf(format string, args ...any) {
	if s.log != nil {
		s.log.Printf(format, args...)
	}
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	p.Title = p.W.T("nav.search")
	s.render(w, http.StatusOK, "home", p)
}

// search sends an id or address to its page.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	id, ok := Normalize(q)
	if !ok {
		p := s.newPage(w, r)
		p.Title, p.Query, p.Error = p.W.T("nav.search"), q, p.W.T("search.bad")+": "+q
		s.render(w, http.StatusBadRequest, "home", p)
		return
	}
	http.Redirect(w, r, EntityHref(id), http.StatusSeeOther)
}

// requestTimeout bounds the node queries of one page.
const requestTimeout = 20 * time.Second

// verifyTimeout bounds one verification (light client plus proofs).
const verifyTimeout = 2 * time.Minute

// entity shows an entity's state, graph, history and related records;
// POST also runs the verification.
func (s *Server) entity(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	id, ok := Normalize(r.PathValue("id"))
	if !ok {
		s.fail(w, p, http.StatusBadRequest, p.W.T("search.bad")+": "+r.PathValue("id"))
		return
	}
	p.Toggle = EntityHref(id) + "?lang=" + otherLang(p.Lang)
	ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
	defer cancel()
	e, err := fetch(ctx, s.ledger, id)
	if err != nil {
		var qe *QueryError
		if errors.As(err, &qe) {
			s.fail(w, p, http.StatusNotFound, p.W.T("error.notfound")+": "+id+" ("+qe.Log+")")
			return
		}
		s.logf("entity %s: %v", id, err)
		s.fail(w, p, http.StatusBadGateway, p.W.T("error.node")+": "+err.Error())
		return
	}
	p.Entity, p.Title, p.Height = e, id, e.Answer.Height
	p.Fields = fields(e.Message, p.W)
	if r.Method == http.MethodPost {
		s.runVerify(r.Context(), p, id)
	}
	s.addProvenance(ctx, p, id, r.URL.Query().Get("page"))
	p.Related = related(ctx, s.ledger, e, p.W)
	s.render(w, http.StatusOK, "entity", p)
}

func (s *Server) runVerify(ctx context.Context, p *page, id string) {
	if s.verify == nil {
		p.VerifyErr = ErrNoVerifier.Error()
		return
	}
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	v, err := s.verify.Verify(ctx, id)
	if err != nil {
		p.VerifyErr = err.Error()
		if v == nil {
			return
		}
	}
	p.Verdict = v
}

// addProvenance adds the history page and the graph.
func (s *Server) addProvenance(ctx context.Context, p *page, id, pageKey string) {
	key, err := hex.DecodeString(pageKey)
	if err != nil {
		key = nil
	}
	rows, next, err := s.prov.History(ctx, id, key)
	if err != nil {
		p.HistoryErr = err.Error()
	}
	p.History = rows
	if len(next) > 0 {
		p.NextPage = EntityHref(id) + "?page=" + hex.EncodeToString(next)
	}
	g, err := s.prov.Trace(ctx, id)
	if err != nil {
		p.GraphErr = err.Error()
		return
	}
	if len(g.Nodes) == 0 {
		return
	}
	p.Truncated = g.Truncated
	p.Graph = PlaceGraph(g).SVG(id, EntityHref, p.W.Word)
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	p.Dashboard = buildDashboard(ctx, s.ledger, p.W)
	p.Title, p.Height = p.W.T("nav.dashboard"), p.Dashboard.Height
	s.render(w, http.StatusOK, "dashboard", p)
}

func otherLang(lang string) string {
	if lang == string(i18n.EN) {
		return string(i18n.ZH)
	}
	return string(i18n.EN)
}
