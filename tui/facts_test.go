package tui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestEveryFactHasALabel: every evidence key the TUI can show has a label
// in both languages (content/data/ui_facts.yaml): the keys of both recorded
// demo runs (keys built at run time included), and every key written as a
// literal in the checks' source (Facts{"k": …}, r.Facts["k"], WithFact("k")).
func TestEveryFactHasALabel(t *testing.T) {
	c := content.MustLoad()
	keys := map[string]string{}
	for _, sc := range []string{"problems", "healthy"} {
		for _, r := range loadDemoFixture(t, sc).Results {
			for k := range r.Facts {
				keys[k] = "demo " + sc + " " + r.ID
			}
		}
	}
	for k, where := range sourceFactKeys(t, "..") {
		keys[k] = where
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d fact keys: the scan is broken", len(keys))
	}
	for k, where := range keys {
		l, ok := c.FactLabel(k)
		if !ok || l.Ja == "" || l.En == "" {
			t.Errorf("fact %q (%s) has no label in ja and en: add fact.%s to content/data/ui_facts.yaml", k, where, k)
		}
	}
}

// sourceFactKeys finds the fact keys written as string literals in the
// non-test Go files under root (outside tui, whose demo note is a constant).
func sourceFactKeys(t *testing.T, root string) map[string]string {
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			strings.Contains(path, "checktest") || strings.Contains(path, "/.") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return nil
		}
		lit := func(e ast.Expr) {
			if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if k, err := strconv.Unquote(bl.Value); err == nil {
					out[k] = path
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "WithFact" && len(x.Args) > 0 {
					lit(x.Args[0])
				}
			case *ast.IndexExpr:
				if sel, ok := x.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Facts" {
					lit(x.Index)
				}
			case *ast.CompositeLit:
				if id, ok := x.Type.(*ast.Ident); ok && id.Name == "Facts" {
					for _, e := range x.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							lit(kv.Key)
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
