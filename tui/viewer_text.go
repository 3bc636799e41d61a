package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

// tabText is the current tab's body as plain text (wrapped by the caller).
// Every text is in the viewer's language: catalog texts by id, summaries
// from the report's pair, or marked as in the other language.
func (v *Viewer) tabText() string {
	var b strings.Builder
	switch v.tab {
	case tabFindings:
		v.findingsText(&b)
	case tabChecklist:
		v.checklistText(&b)
	case tabConfig:
		v.configText(&b)
	case tabSite:
		v.siteText(&b)
	case tabCompare:
		if v.cfg.Comparison != nil {
			_ = v.cfg.Comparison.WriteDiffText(&b, v.lang, v.cfg.Content)
		}
	}
	return b.String()
}

func (v *Viewer) findingsText(b *strings.Builder) {
	r, c, lang := v.cfg.Report, v.cfg.Content, v.lang
	if r.Interrupted {
		fmt.Fprintf(b, "!! %s\n", v.label("report.interrupted"))
	}
	if r.Simulated != "" {
		fmt.Fprintf(b, "!! %s\n", content.Fill(v.label("report.simulated"), map[string]string{"scenario": report.ScenarioName(c, lang, r.Simulated)}))
	}
	fmt.Fprintf(b, "%s\n", v.label("findings.groups"))
	causes := r.Causes(lang, c)
	if len(causes) == 0 {
		fmt.Fprintf(b, "  %s\n", v.label("view.nofindings"))
	}
	for _, k := range causes {
		if len(k.Checks) == 0 { // a single check's cause is titled "id title" for the CLI
			for _, ci := range c.Checks {
				if t, ok := strings.CutPrefix(k.Title, ci.ID+" "); ok {
					k.Title = t
				}
			}
		}
		note := ""
		if len(k.Checks) > 0 { // the checks by name: ids are for support, not the screen
			note = " (" + namesIn(c, lang, k.Checks) + ")"
		}
		fmt.Fprintf(b, "  %s %s%s\n      %s\n", k.Status.Symbol(), k.Title, note, k.Explain)
	}
	fmt.Fprintf(b, "\n%s\n", v.label("view.checks"))
	for i, res := range r.Results {
		summary := report.TextIn(res.Summary, lang, c)
		if res.SkippedBecause == checks.ExcludedByLong { // the run's flag, said without it
			summary = v.label("view.long.skipped")
		}
		fmt.Fprintf(b, "%2d. %s %s\n      %s\n", i+1, res.Status.Symbol(), checkTitleIn(c, res.ID, lang), summary)
		if res.Status != checks.Pass && res.Status != checks.Skip {
			for _, k := range res.Facts.Keys() { // labels and values in the viewer's language, as step 5 shows them
				label := k
				if t, ok := c.FactLabel(k); ok {
					label = t.In(lang)
				}
				fmt.Fprintf(b, "      %s: %s\n", label, report.FactValue(c, lang, k, res.Facts[k]))
			}
		}
	}
}

func (v *Viewer) checklistText(b *strings.Builder) {
	r, c, lang := v.cfg.Report, v.cfg.Content, v.lang
	if len(r.Checklist) == 0 {
		fmt.Fprintf(b, "%s\n", v.label("report.checklist.none"))
	}
	for i, it := range r.Checklist {
		mark := "[ ]"
		if it.Done {
			mark = "[x]"
		}
		fmt.Fprintf(b, "%2d. %s %s\n", report.ItemNumber(it, i), mark, report.TextIn(it.Title, lang, c))
		if it.Fixed {
			fmt.Fprintf(b, "      %s\n", v.label("report.fixed"))
		}
		for _, h := range it.History {
			fmt.Fprintf(b, "      %s\n", report.HistoryLine(h, lang, c))
		}
		for j, s := range it.Steps {
			fmt.Fprintf(b, "      %d) %s\n", j+1, report.TextIn(s, lang, c))
		}
		fmt.Fprintf(b, "      %s: %s / %s: %s\n\n", v.label("report.verify"), namesIn(c, lang, it.Verify),
			v.label("report.because"), namesIn(c, lang, it.Causes))
	}
}

func (v *Viewer) configText(b *strings.Builder) {
	own := v.label("report.none")
	if p := v.cfg.Report.Profile; p != nil && p.Vendor != "" {
		own = vendorName(v.cfg.Content, p.Vendor)
	}
	if v.vendor == "" || v.cfg.Snippet == nil {
		fmt.Fprintf(b, "%s\n", v.label("view.novendor"))
		return
	}
	fmt.Fprintf(b, "%s\n\n", content.Fill(v.label("view.vendor"), map[string]string{"vendor": vendorName(v.cfg.Content, v.vendor), "report": own}))
	p := v.cfg.Report.Profile
	if p == nil {
		p = &profile.Profile{}
	}
	fmt.Fprintf(b, "%s\n", v.cfg.Snippet(v.vendor, p, v.lang))
}

func (v *Viewer) siteText(b *strings.Builder) {
	p := v.cfg.Report.Profile
	if p == nil {
		p = &profile.Profile{}
	}
	keys := []string{"report.server", "report.vpn", "report.stun", "report.recording", "report.ntp", "report.reflector", "report.channels", "report.vendor"}
	w := 0
	for _, k := range keys {
		w = max(w, lipglossWidth(v.label(k)))
	}
	row := func(key, val string) {
		if val == "" {
			val = v.label("report.none")
		}
		fmt.Fprintf(b, "  %s: %s\n", pad(v.label(key), w), val)
	}
	r := v.cfg.Report
	if r.SavedLang != "" {
		fmt.Fprintf(b, "%s\n\n", content.Fill(v.label("report.saved"), map[string]string{
			"lang": v.label("report.lang." + string(r.SavedLang)), "version": r.Version}))
	}
	fmt.Fprintf(b, "%s\n", v.label("report.site"))
	row("report.server", siteOf(p))
	if p.VPN() {
		row("report.vpn", p.Server.VPNIP)
	}
	row("report.stun", strings.Join(p.STUN.Servers, ", "))
	row("report.recording", p.Recording.Addr())
	row("report.ntp", p.NTPServer())
	row("report.reflector", p.Reflector.Addr)
	row("report.channels", itoa(p.CallCount()))
	row("report.vendor", vendorName(v.cfg.Content, p.Vendor))
	fmt.Fprintf(b, "\n%s\n", v.label("view.answers"))
	answers := v.cfg.Report.Answers
	if len(answers) == 0 {
		fmt.Fprintf(b, "  %s\n", v.label("view.noanswers"))
	}
	keys = make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		q, a := v.answerText(k, answers[k])
		fmt.Fprintf(b, "  %s\n      %s\n", q, a)
	}
}

// answerText is a stored answer as the question and answer the user saw,
// in the viewer's language; ids the catalog does not know (free text such
// as a reason) are shown as they are.
func (v *Viewer) answerText(node, answer string) (q, a string) {
	q, a = node, answer
	n, ok := v.cfg.Content.Tree().Node(node)
	if !ok {
		return q, a
	}
	q = n.Question.In(v.lang)
	if ans, ok := n.Answer(answer); ok {
		a = ans.Label.In(v.lang)
	} else if n.Kind == "vendor" {
		a = vendorName(v.cfg.Content, answer)
	}
	return q, a
}

// vendorName is a vendor's product name (Fortinet FortiGate), not its
// profile slug (fortigate); an unknown name stays as written.
func vendorName(c *content.Content, name string) string {
	if vd, ok := c.Vendor(name); ok && vd.Display != "" {
		return vd.Display
	}
	return name
}

// siteOf is the BIZTEL server of a profile: host and IP.
func siteOf(p *profile.Profile) string {
	if p == nil {
		return ""
	}
	var parts []string
	for _, s := range []string{p.Server.Host, p.Server.IP} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " / ")
}

// namesIn are check titles for check ids and the question for an answer
// ("answer:sip.alg"), joined in lang's way.
func namesIn(c *content.Content, lang content.Lang, ids []string) string {
	var out []string
	for _, id := range ids {
		if node, ok := strings.CutPrefix(id, "answer:"); ok {
			if n, found := c.Tree().Node(node); found {
				out = append(out, c.Label("view.answer", lang)+" "+n.Question.In(lang))
				continue
			}
		}
		out = append(out, checkTitleIn(c, id, lang))
	}
	return strings.Join(out, c.Label("list.sep", lang))
}

func checkTitleIn(c *content.Content, id string, lang content.Lang) string {
	if ci, ok := c.Check(id); ok {
		return ci.Title.In(lang)
	}
	return id
}
