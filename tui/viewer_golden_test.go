package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
)

// TestGoldenViewerScreens: a report the TUI saved (demo problems, full
// review), opened with view in ja and en at 80×24: the first page of each
// tab is pinned, and every line of every tab (scrolled through) keeps to
// one language, names no check id and fits the width; Japanese wraps
// between characters, as on the steps.
func TestGoldenViewerScreens(t *testing.T) {
	d := demoDriver(t, "problems", content.Ja)
	d.m.sh.cfg.OutDir = t.TempDir()
	d.press("3")
	for !strings.Contains(d.screen(), "> "+d.m.sh.L("ways.full")) {
		d.press("down")
	}
	d.press("enter", "5", "6", "8", "enter")
	js, _ := filepath.Glob(filepath.Join(d.m.sh.cfg.OutDir, "*.json"))
	if len(js) != 1 {
		t.Fatalf("exported %v", js)
	}
	md, _ := os.ReadFile(strings.TrimSuffix(js[0], ".json") + ".md")
	for i, l := range markdownProse(string(md)) { // a full review's Markdown: no command line either
		if hasCLIWords(l) {
			t.Errorf("the exported Markdown's line %d names the command line: %q", i+1, l)
		}
	}
	c := d.m.sh.c
	rep, err := report.ReadFile(js[0], c)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []content.Lang{content.Ja, content.En} {
		v := NewViewer(ViewConfig{Lang: lang, NoColor: true, Content: c, Report: rep})
		v.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		for tab := range v.tabs() {
			v.tab = viewTab(tab)
			golden(t, fmt.Sprintf("view_%s_%d", lang, tab+1), ansi.Strip(v.View().Content))
			for i, l := range v.bodyLines() {
				l = ansi.Strip(l)
				if ansi.StringWidth(l) > 80 {
					t.Errorf("%s tab %d line %d is too wide: %q", lang, tab+1, i+1, l)
				}
				if tab == int(tabConfig) {
					continue // the device's commands
				}
				quoted := []string{}
				for _, r := range rep.Results {
					quoted = append(quoted, quotedWords(r)...)
				}
				bad := slices.DeleteFunc(otherLanguage(l, lang == content.Ja, false), func(w string) bool {
					return slices.ContainsFunc(quoted, func(q string) bool { return strings.Contains(q, w) })
				})
				if len(bad) > 0 {
					t.Errorf("%s tab %d line %d: %v in %q", lang, tab+1, i+1, bad, l)
				}
				for _, ci := range c.Checks {
					if strings.Contains(l, " "+ci.ID+" ") || strings.Contains(l, "("+ci.ID+")") {
						t.Errorf("%s tab %d line %d names the check id %s: %q", lang, tab+1, i+1, ci.ID, l)
					}
				}
			}
		}
	}
}
