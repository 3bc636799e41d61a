package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// DiffSchema names the JSON form of a comparison.
const DiffSchema = "biztel-doctor.diff/v1"

// maxFacts is how many changed facts a check shows in text and Markdown
// (the JSON has all).
const maxFacts = 6

// listed are the changes text and Markdown spell out check by check; the
// others are one line of ids each.
var listed = map[Change]bool{Regressed: true, StillFailing: true, StillWarning: true, Improved: true, Fixed: true, NewlyChecked: true, NoLongerChecked: true}

// WriteDiffText renders the comparison for a terminal: the verdict first,
// then the checks by change (worst news first) with their changed facts,
// then the checklist.
func (c *Comparison) WriteDiffText(w io.Writer, lang content.Lang, cc *content.Content) error {
	pw := &errWriter{w: w}
	L := func(k string) string { return cc.Label(k, lang) }
	pw.printf("%s\n", L("diff.title"))
	pw.printf("%s: %s\n%s: %s\n", L("diff.before"), c.sideLine(c.Before, lang, cc), L("diff.after"), c.sideLine(c.After, lang, cc))
	pw.printf("%s: %s\n", L("diff.site"), siteLine(c.After, lang, cc))
	if len(c.Site) > 0 {
		pw.printf("!! %s: %s\n", L("diff.forced"), siteDiffLine(c.Site))
	}
	if c.Swapped() {
		pw.printf("!! %s\n", L("diff.swapped"))
	}
	pw.printf("\n%s: %s\n", L("diff.verdict"), c.Verdict(lang, cc))
	for _, ch := range Changes {
		ds := c.With(ch)
		if len(ds) == 0 {
			continue
		}
		pw.printf("\n%s (%d)\n", L("diff.change."+string(ch)), len(ds))
		if !listed[ch] {
			pw.printf("  %s\n", strings.Join(ids(ds), ", "))
			continue
		}
		for _, d := range ds {
			pw.printf("  %s -> %s %-16s %s\n", symbol(d.Before), symbol(d.After), d.ID, checkTitle(cc, d.ID, lang))
			if s := diffSummary(d, lang, cc); s != "" {
				pw.printf("      %s\n", s)
			}
			for i, f := range shownFacts(d.Facts) {
				if i == maxFacts {
					pw.printf("      %s\n", content.Fill(L("diff.facts.more"), map[string]string{"n": itoa(len(d.Facts) - maxFacts)}))
					break
				}
				pw.printf("      %s: %s -> %s\n", f.Key, orDash(f.Before), orDash(f.After))
			}
		}
	}
	if len(c.Items) > 0 {
		pw.printf("\n%s\n", L("diff.checklist"))
		for _, d := range c.Items {
			pw.printf("  %s %2d. %-10s %s%s\n", itemMark(d), itemNumber(d), L("diff.item."+string(d.Change)), TextIn(d.Title, lang, cc), wasNote(d, lang, cc))
		}
	}
	return pw.err
}

// WriteDiffMarkdown renders the comparison as a ticket-ready page.
func (c *Comparison) WriteDiffMarkdown(w io.Writer, lang content.Lang, cc *content.Content) error {
	pw := &errWriter{w: w}
	L := func(k string) string { return cc.Label(k, lang) }
	pw.printf("# %s\n\n", L("diff.title"))
	pw.printf("- %s: %s\n- %s: %s\n- %s: %s\n", L("diff.before"), mdEscape(c.sideLine(c.Before, lang, cc)),
		L("diff.after"), mdEscape(c.sideLine(c.After, lang, cc)), L("diff.site"), mdEscape(siteLine(c.After, lang, cc)))
	if len(c.Site) > 0 {
		pw.printf("\n> **%s**: %s\n", L("diff.forced"), mdEscape(siteDiffLine(c.Site)))
	}
	if c.Swapped() {
		pw.printf("\n> **%s**\n", L("diff.swapped"))
	}
	pw.printf("\n**%s**: %s\n", L("diff.verdict"), mdEscape(c.Verdict(lang, cc)))
	for _, ch := range Changes {
		ds := c.With(ch)
		if len(ds) == 0 {
			continue
		}
		pw.printf("\n## %s (%d)\n\n", L("diff.change."+string(ch)), len(ds))
		if !listed[ch] {
			pw.printf("%s\n", codeList(ids(ds)))
			continue
		}
		for _, d := range ds {
			pw.printf("- `%s` %s: %s → %s", d.ID, mdEscape(checkTitle(cc, d.ID, lang)), statusWord(d.Before, lang, cc), statusWord(d.After, lang, cc))
			if s := diffSummary(d, lang, cc); s != "" {
				pw.printf("  \n  %s", mdEscape(s))
			}
			pw.printf("\n")
			for i, f := range shownFacts(d.Facts) {
				if i == maxFacts {
					pw.printf("  - %s\n", content.Fill(L("diff.facts.more"), map[string]string{"n": itoa(len(d.Facts) - maxFacts)}))
					break
				}
				pw.printf("  - %s: `%s` → `%s`\n", mdEscape(f.Key), mdCode(orDash(f.Before)), mdCode(orDash(f.After)))
			}
		}
	}
	if len(c.Items) > 0 {
		pw.printf("\n## %s\n\n", L("diff.checklist"))
		for _, d := range c.Items {
			mark := "[ ]"
			if d.Change == ItemDone {
				mark = "[x]"
			}
			pw.printf("- %s **%d. %s** — %s%s\n", mark, itemNumber(d), mdEscape(TextIn(d.Title, lang, cc)), L("diff.item."+string(d.Change)), mdEscape(wasNote(d, lang, cc)))
		}
	}
	return pw.err
}

// The JSON form of a comparison (README, "diff --format json").
type (
	jsonDiff struct {
		Schema    string          `json:"schema"`
		Lang      string          `json:"lang"`
		Verdict   string          `json:"verdict"`
		ExitCode  int             `json:"exit_code"`
		Before    jsonSide        `json:"before"`
		After     jsonSide        `json:"after"`
		SiteDiffs []jsonSiteDiff  `json:"site_differs"`
		Counts    map[string]int  `json:"counts"`
		Checks    []jsonCheckDiff `json:"checks"`
		Checklist []jsonItemDiff  `json:"checklist"`
	}
	jsonSide struct {
		StartedAt   string `json:"started_at"`
		ToolVersion string `json:"tool_version"`
		Simulated   string `json:"simulated,omitempty"`
		Interrupted bool   `json:"interrupted"`
	}
	jsonSiteDiff struct {
		Field  string `json:"field"`
		Before string `json:"before"`
		After  string `json:"after"`
	}
	jsonCheckDiff struct {
		ID      string           `json:"id"`
		Change  string           `json:"change"`
		Before  string           `json:"before"` // status, "" when absent
		After   string           `json:"after"`
		Summary string           `json:"summary"`
		Facts   []jsonFactChange `json:"facts"`
	}
	jsonFactChange struct {
		Key    string `json:"key"`
		Before string `json:"before"`
		After  string `json:"after"`
	}
	jsonItemDiff struct {
		ID           string `json:"id"`
		Change       string `json:"change"`
		Title        string `json:"title"`
		BeforeNumber int    `json:"before_number"`
		AfterNumber  int    `json:"after_number"`
	}
)

// WriteDiffJSON renders the comparison as JSON (schema biztel-doctor.diff/v1).
func (c *Comparison) WriteDiffJSON(w io.Writer, lang content.Lang, cc *content.Content) error {
	side := func(r *Report) jsonSide {
		return jsonSide{StartedAt: r.StartedAt.UTC().Format(time.RFC3339), ToolVersion: r.Version, Simulated: r.Simulated, Interrupted: r.Interrupted}
	}
	doc := jsonDiff{Schema: DiffSchema, Lang: string(lang), Verdict: c.Verdict(lang, cc), ExitCode: c.ExitCode(),
		Before: side(c.Before), After: side(c.After), SiteDiffs: []jsonSiteDiff{}, Counts: map[string]int{},
		Checks: []jsonCheckDiff{}, Checklist: []jsonItemDiff{}}
	for _, s := range c.Site {
		doc.SiteDiffs = append(doc.SiteDiffs, jsonSiteDiff(s))
	}
	for _, ch := range Changes {
		doc.Counts[string(ch)] = len(c.With(ch))
	}
	for _, d := range c.Checks {
		jd := jsonCheckDiff{ID: d.ID, Change: string(d.Change), Before: string(d.Before.Status), After: string(d.After.Status),
			Summary: diffSummary(d, lang, cc), Facts: []jsonFactChange{}}
		for _, f := range d.Facts {
			jd.Facts = append(jd.Facts, jsonFactChange(f))
		}
		doc.Checks = append(doc.Checks, jd)
	}
	for _, d := range c.Items {
		doc.Checklist = append(doc.Checklist, jsonItemDiff{ID: d.ID, Change: string(d.Change), Title: TextIn(d.Title, lang, cc),
			BeforeNumber: d.BeforeNumber, AfterNumber: d.AfterNumber})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func (c *Comparison) sideLine(r *Report, lang content.Lang, cc *content.Content) string {
	s := fmt.Sprintf("%s (biztel-doctor %s)", r.StartedAt.Local().Format("2006-01-02 15:04:05"), r.Version)
	if r.Simulated != "" {
		s += " " + content.Fill(cc.Label("report.simulated", lang), map[string]string{"scenario": ScenarioName(cc, lang, r.Simulated)})
	}
	if r.Interrupted {
		s += " " + cc.Label("report.interrupted", lang)
	}
	return s
}

// diffSummary is the after result's summary, or the before one's for a
// check no longer in the after report.
func diffSummary(d CheckDiff, lang content.Lang, cc *content.Content) string {
	if d.After.ID != "" {
		return TextIn(d.After.Summary, lang, cc)
	}
	return TextIn(d.Before.Summary, lang, cc)
}

// shownFacts orders changed facts for people: values that changed first
// (loss 4.1 -> 2.3), then evidence the after run gathered, then evidence it
// no longer has.
func shownFacts(fs []FactChange) []FactChange {
	rank := func(f FactChange) int {
		switch {
		case f.Before != "" && f.After != "":
			return 0
		case f.After != "":
			return 1
		}
		return 2
	}
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b FactChange) int { return rank(a) - rank(b) })
	return out
}

func siteDiffLine(ds []SiteDiff) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s %s -> %s", d.Field, orDash(d.Before), orDash(d.After)))
	}
	return strings.Join(parts, ", ")
}

func ids(ds []CheckDiff) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// symbol is the status mark of a result, "[  ]" when absent.
func symbol(r checks.Result) string {
	if r.ID == "" {
		return "[  ]"
	}
	return r.Status.Symbol()
}

func statusWord(r checks.Result, lang content.Lang, cc *content.Content) string {
	if r.ID == "" {
		return cc.Label("diff.absent", lang)
	}
	return r.Status.Symbol() + " " + r.Status.LabelIn(cc, lang)
}

func itemMark(d ItemDiff) string {
	if d.Change == ItemDone {
		return "[x]"
	}
	return "[ ]"
}

// itemNumber is the item's number after, or before for an item the after
// report no longer has.
func itemNumber(d ItemDiff) int {
	if d.AfterNumber > 0 {
		return d.AfterNumber
	}
	return d.BeforeNumber
}

// wasNote says where an item stood before when its number moved.
func wasNote(d ItemDiff, lang content.Lang, cc *content.Content) string {
	if d.BeforeNumber == 0 || d.AfterNumber == 0 || d.BeforeNumber == d.AfterNumber {
		return ""
	}
	return " (" + content.Fill(cc.Label("diff.item.was", lang), map[string]string{"n": itoa(d.BeforeNumber)}) + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }

// WriteDiff renders the comparison in format f: JSON, Markdown, or text
// (the default). diff and view --against share it.
func (c *Comparison) WriteDiff(w io.Writer, f Format, lang content.Lang, cc *content.Content) error {
	switch f {
	case FormatJSON:
		return c.WriteDiffJSON(w, lang, cc)
	case FormatMarkdown:
		return c.WriteDiffMarkdown(w, lang, cc)
	}
	return c.WriteDiffText(w, lang, cc)
}
