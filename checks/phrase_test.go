package checks

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// phrasePrefix is where the checks' words live in content (data/phrases/).
const phrasePrefix = "check."

// TestPhrasesExist: every content.Phrase call in the checks names a literal
// key that content has in both languages, fills exactly the placeholders the
// phrase uses (when the vars are a literal), and every check phrase in
// content is used somewhere, so a renamed key cannot silently show as the
// key itself.
func TestPhrasesExist(t *testing.T) {
	c := content.MustLoad()
	used := map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isPhraseCall(call) || len(call.Args) != 2 {
				return true
			}
			pos := fset.Position(call.Pos())
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: content.Phrase needs a literal key so this test can check it", pos)
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			used[key] = true
			text, ok := c.UI[key]
			if !ok || !text.Complete() {
				t.Errorf("%s: phrase %q is missing from content/data/phrases or lacks ja/en", pos, key)
				return true
			}
			checkPhraseVars(t, pos, key, text, call.Args[1])
			return true
		})
	}
	for _, key := range c.PhraseKeys(phrasePrefix) {
		if !used[key] {
			t.Errorf("content phrase %q is used by no check: remove it or use it", key)
		}
	}
}

// isPhraseCall matches content.Phrase(…), and X.Content.Phrase(…): the
// engine's calls on the content it was given (Env.Content).
func isPhraseCall(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Phrase" {
		return false
	}
	switch x := sel.X.(type) {
	case *ast.Ident:
		return x.Name == "content"
	case *ast.SelectorExpr:
		return x.Sel.Name == "Content"
	}
	return false
}

// checkPhraseVars compares a literal content.Vars{…} (or nil) with the
// placeholders of both languages.
func checkPhraseVars(t *testing.T, pos token.Position, key string, text content.Text, arg ast.Expr) {
	t.Helper()
	want := append(content.Placeholders(text.Ja), content.Placeholders(text.En)...)
	slices.Sort(want)
	want = slices.Compact(want)
	var got []string
	switch a := arg.(type) {
	case *ast.Ident:
		if a.Name != "nil" {
			return // vars built elsewhere: checked at run time by the output tests
		}
	case *ast.CompositeLit:
		for _, el := range a.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				return
			}
			lit, ok := kv.Key.(*ast.BasicLit)
			if !ok {
				return
			}
			k, _ := strconv.Unquote(lit.Value)
			got = append(got, k)
		}
	default:
		return
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: phrase %q uses placeholders %v but the call fills %v", pos, key, want, got)
	}
}
