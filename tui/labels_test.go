package tui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestEveryLabelKeyExists: every ui key the TUI names as a literal
// (sh.L("…"), v.label("…"), c.Label("…", lang)) is in content in ja and
// en. A missing key shows as the key itself: site.hint.editing did, under
// the site form while typing.
func TestEveryLabelKeyExists(t *testing.T) {
	c := content.MustLoad()
	files, _ := filepath.Glob("*.go")
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		tree, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(tree, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "L" && sel.Sel.Name != "label" && sel.Sel.Name != "Label") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			found++
			if txt, ok := c.UI[key]; !ok || !txt.Complete() {
				t.Errorf("%s: ui key %q is not in content (ja and en)", f, key)
			}
			return true
		})
	}
	if found < 100 {
		t.Fatalf("found only %d label keys: the scan is broken", found)
	}
}

// TestSiteErrorsInTheFormsWords: an error no field shows names the form's
// labels, not the profile's keys or Go's "profile: server:" prefix.
func TestSiteErrorsInTheFormsWords(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		d := newDriver(t, lang, nil, nil)
		d.press("enter", "down", "enter") // no server yet: the form says which fields
		scr := d.screen()
		for _, bad := range []string{"profile:", "server.host", "server.ip"} {
			if strings.Contains(scr, bad) {
				t.Errorf("%s: the site screen shows %q:\n%s", lang, bad, scr)
			}
		}
		d.mustShow(d.m.sh.L("site.server_host"))
	}
}
