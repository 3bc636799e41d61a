package report

import (
	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/findings"
)

// cause is one root-cause group (package findings) ready to print: the
// same grouping the TUI's findings step shows.
type cause struct {
	Status  checks.Status
	Title   string
	Explain string
	Checks  []string // the checks the cause explains; empty for a single check
}

// causes groups the report's results by root cause, so a ticket reads "UDP
// is blocked outbound" once rather than six separate failures.
func (r *Report) causes(lang content.Lang, c *content.Content) []cause {
	var out []cause
	for _, g := range findings.GroupResults(r.Results) {
		if g.Single() {
			id := g.Checks[0]
			summary := ""
			for _, res := range r.Results {
				if res.ID == id {
					summary = TextIn(res.Summary, lang, c)
				}
			}
			out = append(out, cause{Status: g.Status, Title: id + " " + checkTitle(c, id, lang), Explain: summary})
			continue
		}
		out = append(out, cause{Status: g.Status, Title: c.Label("finding."+g.ID+".title", lang),
			Explain: c.Label("finding."+g.ID+".explain", lang), Checks: g.Checks})
	}
	return out
}
