// Package lint holds tree-wide checks that no compiler makes: the rules of
// deterministic consensus code (STYLE.md, "Determinism").
package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// consensusDirs hold code that runs inside block execution (or decides
// what does). Client code (cli/, client/, cmd/, server/) may use clocks and
// randomness; these may not.
var consensusDirs = []string{"app", "x", "store", "env", "tx", "errs", "query", "module", "validate", "address"}

// allow is the opt-out comment: it must be on the line of the finding, or
// the line above, and give a reason.
const allow = "lint:allow"

type finding struct {
	pos  token.Position
	what string
}

// TestDeterministicConsensusCode fails on wall-clock time, randomness,
// floats and range over maps in consensus code, unless the line carries a
// reasoned "lint:allow" comment.
func TestDeterministicConsensusCode(t *testing.T) {
	root := filepath.Join("..", "..")
	var found []finding
	for _, d := range consensusDirs {
		err := filepath.WalkDir(filepath.Join(root, d), func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() && (e.Name() == "cli" || e.Name() == "testdata" || e.Name() == "apptest" || e.Name() == "sim") {
				return filepath.SkipDir
			}
			if e.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, ".pb.go") {
				return nil
			}
			found = append(found, checkFile(t, path)...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range found {
		t.Errorf("%s: %s (fix it, or add a reasoned %q comment)", f.pos, f.what, allow)
	}
}

func checkFile(t *testing.T, path string) []finding {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	allowed := map[int]bool{}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if i := strings.Index(c.Text, allow); i >= 0 && len(strings.TrimSpace(c.Text[i+len(allow):])) > 3 {
				l := fset.Position(c.Pos()).Line
				allowed[l], allowed[l+1] = true, true
			}
		}
	}
	var out []finding
	report := func(n ast.Node, what string) {
		p := fset.Position(n.Pos())
		if !allowed[p.Line] {
			out = append(out, finding{p, what})
		}
	}
	for _, imp := range f.Imports {
		switch p, _ := strconv.Unquote(imp.Path.Value); p {
		case "math/rand", "math/rand/v2", "crypto/rand":
			report(imp, "imports "+p+": randomness in consensus code")
		}
	}
	maps := mapNames(f)
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && id.Name == "time" && (x.Sel.Name == "Now" || x.Sel.Name == "Since" || x.Sel.Name == "Until") {
				report(x, "time."+x.Sel.Name+": wall-clock time in consensus code (use env.BlockOf(ctx).Time)")
			}
		case *ast.Ident:
			if x.Name == "float32" || x.Name == "float64" {
				report(x, x.Name+": floats in consensus code (use integers: fen, bps)")
			}
		case *ast.RangeStmt:
			if isMap(x.X, maps) {
				report(x, "range over a map: iteration order is random (sort the keys, or iterate the store)")
			}
		}
		return true
	})
	return out
}

// mapNames collects names (variables, parameters, fields, functions
// returning one) declared with a map type in the file: a syntactic
// approximation that needs no type checking.
func mapNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	isMapType := func(e ast.Expr) bool { _, ok := e.(*ast.MapType); return ok }
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Field:
			if isMapType(x.Type) {
				for _, id := range x.Names {
					names[id.Name] = true
				}
			}
		case *ast.ValueSpec:
			if x.Type != nil && isMapType(x.Type) {
				for _, id := range x.Names {
					names[id.Name] = true
				}
			}
			for i, v := range x.Values {
				if i < len(x.Names) && isMapExpr(v) {
					names[x.Names[i].Name] = true
				}
			}
		case *ast.AssignStmt:
			for i, v := range x.Rhs {
				if id, ok := x.Lhs[min(i, len(x.Lhs)-1)].(*ast.Ident); ok && isMapExpr(v) {
					names[id.Name] = true
				}
			}
		case *ast.FuncDecl:
			if r := x.Type.Results; r != nil && len(r.List) == 1 && isMapType(r.List[0].Type) {
				names[x.Name.Name+"()"] = true
			}
		}
		return true
	})
	return names
}

func isMapExpr(e ast.Expr) bool {
	switch v := e.(type) {
	case *ast.CompositeLit:
		_, ok := v.Type.(*ast.MapType)
		return ok
	case *ast.CallExpr:
		if id, ok := v.Fun.(*ast.Ident); ok && id.Name == "make" && len(v.Args) > 0 {
			_, ok := v.Args[0].(*ast.MapType)
			return ok
		}
	}
	return false
}

func isMap(e ast.Expr, names map[string]bool) bool {
	switch v := e.(type) {
	case *ast.Ident:
		return names[v.Name]
	case *ast.SelectorExpr:
		return names[v.Sel.Name]
	case *ast.CallExpr:
		switch f := v.Fun.(type) {
		case *ast.Ident:
			return names[f.Name+"()"]
		case *ast.SelectorExpr:
			return names[f.Sel.Name+"()"]
		}
	}
	return isMapExpr(e)
}

// TestLintFindsEachRule: the checker itself must catch every rule on a file
// that breaks each one, and honour a reasoned opt-out.
func TestLintFindsEachRule(t *testing.T) {
	got := checkFile(t, filepath.Join("testdata", "bad.go"))
	want := []string{"math/rand", "float64", "time.Now", "range over a map", "range over a map", "range over a map"}
	if len(got) != len(want) {
		for _, f := range got {
			t.Log(f.pos, f.what)
		}
		t.Fatalf("%d findings, want %d", len(got), len(want))
	}
	for i, w := range want {
		if !strings.Contains(got[i].what, w) {
			t.Errorf("finding %d = %q, want it to mention %q", i, got[i].what, w)
		}
	}
}
