// Package report turns a run's results into the report every output shares:
// the JSON document (schema biztel-doctor.report/v1), the ticket-ready
// Markdown page and the terminal text, each with the remediation checklist
// filled with the site's own addresses.
package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Schema names the JSON report format.
const Schema = "biztel-doctor.report/v1"

// Report is one run, ready to render in any format and language.
type Report struct {
	Version     string
	StartedAt   time.Time
	Duration    time.Duration
	Interrupted bool
	// Simulated names the demo scenario when the results come from demo's
	// loopback site, not a real network; "" for a real run.
	Simulated string
	Profile   *profile.Profile  // redacted: no secrets
	Answers   map[string]string // decision-tree answers (TUI); nil from check
	Results   []checks.Result   // in catalog order
	Checklist []Item            // what to change, in order of the findings
	// Snippet is the router/firewall configuration for the profile's vendor,
	// rendered by the caller (text report and TUI); "" for none.
	Snippet string
	// SnippetMarkdown is the same configuration as a Markdown section (with
	// its vendor sources); the Markdown report prefers it to Snippet.
	SnippetMarkdown string
	// SavedLang is the language a saved report was written in (Read sets
	// it); "" for a report of a run in this process.
	SavedLang content.Lang
	// Runs are each check's earlier runs in a session (first run, verify,
	// re-run), oldest first; Results holds the latest. nil from check.
	Runs map[string][]Run
	// CheckStarted is when each check's latest run started (zero: unknown).
	CheckStarted map[string]time.Time
	// Provisional are the checks of the session's run in flight when the
	// report was made (nil: none ran): what rests on them may still change.
	Provisional map[string]bool
}

// Run is one earlier run of a check in a session.
type Run struct {
	Started  time.Time
	Kind     string // "run", "verify", "rerun"
	Status   checks.Status
	Summary  content.Text
	Duration time.Duration
}

// Verification is one verify run of a checklist item: when, and the worst
// status of its checks before and after ("" when none had run).
type Verification struct {
	At            time.Time
	Before, After checks.Status
	Change        Change // Classify(Before, After): the same words as diff
	Checks        []string
}

// Item is one checklist entry: a remedy with the site's values filled in.
type Item struct {
	ID     string         // remedy id
	Title  content.Text   // filled
	Steps  []content.Text // filled
	Source content.Text   // section of the requirements page
	Verify []string       // check ids that prove it done
	Causes []string       // check ids (or "answer:KEY") that led to it
	Refs   []string       // outside sources
	Done   bool           // ticked in the TUI
	// Number is the item's number in a session, kept for the whole session
	// (0: unnumbered, from check).
	Number int
	// Fixed: no finding calls for the item any more; its checks now pass.
	Fixed   bool
	History []Verification // every verify run of the item, oldest first
	// Provisional: made while a check it rests on still ran (an export
	// during a run); it may change when the run ends.
	Provisional bool
}

// Input is what Build needs.
type Input struct {
	Version         string
	Outcome         *checks.Outcome
	Profile         *profile.Profile
	Content         *content.Content
	Answers         map[string]string
	Extra           []Finding // remedies from the decision tree, with the answer that led there
	Snippet         string
	SnippetMarkdown string
	Simulated       string // the demo scenario, when the site is demo's simulation
}

// Finding is a remedy that a non-check source (a decision-tree answer)
// calls for.
type Finding struct {
	Remedy string // remedy id
	Cause  string // e.g. "answer:line.type"
}

// Build assembles the report: results as they are, and a checklist with one
// item per remedy named by a warn/fail result or a finding, in first-named
// order, filled with the profile's values in both languages.
func Build(in Input) *Report {
	r := &Report{Version: in.Version, Answers: in.Answers, Snippet: in.Snippet, SnippetMarkdown: in.SnippetMarkdown, Simulated: in.Simulated}
	if in.Outcome != nil {
		r.StartedAt = in.Outcome.Started
		r.Duration = in.Outcome.Duration
		r.Interrupted = in.Outcome.Interrupted
		r.Results = withExcluded(in.Outcome, in.Content)
	}
	if in.Profile != nil {
		r.Profile = in.Profile.Redacted()
	} else {
		r.Profile = &profile.Profile{}
	}
	var findings []Finding
	for _, res := range r.Results {
		if res.Status != checks.Warn && res.Status != checks.Fail {
			continue
		}
		for _, id := range res.Remedies {
			findings = append(findings, Finding{Remedy: id, Cause: res.ID})
		}
	}
	findings = append(findings, in.Extra...)
	r.Checklist = ChecklistFor(findings, in.Profile, in.Content, r.Results, in.Answers != nil)
	return r
}

// withExcluded lists the run's results together with the checks the run
// flags left out, in catalog order, so a report names every check of the
// catalog. A check that ran (a TUI verify run of a check the first run left
// out) keeps its result.
func withExcluded(o *checks.Outcome, c *content.Content) []checks.Result {
	if len(o.Excluded) == 0 {
		return o.Results
	}
	out := slices.Clone(o.Results)
	for _, ex := range o.Excluded {
		if !slices.ContainsFunc(out, func(r checks.Result) bool { return r.ID == ex.ID }) {
			out = append(out, ex)
		}
	}
	if c == nil {
		return out
	}
	rank := map[string]int{}
	for i, ci := range c.Checks {
		rank[ci.ID] = i
	}
	slices.SortStableFunc(out, func(a, b checks.Result) int {
		ra, oka := rank[a.ID]
		rb, okb := rank[b.ID]
		switch {
		case oka && okb:
			return ra - rb
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	return out
}

// Checklist turns findings into filled checklist items, one per remedy.
func Checklist(findings []Finding, p *profile.Profile, c *content.Content) []Item {
	return ChecklistFor(findings, p, c, nil, false)
}

// ChecklistFor is Checklist written for the site: results fill the router's
// public IP when they show it, and tui says the configuration is in step 7
// rather than in a CLI command.
func ChecklistFor(findings []Finding, p *profile.Profile, c *content.Content, results []checks.Result, tui bool) []Item {
	if p == nil {
		p = &profile.Profile{}
	}
	ja, en := siteVars(p, c, results, tui)
	fill := func(t content.Text) content.Text {
		return content.Text{Ja: content.Fill(t.Ja, ja), En: content.Fill(t.En, en)}
	}
	var items []Item
	index := map[string]int{}
	for _, f := range findings {
		if i, ok := index[f.Remedy]; ok {
			if !slices.Contains(items[i].Causes, f.Cause) {
				items[i].Causes = append(items[i].Causes, f.Cause)
			}
			continue
		}
		rem, ok := c.Remedy(f.Remedy)
		if !ok {
			// a programming error the content tests catch; still render something true
			rem = content.Remedy{ID: f.Remedy, Title: content.T("（不明な対処: "+f.Remedy+"）", "(unknown remedy: "+f.Remedy+")"),
				Steps: []content.Text{content.T("この対処の説明が見つかりません。BIZTEL サポートにご相談ください。", "No description of this remedy was found; ask BIZTEL support.")}}
		}
		it := Item{ID: rem.ID, Title: fill(rem.Title), Source: rem.Source, Verify: rem.Verify, Causes: []string{f.Cause}, Refs: rem.Refs}
		for i, s := range rem.Steps {
			if slices.Contains(rem.VPNOnlySteps, i) && !p.VPN() {
				continue // the VPN option's paragraph, for sites that have it
			}
			if tui {
				s = c.TUIStep(rem.ID, i, s) // the TUI's step and key, not a command
			}
			it.Steps = append(it.Steps, fill(s))
		}
		index[f.Remedy] = len(items)
		items = append(items, it)
	}
	return items
}

// Counts returns how many results have each status.
func (r *Report) Counts() map[checks.Status]int {
	m := map[checks.Status]int{}
	for _, res := range r.Results {
		m[res.Status]++
	}
	return m
}

// Excluded counts the results of checks the run flags left out.
func (r *Report) Excluded() int {
	n := 0
	for _, res := range r.Results {
		if res.Excluded() {
			n++
		}
	}
	return n
}

// summaryLine is the counts per status, best first, with how many of the
// skips the run flags asked for: "pass 3, warn 0, skip 17 (of which
// excluded by --skip / --only / --long 15), fail 0, error 0".
func (r *Report) summaryLine(lang content.Lang, c *content.Content) string {
	counts := r.Counts()
	parts := make([]string, 0, len(checks.Statuses))
	for _, s := range checks.Statuses {
		part := fmt.Sprintf("%s %d", s.LabelIn(c, lang), counts[s])
		if n := r.Excluded(); s == checks.Skip && n > 0 {
			key := "report.excluded"
			if r.fromTUI() {
				key = "report.excluded.tui" // the TUI's user chose a symptom, not a flag
			}
			part += fmt.Sprintf(" (%s %d)", c.Label(key, lang), n)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// ExitCode is check's exit status for the report (design.md §3): 130 when
// interrupted, 1 with any fail or error, else 0. A skip, also one the run
// flags asked for, is no finding.
func (r *Report) ExitCode() int {
	if r.Interrupted {
		return 130
	}
	for _, res := range r.Results {
		if res.Status.Bad() {
			return 1
		}
	}
	return 0
}
