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
		Remedies: []string{"use-wired", "split-tunnel-biztel"},
		Run:      runNetLink,
	})
}

func runNetLink(ctx context.Context, in *Input) Result {
	const id = "net.link"
	iface, hasV6, err := in.Env.Host.DefaultRoute()
	if err != nil {
		return ErrorResult(id, content.Tf("既定経路を読み取れませんでした: %v", "could not read the default route: %v", err)).
			WithFact("route_error", err.Error())
	}
	facts := Facts{"iface": iface, "ipv6_default_route": hasV6}
	if iface == "" {
		return ErrorResult(id, content.T("IPv4 の既定経路がありません（インターフェースを判定できません。net.ipv4 を参照）",
			"no IPv4 default route, so no interface to judge (see net.ipv4)")).withFacts(facts)
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
		return PassResult(id, content.Tf("既定経路は有線インターフェース %s です", "the default route uses the wired interface %s", iface)).withFacts(facts).withEvidence(ev)
	case "wireless":
		sig := ""
		if s := details["signal_dbm"]; s != "" {
			sig = " (" + s + " dBm)"
		}
		return WarnResult(id, content.Tf("既定経路は無線インターフェース %s%s です。ページは安定した有線（光回線）を推奨しています",
			"the default route uses the wireless interface %s%s; the page recommends a stable wired (fibre) connection", iface, sig), "use-wired").withFacts(facts).withEvidence(ev)
	case "vpn":
		return WarnResult(id, content.Tf("既定経路は VPN/トンネル %s です。SIP・RTP は VPN の出口から出るため、出口側もページの要件を満たす必要があります（BIZTEL の「VPN オプション」とは別物です）",
			"the default route is the VPN/tunnel %s: SIP and RTP leave through the VPN's exit, which must then meet the page's requirements too (this is not BIZTEL's \"VPN option\")", iface),
			"split-tunnel-biztel").withFacts(facts).withEvidence(ev)
	}
	// something is known (the interface) but not its kind: say so, never pass
	return SkipResult(id, content.Tf("既定経路のインターフェース %s の種類を判定できませんでした", "could not tell what kind of link %s is", iface)).withFacts(facts).withEvidence(ev)
}

// NetLinkEvidence is what net.link read from the OS; the decision tree's
// prefill predicates (net.link.wired, net.link.wireless) test Kind.
type NetLinkEvidence struct {
	Iface   string
	Kind    string // "wired", "wireless", "vpn" or "" (unknown)
	Details map[string]string
}
