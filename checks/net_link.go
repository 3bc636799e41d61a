package checks

import (
	"context"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/hostinfo"
)

// netLinkTimeout: on Linux net.link reads a few local files (well under a
// second); on Windows and macOS it may wait for OS tools (route, netsh,
// networksetup, system_profiler), each bounded, hostinfo.LinkBudget in all, plus
// a second of margin so a slow tool degrades to "unknown" rather than the
// whole check timing out.
const netLinkTimeout = hostinfo.LinkBudget + time.Second

func init() {
	register(Spec{
		ID:       "net.link",
		Timeout:  netLinkTimeout,
		Remedies: []string{"use-wired", "split-tunnel-biztel", remedyIPv4Required},
		Run:      runNetLink,
	})
}

func runNetLink(ctx context.Context, in *Input) Result {
	const id = "net.link"
	iface, hasV6, err := in.Env.Host.DefaultRoute()
	facts := Facts{"iface": iface}
	if err := routeFacts(facts, hasV6, err); err != nil {
		return ErrorResult(id, content.Phrase("check.net_link.route_unreadable", content.Vars{"error": err})).
			WithFact("route_error", err.Error())
	}
	if iface == "" {
		// no route is a finding about the network (noroute.go), not an error
		return FailResult(id, content.Phrase("check.net_link.no_default_route", nil), remedyIPv4Required).withFacts(facts)
	}
	kind, details, kerr := in.Env.Host.LinkKind(iface)
	for k, v := range details {
		facts["link_"+k] = v
	}
	ev := &NetLinkEvidence{Iface: iface, Kind: kind, Details: details}
	facts["kind"] = ev.Kind
	if kerr != nil {
		facts["link_error"] = kerr.Error()
	}
	switch kind {
	case "wired":
		return PassResult(id, content.Phrase("check.net_link.wired", content.Vars{"iface": iface})).withFacts(facts).withEvidence(ev)
	case "wireless":
		sig := ""
		if s := details["signal_dbm"]; s != "" {
			sig = " (" + s + " dBm)"
		}
		return WarnResult(id, content.Phrase("check.net_link.wireless", content.Vars{"iface": iface, "signal": sig}), "use-wired").withFacts(facts).withEvidence(ev)
	case "vpn":
		return WarnResult(id, content.Phrase("check.net_link.vpn", content.Vars{"iface": iface}),
			"split-tunnel-biztel").withFacts(facts).withEvidence(ev)
	}
	// something is known (the interface) but not its kind: say so, never pass
	return SkipResult(id, content.Phrase("check.net_link.unknown", content.Vars{"iface": iface})).withFacts(facts).withEvidence(ev)
}

// NetLinkEvidence is what net.link read from the OS; the decision tree's
// prefill predicates (net.link.wired, net.link.wireless) test Kind.
type NetLinkEvidence struct {
	Iface   string
	Kind    string // "wired", "wireless", "vpn" or "" (unknown)
	Details map[string]string
}
