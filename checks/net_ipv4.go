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
		return nil, content.Phrase("check.net_ipv4.no_server", nil)
	}
	port := opt.Ports.SIPUDP
	return []Destination{{Proto: "route", Transport: "udp", Address: addr, Ports: content.PortRange{From: port, To: port},
		Purpose: content.Phrase("check.net_ipv4.purpose", nil)}}, content.Text{}
}

func runNetIPv4(ctx context.Context, in *Input) Result {
	const id = "net.ipv4"
	if len(in.Targets) == 0 {
		return ErrorResult(id, content.Phrase("check.net_ipv4.no_target", nil))
	}
	d := in.Targets[0]
	facts := Facts{"server": d.Address}
	v4s, v6s := lookupServerHost(ctx, in, facts)
	var target netip.Addr
	if ip, err := netip.ParseAddr(d.Address); err == nil {
		target = ip.Unmap()
	} else if len(v4s) > 0 {
		target = v4s[0]
	}
	if !target.IsValid() && len(v4s)+len(v6s) == 0 && facts["lookup_error"] != nil {
		// the name did not resolve at all: dns.mgmt judges that, not IPv4
		return ErrorResult(id, content.Phrase("check.net_ipv4.unresolved", content.Vars{"server": d.Address})).withFacts(facts)
	}
	if !target.IsValid() || !target.Is4() {
		why := "no IPv4 address"
		if len(v6s) > 0 {
			why = "IPv6 addresses only"
		}
		facts["reason"] = why
		return FailResult(id, content.Phrase("check.net_ipv4.no_ipv4_address", content.Vars{"server": d.Address, "why": why}),
			"ipv4-required").withFacts(facts)
	}
	return routeIPv4(ctx, in, id, target, d.Ports.From, v6s, facts).withFacts(facts)
}

// lookupServerHost resolves the management name (server.host) into its
// IPv4 and IPv6 addresses: with an IPv6 default route the OS would prefer
// IPv6 towards it (RFC 6724 rule 6/10), which BIZTEL does not support.
func lookupServerHost(ctx context.Context, in *Input, facts Facts) (v4s, v6s []netip.Addr) {
	h := in.Profile.Server.Host
	if h == "" {
		return nil, nil
	}
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
	return v4s, v6s
}

// routeIPv4 asks the kernel for the route and source address towards
// target and judges it, warning when the name also has IPv6 addresses the
// OS would prefer.
func routeIPv4(ctx context.Context, in *Input, id string, target netip.Addr, port int, v6s []netip.Addr, facts Facts) Result {
	facts["target"] = target.String()
	src, err := sourceFor(ctx, in.Env, target, port)
	if err != nil {
		facts["route_error"] = err.Error()
		if !noRoute(err) {
			return ErrorResult(id, content.Phrase("check.net_ipv4.route_error", content.Vars{"error": err}))
		}
		return FailResult(id, content.Phrase("check.net_ipv4.no_route", content.Vars{"target": target}), "ipv4-required")
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
		return WarnResult(id, content.Phrase("check.net_ipv4.prefers_ipv6", content.Vars{"source": src, "host": in.Profile.Server.Host,
			"ipv6": strings.Join(strings.Split(joinAddrs(v6s), ","), ", ")}), "ipv4-required")
	}
	return PassResult(id, content.Phrase("check.net_ipv4.route_ok", content.Vars{"target": target, "source": src}))
}

// noRoute reports whether a connect error means the kernel has no usable
// IPv4 route or source address (rather than a cancelled or failed call).
func noRoute(err error) bool {
	return classifyNet(err).Unreachable() || errors.Is(err, errUnspecifiedSource)
}
