package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// Format is an output format of check, plan and ports.
type Format string

const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
)

type jsonDestination struct {
	Check     string `json:"check"`
	Proto     string `json:"proto"`
	Transport string `json:"transport"`
	Address   string `json:"address"`
	Ports     string `json:"ports"`
	Purpose   string `json:"purpose"`
}

type jsonPlan struct {
	Destinations []jsonDestination `json:"destinations"`
	Skipped      map[string]string `json:"skipped"`
	Local        []string          `json:"local"`
	// Excluded: check id → why --skip / --only leave it out.
	Excluded map[string]string `json:"excluded"`
	// Order is the run's schedule (checks.Plan.Schedule); ExpectedS its
	// typical length and LongestS the longest (every check at its budget).
	Order     []jsonStage `json:"order"`
	ExpectedS float64     `json:"expected_s"`
	LongestS  float64     `json:"longest_s"`
}

type jsonStage struct {
	Kind      string   `json:"kind"` // together, alone or long
	Checks    []string `json:"checks"`
	Why       string   `json:"why,omitempty"` // why it runs alone
	ExpectedS float64  `json:"expected_s"`
	LongestS  float64  `json:"longest_s"`
}

var stageKinds = map[checks.StageKind]string{checks.StageTogether: "together", checks.StageAlone: "alone", checks.StageLong: "long"}

func jsonOrder(p *checks.Plan, lang content.Lang) []jsonStage {
	out := []jsonStage{}
	for _, st := range p.Schedule() {
		out = append(out, jsonStage{Kind: stageKinds[st.Kind], Checks: st.Checks, Why: st.Why.In(lang),
			ExpectedS: st.Expected.Seconds(), LongestS: st.Budget.Seconds()})
	}
	return out
}

// PlanOrderLines states the run's order: a heading with the total time,
// then one line per stage (which checks run side by side, which alone and
// why). plan, the CLI and the TUI show the same lines.
func PlanOrderLines(p *checks.Plan, lang content.Lang, c *content.Content) []string {
	L := func(k string) string { return c.Label(k, lang) }
	sec := func(d time.Duration) string { return d.Round(time.Second).String() }
	exp, longest := p.Duration()
	out := []string{fmt.Sprintf("%s (%s %s / %s %s)", L("plan.order"), L("plan.order.expected"), sec(exp), L("plan.order.longest"), sec(longest))}
	for i, st := range p.Schedule() {
		line := fmt.Sprintf("%d. %s (%s %s): %s", i+1, L("plan.order."+stageKinds[st.Kind]), L("plan.order.expected"), sec(st.Expected), strings.Join(st.Checks, ", "))
		if !st.Why.IsZero() {
			line += " — " + st.Why.In(lang)
		}
		out = append(out, line)
	}
	return out
}

func writePlanOrder(pw *errWriter, p *checks.Plan, lang content.Lang, c *content.Content, item string) {
	lines := PlanOrderLines(p, lang, c)
	pw.printf("\n%s\n", lines[0])
	for _, l := range lines[1:] {
		pw.printf(item, l)
	}
}

// localChecks are planned checks with no destination and no skip: they read
// this PC's settings only.
func localChecks(p *checks.Plan) []string {
	var out []string
	for _, id := range p.Checks {
		if _, skip := p.Skipped[id]; skip || len(p.For(id)) > 0 {
			continue
		}
		out = append(out, id)
	}
	return out
}

// WritePlan renders what a run would contact (design.md §5 `plan`).
func WritePlan(w io.Writer, p *checks.Plan, f Format, lang content.Lang, c *content.Content) error {
	L := func(k string) string { return c.Label(k, lang) }
	switch f {
	case FormatJSON:
		doc := jsonPlan{Destinations: []jsonDestination{}, Skipped: map[string]string{}, Local: localChecks(p),
			Excluded: map[string]string{}}
		for _, d := range p.Destinations {
			doc.Destinations = append(doc.Destinations, jsonDestination{Check: d.Check, Proto: d.Proto,
				Transport: d.Transport, Address: d.Address, Ports: d.Ports.String(), Purpose: d.Purpose.In(lang)})
		}
		for id, why := range p.Skipped {
			doc.Skipped[id] = why.In(lang)
		}
		for _, ex := range p.Excluded {
			doc.Excluded[ex.ID] = ex.Why.In(lang)
		}
		if doc.Local == nil {
			doc.Local = []string{}
		}
		doc.Order = jsonOrder(p, lang)
		exp, longest := p.Duration()
		doc.ExpectedS, doc.LongestS = exp.Seconds(), longest.Seconds()
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(doc)
	case FormatMarkdown:
		pw := &errWriter{w: w}
		pw.printf("# %s\n\n| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", L("plan.title"),
			L("plan.col.check"), L("plan.col.proto"), L("plan.col.address"), L("plan.col.ports"), L("plan.col.purpose"))
		for _, d := range p.Destinations {
			pw.printf("| `%s` | %s/%s | %s | %s | %s |\n", d.Check, mdEscape(d.Proto), strings.ToUpper(d.Transport),
				mdEscape(d.Address), d.Ports, mdEscape(d.Purpose.In(lang)))
		}
		writePlanOrder(pw, p, lang, c, "- %s\n")
		writePlanRest(pw, p, lang, c, "- `%s`: %s\n")
		return pw.err
	default:
		pw := &errWriter{w: w}
		pw.printf("%s\n\n", L("plan.title"))
		for _, d := range p.Destinations {
			pw.printf("  %-14s %-10s %-4s %-28s %-12s %s\n", d.Check, d.Proto, strings.ToUpper(d.Transport),
				d.Address, d.Ports, d.Purpose.In(lang))
		}
		writePlanOrder(pw, p, lang, c, "  %s\n")
		writePlanRest(pw, p, lang, c, "  %-14s %s\n")
		return pw.err
	}
}

func writePlanRest(pw *errWriter, p *checks.Plan, lang content.Lang, c *content.Content, line string) {
	if local := localChecks(p); len(local) > 0 {
		pw.printf("\n%s\n", c.Label("plan.local", lang))
		for _, id := range local {
			pw.printf(line, id, checkTitle(c, id, lang))
		}
	}
	if len(p.Skipped) > 0 {
		pw.printf("\n%s\n", c.Label("plan.skipped", lang))
		for _, id := range p.Checks {
			if why, ok := p.Skipped[id]; ok {
				pw.printf(line, id, why.In(lang))
			}
		}
	}
	if len(p.Excluded) > 0 {
		pw.printf("\n%s\n", c.Label("plan.excluded", lang))
		for _, ex := range p.Excluded {
			pw.printf(line, ex.ID, ex.Why.In(lang))
		}
	}
}
