package main

import (
	"context"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
	"github.com/biztel-tools/biztel-doctor/serve"
	"github.com/biztel-tools/biztel-doctor/snippets"
)

// vendorSnippet renders the router/firewall configuration for the profile's
// vendor, as text and as a Markdown section; "" when none is chosen. The
// vendor name was validated with the profile, so an error here is a broken
// template, which the snippets tests catch; the report then says so.
// remedies are the site's findings (remedy ids): their lines come first.
func vendorSnippet(p *profile.Profile, lang content.Lang, remedies []string) (text, markdown string) {
	if p == nil || p.Vendor == "" {
		return "", ""
	}
	text, err := snippets.RenderFor(p.Vendor, p, lang, remedies)
	if err != nil {
		return err.Error(), ""
	}
	markdown, err = snippets.MarkdownFor(p.Vendor, p, lang, remedies)
	if err != nil {
		return text, ""
	}
	return text, markdown
}

// cmdServe runs the reflector (package serve) until interrupted.
func cmdServe(ctx context.Context, args []string, std stdio) int {
	return serve.Main(args, std.out, std.err)
}

// reportRemedies are a saved report's checklist items: the findings whose
// configuration lines a viewer shows first.
func reportRemedies(rep *report.Report) []string {
	var out []string
	for _, it := range rep.Checklist {
		out = append(out, it.ID)
	}
	return out
}
