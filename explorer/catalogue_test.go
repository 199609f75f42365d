package explorer

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"html/template"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/explorer/i18n"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	markettypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// tKeyRe finds the literal keys templates translate.
var tKeyRe = regexp.MustCompile(`\.(?:T|Word) "([^"]+)"`)

// Every key a template names is in the catalogue.
func TestTemplateKeysInCatalogue(t *testing.T) {
	n := 0
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		bz, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for _, m := range tKeyRe.FindAllStringSubmatch(string(bz), -1) {
			n++
			if !i18n.Has(m[1]) {
				t.Errorf("%s uses key %q, which the catalogue lacks", path, m[1])
			}
		}
		return nil
	})
	if err != nil || n < 40 {
		t.Fatalf("walked the templates: %v, %d keys", err, n)
	}
	for _, kind := range []string{"asset", "product", "right", "authorization", "listing", "trade", "party"} {
		if !i18n.Has("kind." + kind) {
			t.Errorf("kind.%s is missing", kind)
		}
	}
	for _, kind := range []string{"header", "state", "history", "tx", "trace_node", "trace_edge"} { // audit's item kinds
		if !i18n.Has("item." + kind) {
			t.Errorf("item.%s is missing", kind)
		}
	}
	for _, v := range []string{"VERIFIED", "FAILED"} {
		if !i18n.Has("verify." + v) {
			t.Errorf("verify.%s is missing", v)
		}
	}
}

// Every field and enum value of the entities the explorer shows has a
// label in both languages: adding a field to a state message without
// naming it here fails this test.
func TestEntityFieldsInCatalogue(t *testing.T) {
	seen := map[protoreflect.FullName]bool{}
	var walk func(md protoreflect.MessageDescriptor)
	walk = func(md protoreflect.MessageDescriptor) {
		if seen[md.FullName()] || md.FullName() == (&timestamppb.Timestamp{}).ProtoReflect().Descriptor().FullName() {
			return
		}
		seen[md.FullName()] = true
		for i := 0; i < md.Fields().Len(); i++ {
			fd := md.Fields().Get(i)
			if !i18n.Has("f." + string(fd.Name())) {
				t.Errorf("%s.%s: no label f.%s", md.FullName(), fd.Name(), fd.Name())
			}
			switch fd.Kind() {
			case protoreflect.EnumKind:
				vals := fd.Enum().Values()
				for j := 0; j < vals.Len(); j++ {
					if !i18n.Has(string(vals.Get(j).Name())) {
						t.Errorf("enum value %s has no message", vals.Get(j).Name())
					}
				}
			case protoreflect.MessageKind:
				walk(fd.Message())
			}
		}
	}
	for _, m := range []proto.Message{&regtypes.Asset{}, &rightstypes.Right{}, &authtypes.Authorization{}, &markettypes.Listing{},
		&markettypes.Trade{}, &idtypes.Party{}, &revtypes.Distribution{}} {
		walk(m.ProtoReflect().Descriptor())
	}
}

// Every event type a module emits (the action of a history entry) has a
// message.
func TestActionsInCatalogue(t *testing.T) {
	files, _ := filepath.Glob("../x/*/types/events.go")
	if len(files) < 5 {
		t.Fatalf("found %d events.go files", len(files))
	}
	n := 0
	for _, f := range files {
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(node ast.Node) bool {
			vs, ok := node.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Event") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, _ := strconv.Unquote(lit.Value)
				n++
				if !i18n.Has("action." + v) {
					t.Errorf("%s: event %q has no message action.%s", f, v, v)
				}
			}
			return true
		})
	}
	if n < 40 {
		t.Fatalf("found %d event types", n)
	}
}

// Each page renders in both languages, with no key left untranslated.
func TestPagesRender(t *testing.T) {
	s := &Server{ledger: &Ledger{addrs: []string{"tcp://127.0.0.1:1"}}, tmpl: map[string]*template.Template{}}
	if err := s.parse(); err != nil {
		t.Fatal(err)
	}
	asset := &regtypes.Asset{Id: "a-1", Name: "Bus ridership (公交客流)", Classification: regtypes.Classification_CLASSIFICATION_PUBLIC,
		Grade: regtypes.Grade_GRADE_GENERAL, Status: regtypes.AssetStatus_ASSET_STATUS_CERTIFIED, HoldingRightId: "r-1",
		RegisteredTime: timestamppb.Now(), Inputs: []*regtypes.Input{{AssetId: "a-7", WeightBps: 10000}}}
	g := PlaceGraph(diamond())
	for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
		w := words{lang}
		p := &page{W: w, Lang: string(lang), Toggle: "/e/a-1?lang=x", Title: "a-1",
			Entity: &Entity{ID: "a-1", Kind: "asset", Title: asset.Name, Message: asset, Answer: Answer{Node: "n", Height: 9}},
			Fields: fields(asset, w), Graph: g.SVG("a-4", EntityHref, w.Word),
			History:   []HistoryRow{{Height: 3, Action: "asset_registered", TxHash: "ABCDEF0123456789"}, {Height: 5, Action: "asset_certified"}},
			Verdict:   &Verdict{Entity: "a-1", Verdict: "VERIFIED", Items: []VerdictItem{{Kind: "state", Verdict: "VERIFIED"}}},
			Dashboard: &Dashboard{Charts: []Chart{barChart("c", w.T("dash.assets_by_grade"), enumBars([]uint64{0, 2, 1, 0}, regtypes.Grade_name, w), groupDigits)}}}
		for _, name := range pages {
			var buf bytes.Buffer
			if err := s.tmpl[name].ExecuteTemplate(&buf, "layout", p); err != nil {
				t.Fatalf("%s in %s: %v", name, lang, err)
			}
			out := buf.String()
			for _, leak := range []string{`"f.`, ">f.", ">kind.", ">dash.", ">verify.", ">action.", ">entity.", ">history."} {
				if strings.Contains(out, leak) {
					t.Errorf("%s in %s shows an untranslated key (%s)", name, lang, leak)
				}
			}
			if lang == i18n.ZH && !strings.Contains(out, `lang="zh-CN"`) || lang == i18n.EN && !strings.Contains(out, `lang="en"`) {
				t.Errorf("%s in %s: wrong html lang", name, lang)
			}
		}
	}
}
