package tui

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
)

// cliWords are a command-line flag or a command of this tool.
var cliWords = regexp.MustCompile(`--[a-z]|biztel-doctor [a-z]`)

// cliAllowed are the only places a screen may show such words, each with
// why it must stay.
var cliAllowed = []*regexp.Regexp{
	regexp.MustCompile(`biztel-doctor demo CA`),                         // the demo's own certificate authority, quoted from its certificate
	regexp.MustCompile(`· biztel-doctor \S+ ·`),                         // the viewer's title: the tool and version that wrote the report
	regexp.MustCompile(`^- (ツール|Tool): biztel-doctor \S+$`),             // the same in the report's header
	regexp.MustCompile(`（biztel-doctor serve）|\(biztel-doctor serve\)`), // what a reflector is: this tool on another host, which no key here can start
}

// cliOnlyUI are ui texts the TUI never shows: the command line's own
// messages and files (check's report, plan, view, diff, monitor's SVG).
// check.plan.* are the plan's exclusion reasons, made by check's --only,
// --skip and --long: the TUI has none of these flags and says a long
// check's exclusion its own way (start.long.skipped).
var cliOnlyUI = []string{"report.excluded", "plan.excluded", "read.", "diff.forced", "monitor.svg.title", "check.plan."}

// cliOnlySuffix: texts phrased for the command line, beside a TUI twin
// (session.hint.*.cli and .tui).
const cliOnlySuffix = ".cli"

// hasCLIWords reports a flag or a command not on the allow-list.
func hasCLIWords(s string) bool {
	for _, a := range cliAllowed {
		s = a.ReplaceAllString(s, "")
	}
	return cliWords.MatchString(s)
}

// TestNoCLIInGoldenScreens: no golden screen names a CLI flag or command
// (issue 13 item 6, issue 14 item 3): the TUI says which step and key do
// it. It failed on the start screen (biztel-doctor demo --scenario
// healthy) and the demo's site screen.
func TestNoCLIInGoldenScreens(t *testing.T) {
	for _, f := range goldenFiles(t) {
		data, _ := os.ReadFile(f)
		for i, l := range strings.Split(string(data), "\n") {
			if hasCLIWords(l) {
				t.Errorf("%s:%d names the command line: %q", f, i+1, l)
			}
		}
	}
}

// TestNoCLIInTUITexts: what the goldens do not reach: every checklist
// step as the TUI builds it (every remedy, with and without a vendor),
// every question of the decision tree, every check's description and
// every ui text the TUI may show, in ja and en.
func TestNoCLIInTUITexts(t *testing.T) {
	c := content.MustLoad()
	var texts []string
	add := func(where string, ts ...content.Text) {
		for _, x := range ts {
			texts = append(texts, where+"\x00"+x.Ja, where+"\x00"+x.En)
		}
	}
	var all []report.Finding
	for _, r := range c.Remedies {
		all = append(all, report.Finding{Remedy: r.ID, Cause: "answer:x"})
	}
	if len(all) < 30 {
		t.Fatalf("only %d remedies", len(all))
	}
	for _, vendor := range []string{"", "fortigate", "generic"} {
		p := testProfile(true)
		p.Vendor = vendor
		for _, it := range report.ChecklistFor(all, p, c, nil, true) {
			add("remedy "+it.ID+" vendor "+vendor, it.Title)
			add("remedy "+it.ID+" vendor "+vendor, it.Steps...)
		}
	}
	for _, n := range c.Tree().Nodes {
		add("tree "+n.ID, n.Question, n.Help)
		for _, a := range n.Answers {
			add("tree "+n.ID+" "+a.ID, a.Label, a.Finding)
		}
	}
	for _, ci := range c.Checks {
		add("check "+ci.ID, ci.Title, ci.Description)
	}
	for k, x := range c.UI {
		if !slices.ContainsFunc(cliOnlyUI, func(p string) bool { return strings.HasPrefix(k, p) }) && !strings.HasSuffix(k, cliOnlySuffix) {
			add("ui "+k, x)
		}
	}
	for _, s := range texts {
		where, text, _ := strings.Cut(s, "\x00")
		if hasCLIWords(text) {
			t.Errorf("%s names the command line: %q", where, text)
		}
	}
	// the command line keeps its command: check's reader runs it there
	cli := report.ChecklistFor([]report.Finding{{Remedy: "nat-timer-3600", Cause: "nat.timer"}}, testProfile(false), c, nil, false)
	if len(cli) != 1 || !strings.Contains(cli[0].Steps[2].Ja, "biztel-doctor check --long --only nat.timer") {
		t.Errorf("check's checklist lost its command: %+v", cli)
	}
	if len(texts) < 1000 {
		t.Errorf("scanned only %d texts", len(texts))
	}
}

// TestChecklistNamesNoIDs: no checklist title or step, as the TUI builds
// it (every remedy; no vendor and each of the 12; ja and en),
// names a remedy id or a decision-tree node id: items refer to each other
// by title (issue 14 item 3, "(remedy: open-inbound)").
func TestChecklistNamesNoIDs(t *testing.T) {
	c := content.MustLoad()
	var ids []string
	var all []report.Finding
	for _, r := range c.Remedies {
		ids = append(ids, regexp.QuoteMeta(r.ID))
		all = append(all, report.Finding{Remedy: r.ID, Cause: "answer:x"})
	}
	idWord := regexp.MustCompile(`(^|[^a-z0-9-])(` + strings.Join(ids, "|") + `)($|[^a-z0-9-])|\bcase\.[a-z]`)
	scanned := 0
	vendors := []string{""}
	for _, v := range c.Vendors() {
		vendors = append(vendors, v.Name)
	}
	for _, vendor := range vendors {
		p := testProfile(true)
		p.Vendor = vendor
		for _, it := range report.ChecklistFor(all, p, c, nil, true) {
			for _, x := range append([]content.Text{it.Title}, it.Steps...) {
				for _, s := range []string{x.Ja, x.En} {
					scanned++
					if m := idWord.FindString(s); m != "" {
						t.Errorf("item %s (vendor %q) names an id %q: %q", it.ID, vendor, strings.TrimSpace(m), s)
					}
				}
			}
		}
	}
	if scanned < 500 {
		t.Errorf("scanned only %d texts", scanned)
	}
}

// TestNoIDsInGoldenScreens: no golden screen shows a check, remedy or
// decision-tree id as text (issue 14 item 3). The language scan cannot
// see them (it skips words with "." or "-"); the detail toggle (d) and the
// ? screen's ids for support are the places allowed.
func TestNoIDsInGoldenScreens(t *testing.T) {
	c := content.MustLoad()
	var ids []string
	add := func(id string) {
		if strings.ContainsAny(id, ".-") { // plain words (proxy, vendor) are words too
			ids = append(ids, regexp.QuoteMeta(id))
		}
	}
	for _, ci := range c.Checks {
		add(ci.ID)
	}
	for _, r := range c.Remedies {
		add(r.ID)
	}
	for _, n := range c.Tree().Nodes {
		add(n.ID)
	}
	idWord := regexp.MustCompile(`(^|[^\w.-])(` + strings.Join(ids, "|") + `)($|[^\w-])`)
	for _, f := range goldenFiles(t) {
		if strings.Contains(f, "_detail") || strings.Contains(f, "_help") {
			continue // the d details and the ? screen's ids for support show them by design
		}
		data, _ := os.ReadFile(f)
		for i, l := range strings.Split(string(data), "\n") {
			if m := idWord.FindStringSubmatch(l); m != nil {
				t.Errorf("%s:%d shows the id %q: %q", f, i+1, m[2], l)
			}
		}
	}
	if len(ids) < 40 {
		t.Errorf("only %d ids to look for", len(ids))
	}
}
