package tui

import (
	"bytes"
	"slices"

	"github.com/biztel-tools/biztel-doctor/findings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
	"github.com/biztel-tools/biztel-doctor/snippets"
)

// SnippetFunc renders the router/firewall configuration for the site's
// vendor (profile.vendor) as text and as a Markdown section; "" when no
// vendor is picked. main wires package snippets in (the same function check
// uses).
// remedies are the site's findings: the lines that fix them come first.
type SnippetFunc func(p *profile.Profile, lang content.Lang, remedies []string) (text, markdown string)

// vendorSnippet is the vendor's configuration for the site, "" when no
// vendor is picked or none is wired in. It goes into the report.
func vendorSnippet(cfg Config, p *profile.Profile, lang content.Lang, remedies []string) (text, markdown string) {
	if p == nil || p.Vendor == "" {
		return "", ""
	}
	if cfg.Snippet != nil {
		return cfg.Snippet(p, lang, remedies)
	}
	return renderSnippet(p, lang, remedies)
}

// renderSnippet is package snippets' rendering, for a Config without its
// own; a broken template shows as its error rather than as nothing.
func renderSnippet(p *profile.Profile, lang content.Lang, remedies []string) (string, string) {
	text, err := snippets.RenderFor(p.Vendor, p, lang, remedies)
	if err != nil {
		return err.Error(), ""
	}
	md, err := snippets.MarkdownFor(p.Vendor, p, lang, remedies)
	if err != nil {
		md = ""
	}
	return text, md
}

// routerConfig is what the router screen shows: the vendor's snippet when
// there is one, else the generic rule table with the site's addresses.
func routerConfig(cfg Config, p *profile.Profile, lang content.Lang, remedies []string) (text string, generic bool) {
	if s, _ := vendorSnippet(cfg, p, lang, remedies); s != "" {
		return s, false
	}
	return genericRules(cfg.Content, p, lang), true
}

// genericRules is the requirement tables with the site's addresses and the
// rows that apply to its options.
func genericRules(c *content.Content, p *profile.Profile, lang content.Lang) string {
	var b bytes.Buffer
	if err := report.WritePorts(&b, report.PortsInput{Content: c, Profile: p, Lang: lang}, report.FormatText); err != nil {
		return err.Error()
	}
	return b.String()
}

// siteRemedies are the remedies the session's findings name: the checks'
// warnings and failures and the answers that call for a change.
func (sh *shared) siteRemedies() []string {
	out := findings.FoundRemedies(sh.resultsInOrder())
	for _, a := range findings.FromAnswers(sh.c.Tree(), sh.effectiveAnswers()) {
		for _, r := range a.Remedies {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}
