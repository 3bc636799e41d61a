package report

import (
	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// fromTUI reports whether the report is the TUI's: it carries the answers
// of the decision tree (possibly none), where `check` has no such section.
func (r *Report) fromTUI() bool { return r.Answers != nil }

// wayIn is what the user chose on the TUI's "ways in" step: a symptom's
// title, or the full review.
func (r *Report) wayIn(lang content.Lang, c *content.Content) string {
	if id := r.Answers["symptom"]; id != "" {
		for i, s := range c.Symptoms() {
			if s.ID == id {
				return string(rune('A'+i)) + ". " + s.Title.In(lang)
			}
		}
		return id
	}
	return c.Label("ways.full", lang)
}

// writeChoices writes, for a TUI report, the way in the user chose and
// every answer given, in the tree's order, with the reason of an answer
// that differs from its check.
func (r *Report) writeChoices(pw *errWriter, lang content.Lang, c *content.Content) {
	if !r.fromTUI() {
		return
	}
	L := func(k string) string { return c.Label(k, lang) }
	pw.printf("\n## %s\n\n", L("report.choices"))
	pw.printf("- %s: %s\n", L("report.wayin"), mdEscape(r.wayIn(lang, c)))
	for _, n := range c.Tree().Nodes {
		id, ok := r.Answers[n.ID]
		if !ok {
			continue
		}
		label := id
		if a, ok := n.Answer(id); ok {
			label = a.Label.In(lang)
		} else if v, ok := c.Vendor(id); ok {
			label = v.Display
		}
		pw.printf("- %s **%s**", mdEscape(n.Question.In(lang)), mdEscape(label))
		if why := r.Answers[n.ID+".reason"]; why != "" {
			pw.printf(" (%s: %s)", L("report.reason"), mdEscape(why))
		}
		pw.printf("\n")
	}
}

// summaryIn is a result's summary for a reader of this report: a check the
// run left out as long says so without the CLI flag when the TUI made the
// report (its user chose nothing of the kind); check's reports keep it.
func (r *Report) summaryIn(res checks.Result, lang content.Lang, c *content.Content) string {
	if r.fromTUI() && res.SkippedBecause == checks.ExcludedByLong {
		return c.Label("view.long.skipped", lang)
	}
	return TextIn(res.Summary, lang, c)
}
