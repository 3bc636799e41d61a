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
