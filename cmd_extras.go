package main

import (
	"context"
	"fmt"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/snippets"
)

// vendorSnippet renders the router/firewall configuration for the profile's
// vendor, as text and as a Markdown section; "" when none is chosen. The
// vendor name was validated with the profile, so an error here is a broken
// template, which the snippets tests catch; the report then says so.
func vendorSnippet(p *profile.Profile, lang content.Lang) (text, markdown string) {
	if p == nil || p.Vendor == "" {
		return "", ""
	}
	text, err := snippets.Render(p.Vendor, p, lang)
	if err != nil {
		return err.Error(), ""
	}
	markdown, err = snippets.Markdown(p.Vendor, p, lang)
	if err != nil {
		return text, ""
	}
	return text, markdown
}

func cmdServe(ctx context.Context, args []string, std stdio) int {
	fmt.Fprintln(std.err, "biztel-doctor serve: not built into this binary yet")
	return exitUsage
}

func cmdTUI(ctx context.Context, args []string, std stdio, demo bool) int {
	if std.isTerminal == nil || !std.isTerminal() {
		fmt.Fprintln(std.err, "biztel-doctor: not a terminal; for scripts use \"biztel-doctor check --profile FILE --format json\" (see biztel-doctor --help)")
		return exitUsage
	}
	fmt.Fprintln(std.err, "biztel-doctor: the interactive troubleshooter is not built into this binary yet; use biztel-doctor check")
	return exitUsage
}
