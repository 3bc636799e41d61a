package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// TextOptions shape the terminal rendering.
type TextOptions struct {
	Color bool // ANSI colour on status words (never the only signal)
	Facts bool // show facts of every check, not just warn/fail/error
}

var ansi = map[checks.Status]string{
	checks.Pass: "\x1b[32m", checks.Warn: "\x1b[33m", checks.Fail: "\x1b[31m",
	checks.Skip: "\x1b[90m", checks.Error: "\x1b[35m",
}

// WriteText renders the report for a terminal: one line per check (ASCII
// symbol, id, status word, summary), evidence of what needs attention, the
// summary counts and the checklist.
func (r *Report) WriteText(w io.Writer, lang content.Lang, c *content.Content, opt TextOptions) error {
	pw := &errWriter{w: w}
	L := func(k string) string { return c.Label(k, lang) }
	pw.printf("%s  (biztel-doctor %s, %s %s, %s %.1fs)\n", L("report.title"), r.Version,
		L("report.started"), r.StartedAt.Local().Format("2006-01-02 15:04:05"), L("report.duration"), r.Duration.Seconds())
	if r.SavedLang != "" {
		pw.printf("!! %s\n", savedLine(r, lang, c))
	}
	if r.Interrupted {
		pw.printf("!! %s\n", L("report.interrupted"))
	}
	if r.Simulated != "" {
		pw.printf("!! %s\n", content.Fill(L("report.simulated"), map[string]string{"scenario": ScenarioName(c, lang, r.Simulated)}))
	}
	pw.printf("%s: %s\n\n", L("report.site"), siteLine(r, lang, c))
	for i, res := range r.Results {
		word := res.Status.LabelIn(c, lang)
		if opt.Color {
			word = ansi[res.Status] + word + "\x1b[0m"
		}
		pw.printf("%2d. %s %-16s %s  %s\n", i+1, res.Status.Symbol(), res.ID, word, r.summaryIn(res, lang, c))
		if opt.Facts || (res.Status != checks.Pass && res.Status != checks.Skip) {
			for _, k := range res.Facts.Keys() {
				pw.printf("      %s: %s\n", textFactLabel(c, lang, k), FactValue(c, lang, k, res.Facts[k]))
			}
		}
	}
	if causes := r.causes(lang, c); len(causes) > 0 {
		pw.printf("\n%s\n", L("findings.groups"))
		for _, k := range causes {
			checksNote := ""
			if len(k.Checks) > 0 {
				checksNote = " (" + strings.Join(k.Checks, ", ") + ")"
			}
			pw.printf("  %s %s%s%s\n      %s\n", k.Status.Symbol(), k.Title, checksNote, r.provisionalMark(k.Checks, lang, c), k.Explain)
		}
	}
	pw.printf("\n%s: %s\n", L("report.summary"), r.summaryLine(lang, c))
	pw.printf("\n%s\n", L("report.checklist"))
	if len(r.Checklist) == 0 {
		pw.printf("  %s\n", L("report.checklist.none"))
	}
	for i, it := range r.Checklist {
		mark := "[ ]"
		if it.Done {
			mark = "[x]"
		}
		pw.printf("%2d. %s %s%s\n", ItemNumber(it, i), mark, TextIn(it.Title, lang, c), provisionalItemMark(it, lang, c))
		if it.Fixed {
			pw.printf("      %s\n", L("report.fixed"))
		}
		for _, v := range it.History {
			pw.printf("      %s\n", HistoryLine(v, lang, c))
		}
		for j, s := range it.Steps {
			pw.printf("      %d) %s\n", j+1, TextIn(s, lang, c))
		}
		pw.printf("      %s: %s / %s: %s / %s: %s\n", L("report.source"), TextIn(it.Source, lang, c),
			L("report.verify"), strings.Join(it.Verify, ", "), L("report.because"), strings.Join(it.Causes, ", "))
	}
	if r.Snippet != "" {
		pw.printf("\n%s\n%s\n", L("report.snippet"), r.Snippet)
	}
	return pw.err
}

// siteLine summarises the profile in one line.
func siteLine(r *Report, lang content.Lang, c *content.Content) string {
	p := r.Profile
	if p == nil {
		return c.Label("report.none", lang)
	}
	server := strings.TrimSpace(strings.Join(nonEmpty(p.Server.Host, p.Server.IP), " / "))
	s := c.Label("report.server", lang) + " " + server
	if p.VPN() {
		s += ", " + c.Label("report.vpn", lang) + " " + p.Server.VPNIP
	}
	if len(p.STUN.Servers) > 0 {
		s += ", " + c.Label("report.stun", lang) + " " + strings.Join(p.STUN.Servers, " ")
	}
	return s
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// errWriter keeps the first write error so renderers stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// savedLine says the report is a saved one, in which language and by which
// version it was written.
func savedLine(r *Report, lang content.Lang, c *content.Content) string {
	return content.Fill(c.Label("report.saved", lang), map[string]string{
		"lang": c.Label("report.lang."+string(r.SavedLang), lang), "version": r.Version})
}

// ItemNumber is the number of the i-th checklist item: the session's stable
// number when it has one, else its place.
func ItemNumber(it Item, i int) int {
	if it.Number > 0 {
		return it.Number
	}
	return i + 1
}

// Write renders the report in format f: JSON, Markdown, or text (the
// default) with opt. check and view share it.
func (r *Report) Write(w io.Writer, f Format, lang content.Lang, c *content.Content, opt TextOptions) error {
	switch f {
	case FormatJSON:
		return r.WriteJSON(w, lang, c)
	case FormatMarkdown:
		return r.WriteMarkdown(w, lang, c)
	}
	return r.WriteText(w, lang, c, opt)
}

// textFactLabel is a fact's name in lang with its key after it, as the
// Markdown does (there in code quotes): the reader gets words, support gets the key to grep the
// JSON for. A key content does not name stays as it is.
func textFactLabel(c *content.Content, lang content.Lang, k string) string {
	if t, ok := c.FactLabel(k); ok {
		return t.In(lang) + " [" + k + "]"
	}
	return k
}
