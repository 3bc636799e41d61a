package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// WriteMarkdown renders a ticket-ready page: site, results table, evidence,
// the checklist as `- [ ]` items with the site's addresses, and the vendor
// configuration when there is one.
func (r *Report) WriteMarkdown(w io.Writer, lang content.Lang, c *content.Content) error {
	pw := &errWriter{w: w}
	L := func(k string) string { return c.Label(k, lang) }
	pw.printf("# %s\n\n", L("report.title"))
	pw.printf("- %s: %s\n", L("report.started"), r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	pw.printf("- %s: %.1f s\n", L("report.duration"), r.Duration.Seconds())
	pw.printf("- %s: biztel-doctor %s\n", L("report.tool"), mdEscape(r.Version))
	if r.SavedLang != "" {
		pw.printf("\n> %s\n", mdEscape(savedLine(r, lang, c)))
	}
	if r.Interrupted {
		pw.printf("\n> **%s**\n", L("report.interrupted"))
	}
	if r.Simulated != "" {
		pw.printf("\n> **%s**\n", mdEscape(content.Fill(L("report.simulated"), map[string]string{"scenario": ScenarioName(c, lang, r.Simulated)})))
	}
	pw.printf("\n## %s\n\n", L("report.site"))
	writeSiteTable(pw, r.Profile, lang, c)
	r.writeChoices(pw, lang, c)

	if causes := r.causes(lang, c); len(causes) > 0 {
		pw.printf("\n## %s\n\n", L("findings.groups"))
		for _, k := range causes {
			checksNote := ""
			if len(k.Checks) > 0 {
				checksNote = " (" + codeList(k.Checks) + ")"
			}
			pw.printf("- %s %s **%s**%s%s  \n  %s\n", k.Status.Symbol(), k.Status.LabelIn(c, lang), mdEscape(k.Title), checksNote,
				r.provisionalMark(k.Checks, lang, c), mdEscape(k.Explain))
		}
	}

	pw.printf("\n## %s\n\n", L("report.results"))
	pw.printf("| # | ID | %s | %s | %s |\n|---|---|---|---|---|\n", L("report.col.status"), L("report.col.check"), L("report.col.result"))
	for i, res := range r.Results {
		pw.printf("| %d | `%s` | %s %s%s | %s | %s |\n", i+1, res.ID, res.Status.Symbol(), res.Status.LabelIn(c, lang),
			r.provisionalMark([]string{res.ID}, lang, c), mdEscape(checkTitle(c, res.ID, lang)), mdEscape(r.summaryIn(res, lang, c)))
	}
	pw.printf("\n%s: %s\n", L("report.summary"), r.summaryLine(lang, c))

	pw.printf("\n## %s\n", L("report.details"))
	for _, res := range r.Results {
		if len(res.Facts) == 0 {
			continue
		}
		pw.printf("\n### `%s` — %s\n\n", res.ID, res.Status.LabelIn(c, lang))
		for _, k := range res.Facts.Keys() {
			label := k
			if t, ok := c.FactLabel(k); ok {
				label = t.In(lang) // the key stays, as code, for support
			}
			raw := "`" + strings.ReplaceAll(jsonString(res.Facts[k]), "`", "'") + "`"
			if words := FactValue(c, lang, k, res.Facts[k]); words != checks.FactString(res.Facts[k]) {
				raw = mdEscape(words) + " (" + raw + ")" // in the reader's words, the measured value kept as code
			}
			pw.printf("- %s (`%s`): %s\n", mdEscape(label), k, raw)
		}
	}

	pw.printf("\n## %s\n\n", L("report.checklist"))
	if len(r.Checklist) == 0 {
		pw.printf("%s\n", L("report.checklist.none"))
	}
	for _, it := range r.Checklist {
		mark := "[ ]"
		if it.Done {
			mark = "[x]"
		}
		num := ""
		if it.Number > 0 {
			num = fmt.Sprintf("%d. ", it.Number)
		}
		pw.printf("- %s **%s%s**%s  \n  %s: %s · %s: %s · %s: %s\n", mark, num, mdEscape(TextIn(it.Title, lang, c)), provisionalItemMark(it, lang, c),
			L("report.source"), mdEscape(TextIn(it.Source, lang, c)), L("report.verify"), codeList(it.Verify),
			L("report.because"), codeList(it.Causes))
		if it.Fixed {
			pw.printf("  %s\n", L("report.fixed"))
		}
		for _, v := range it.History {
			pw.printf("  - %s\n", HistoryLine(v, lang, c))
		}
		for j, s := range it.Steps {
			pw.printf("  %d. %s\n", j+1, mdEscape(TextIn(s, lang, c)))
		}
		if len(it.Refs) > 0 {
			pw.printf("  %s: %s\n", L("report.refs"), mdEscape(strings.Join(it.Refs, "; ")))
		}
	}
	switch {
	case r.SnippetMarkdown != "":
		pw.printf("\n## %s\n\n%s\n", L("report.snippet"), strings.TrimRight(r.SnippetMarkdown, "\n"))
	case r.Snippet != "":
		pw.printf("\n## %s\n\n```\n%s\n```\n", L("report.snippet"), strings.TrimRight(r.Snippet, "\n"))
	}
	pw.printf("\n%s\n", L("report.disclaimer"))
	return pw.err
}

func writeSiteTable(pw *errWriter, p *profile.Profile, lang content.Lang, c *content.Content) {
	L := func(k string) string { return c.Label(k, lang) }
	if p == nil {
		p = &profile.Profile{}
	}
	val := func(v string) string {
		if v == "" {
			return L("report.none")
		}
		return mdEscape(v)
	}
	row := func(k, v string) { pw.printf("| %s | %s |\n", L(k), v) }
	pw.printf("| | |\n|---|---|\n")
	row("report.server", val(strings.Join(nonEmpty(p.Server.Host, p.Server.IP), " / ")))
	vpn := L("report.off")
	if p.VPN() {
		vpn = L("report.on") + " (" + mdEscape(p.Server.VPNIP) + ")"
	}
	row("report.vpn", vpn)
	row("report.stun", val(strings.Join(p.STUN.Servers, ", ")))
	row("report.recording", val(p.Recording.Addr()))
	row("report.ntp", val(p.NTPServer()))
	row("report.reflector", val(p.Reflector.Addr))
	var on []string
	for _, o := range content.AllOptions {
		if p.Option(o) {
			on = append(on, L("site.opt."+o)) // the option's name, as the TUI's form says it
		}
	}
	row("report.options", val(strings.Join(on, ", ")))
	row("report.channels", itoa(p.CallCount()))
	vendor := p.Vendor
	if v, ok := c.Vendor(p.Vendor); ok {
		vendor = v.Display // the product, not the profile's slug
	}
	row("report.vendor", val(vendor))
}

// mdEscape keeps a cell on one line and its pipes literal.
func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	return s
}

func codeList(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = "`" + id + "`"
	}
	return strings.Join(parts, ", ")
}

func jsonString(v any) string {
	switch x := jsonValue(v).(type) {
	case string:
		return x
	default:
		return strings.TrimSpace(fmtAny(x))
	}
}
