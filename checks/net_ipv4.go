package checks

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

const (
	// netIPv4LookupTimeout bounds the AAAA/A lookup of server.host: a
	// silent resolver must not eat the route lookup's time (dns.mgmt
	// judges resolution; here it only feeds the IPv6-preference warning).
	netIPv4LookupTimeout = 2 * time.Second
	// netIPv4Timeout: the lookup plus the local route lookup, with room.
	netIPv4Timeout = netIPv4LookupTimeout + time.Second
)

func init() {
	register(Spec{
		ID:       "net.ipv4",
		Timeout:  netIPv4Timeout,
		Remedies: []string{"ipv4-required"},
		Plan:     netIPv4Plan,
		Run:      runNetIPv4,
	})
}

func netIPv4Plan(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	addr := p.ServerAddr()
	if addr == "" {
		return nil, content.T("BIZTEL サーバのアドレスがありません（「ご利用案内」）", "no BIZTEL server address (contract papers 「ご利用案内」)")
	}
	port := opt.Ports.SIPUDP
	return []Destination{{Proto: "route", Transport: "udp", Address: addr, Ports: content.PortRange{From: port, To: port},
		Purpose: content.T("経路と送信元アドレスの確認のみ（UDP ソケットに宛先を設定するだけで、パケットは送りません）",
			"route and source address lookup only (a UDP connect sends no packet)")}}, content.Text{}
}

func runNetIPv4(ctx context.Context, in *Input) Result {
	const id = "net.ipv4"
	if len(in.Targets) == 0 {
		return ErrorResult(id, content.T("送信先がありません", "no destination planned"))
	}
	d := in.Targets[0]
	facts := Facts{"server": d.Address}
	// AAAA of the management name: with an IPv6 default route the OS would
	// prefer IPv6 towards it (RFC 6724 rule 6/10), which BIZTEL does not support.
	var v4s, v6s []netip.Addr
	if h := in.Profile.Server.Host; h != "" {
		lctx, cancel := context.WithTimeout(ctx, netIPv4LookupTimeout)
		addrs, err := in.Env.Resolver.LookupIPAddr(lctx, h)
		cancel()
		if err != nil {
			facts["lookup_error"] = err.Error()
		}
		for _, a := range addrs {
			if ip, ok := netip.AddrFromSlice(a.IP); ok {
				if ip.Unmap().Is4() {
					v4s = append(v4s, ip.Unmap())
				} else {
					v6s = append(v6s, ip)
				}
			}
		}
		facts["host"] = h
		facts["host_ipv4"] = joinAddrs(v4s)
		facts["host_ipv6"] = joinAddrs(v6s)
	}
	var target netip.Addr
	if ip, err := netip.ParseAddr(d.Address); err == nil {
		target = ip.Unmap()
	} else if len(v4s) > 0 {
		target = v4s[0]
	}
	if !target.IsValid() && len(v4s)+len(v6s) == 0 && facts["lookup_error"] != nil {
		// the name did not resolve at all: dns.mgmt judges that, not IPv4
		return ErrorResult(id, content.Tf("%s を解決できず、経路を確認できませんでした（dns.mgmt を参照）",
			"could not resolve %s, so no route to check (see dns.mgmt)", d.Address)).withFacts(facts)
	}
	if !target.IsValid() || !target.Is4() {
		why := "no IPv4 address"
		if len(v6s) > 0 {
			why = "IPv6 addresses only"
		}
		facts["reason"] = why
		return FailResult(id, content.Tf("BIZTEL サーバ %s の IPv4 アドレスがありません（%s）。BIZTEL は IPv4 のみ対応です",
			"the BIZTEL server %s has no IPv4 address (%s); BIZTEL supports IPv4 only", d.Address, why), "ipv4-required").withFacts(facts)
	}
	facts["target"] = target.String()
	src, err := sourceFor(ctx, in.Env, target, d.Ports.From)
	if err != nil && !noRoute(err) {
		facts["route_error"] = err.Error()
		return ErrorResult(id, content.Tf("経路を調べられませんでした: %v", "could not look up the route: %v", err)).withFacts(facts)
	}
	if err != nil {
		facts["route_error"] = err.Error()
		return FailResult(id, content.Tf("%s への IPv4 経路がありません（IPv6 のみの回線か、IPv4 の既定経路がありません）",
			"no IPv4 route to %s (an IPv6-only line, or no IPv4 default route)", target), "ipv4-required").withFacts(facts)
	}
	facts["source_addr"] = src.String()
	facts["source_in_cgnat_space"] = cgnatSpace.Contains(src)
	iface, hasV6, rerr := in.Env.Host.DefaultRoute()
	if rerr = routeFacts(facts, hasV6, rerr); rerr != nil {
		facts["default_route_error"] = rerr.Error()
	} else {
		facts["iface"] = iface
	}
	if len(v6s) > 0 && hasV6 {
		return WarnResult(id, content.Tf("IPv4 経路はあります（送信元 %s）が、%s には IPv6 アドレス（%s）もあり、この PC は IPv6 を優先します。BIZTEL は IPv6 非対応です",
			"there is an IPv4 route (source %s), but %s also has IPv6 addresses (%s) and this host would prefer IPv6; BIZTEL does not support IPv6",
			src, in.Profile.Server.Host, strings.Join(strings.Split(joinAddrs(v6s), ","), ", ")), "ipv4-required").withFacts(facts)
	}
	return PassResult(id, content.Tf("%s へ IPv4 で到達する経路があります（送信元 %s）", "an IPv4 route to %s exists (source %s)", target, src)).withFacts(facts)
}

// noRoute reports whether a connect error means the kernel has no usable
// IPv4 route or source address (rather than a cancelled or failed call).
func noRoute(err error) bool {
	return classifyNet(err).Unreachable() || errors.Is(err, errUnspecifiedSource)
}
