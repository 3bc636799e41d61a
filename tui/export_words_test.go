package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestExportedReportNamesWhatWasChosen: a report exported after a symptom
// path says which symptom and which answers, numbers its checklist as the
// TUI does, and never names a CLI flag for what the user chose; its
// Markdown keeps to one language (outside code) like the screens.
func TestExportedReportNamesWhatWasChosen(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		d := demoDriver(t, "problems", lang)
		d.m.sh.cfg.OutDir = t.TempDir()
		d.press("3", "b", "enter") // symptom B
		d.press("enter")           // answer the first question by hand
		d.press("5", "6")
		items := d.m.sh.report().Checklist
		d.press("8", "enter")
		mds, _ := filepath.Glob(filepath.Join(d.m.sh.cfg.OutDir, "*.md"))
		if len(mds) != 1 {
			t.Fatalf("exported %v", mds)
		}
		data, _ := os.ReadFile(mds[0])
		md := string(data)
		sym := d.m.sh.c.Symptoms()[1].Title.In(lang)
		for _, want := range []string{d.m.sh.L("report.choices"), "B. " + sym, "1. " + items[0].Title.In(lang)} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: the Markdown lacks %q", lang, want)
			}
		}
		answers := d.m.sh.report().Answers
		if len(answers) == 0 {
			t.Fatalf("%s: no answer recorded", lang)
		}
		for q, a := range answers { // each answer beside its question, in words
			n, ok := d.m.sh.c.Tree().Node(q)
			if !ok {
				continue // the way in ("symptom") and reasons have lines of their own
			}
			label := ""
			if x, ok := n.Answer(a); ok {
				label = x.Label.In(lang)
			} else if v, ok := d.m.sh.c.Vendor(a); ok {
				label = v.Display
			}
			if label == "" || !slices.ContainsFunc(strings.Split(md, "\n"), func(l string) bool {
				return strings.HasPrefix(l, "- ") && strings.Contains(l, "**"+label+"**")
			}) {
				t.Errorf("%s: the Markdown lacks the answer %q to %q", lang, label, n.Question.In(lang))
			}
		}
		if strings.Contains(md, "--only") {
			t.Errorf("%s: the report names the --only flag for the chosen symptom", lang)
		}
		for i, l := range markdownProse(md) { // evidence in code spans stays as measured
			if hasCLIWords(l) {
				t.Errorf("%s report line %d names the command line: %q", lang, i+1, l)
			}
		}
		for i, l := range markdownProse(md) {
			if bad := otherLanguage(l, lang == content.Ja, false); len(bad) > 0 && !allowedReportLine(l) {
				t.Errorf("%s report line %d: %v in %q", lang, i+1, bad, l)
			}
		}
	}
}

var codeSpan = regexp.MustCompile("`[^`]*`")

// markdownProse is the Markdown without fenced blocks (the device's
// configuration) and code spans (ids, fact keys and values, kept for
// support).
func markdownProse(md string) []string {
	var out []string
	fenced := false
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			out = append(out, codeSpan.ReplaceAllString(l, ""))
		}
	}
	return out
}

// allowedReportLine: the vendor documents' titles (links) are in the
// vendor's language.
func allowedReportLine(l string) bool {
	return strings.Contains(l, "](http") || strings.Contains(l, "https://") || strings.Contains(l, "RFC ")
}
