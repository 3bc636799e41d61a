package checks

import (
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/neterr"
)

// The one rule for a destination this host has no route to (issue 15):
// the check fails with the net.ipv4 remedy. It is a finding about the
// network, not the tool's own failure (so never error), and not a skip (a
// run of one check on a host without IPv4 must not exit 0).

const remedyIPv4Required = "ipv4-required"

// classifyNet is neterr.Classify; tests swap in another OS's numbers to
// show that every OS reads the same.
var classifyNet = neterr.Classify

// noRouteReason says why, per class, in both languages.
func noRouteReason(c neterr.Class) content.Text {
	switch c {
	case neterr.NetUnreachable:
		return content.Phrase("check.noroute.net_unreachable", nil)
	case neterr.HostUnreachable:
		return content.Phrase("check.noroute.host_unreachable", nil)
	case neterr.AddrNotAvail:
		return content.Phrase("check.noroute.addr_not_avail", nil)
	}
	return content.Text{}
}

// noRouteText is the summary for what (e.g. "HTTPS 203.0.113.10:8000"):
// the same words on every OS, whatever number the OS gave.
func noRouteText(what string, c neterr.Class) content.Text {
	return content.Phrase("check.noroute.no_route", content.Vars{"what": what, "why": noRouteReason(c)})
}

// noRouteResult is the result of a check whose socket call failed with
// err, when err means "no route"; ok is false otherwise.
func noRouteResult(id, what string, err error) (r Result, ok bool) {
	c := classifyNet(err)
	if !c.Unreachable() {
		return Result{}, false
	}
	r = FailResult(id, noRouteText(what, c), remedyIPv4Required)
	r.Facts["net_error"] = c.String()
	r.Facts["os_error"] = err.Error()
	return r, true
}
