package main

import (
	"context"
	"fmt"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// vendorSnippet renders the router/firewall configuration for the profile's
// vendor; "" when none is chosen.
func vendorSnippet(p *profile.Profile, lang content.Lang) string {
	if p == nil || p.Vendor == "" {
		return ""
	}
	return "" // wired to package snippets when it lands
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
