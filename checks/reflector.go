package checks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/reflector"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// needsReflector is the skip reason of checks that have no fallback.
var needsReflector = content.Phrase("check.reflector.needs_reflector", nil)

// reflectorHost returns the reflector's host and control port from the
// profile, "" when none is set. An address with a port names the control
// port; the others come from opt.Ports.
func reflectorHost(p *profile.Profile, opt Options) (string, int) {
	addr := p.Reflector.Addr
	if addr == "" {
		return "", 0
	}
	if h, ps, err := net.SplitHostPort(addr); err == nil {
		if port, err := strconv.Atoi(ps); err == nil {
			return h, port
		}
	}
	return addr, opt.Ports.Reflector
}

func reflectorControlDest(host string, port int) Destination {
	return Destination{Proto: "biztel-doctor reflector", Transport: "udp", Address: host,
		Ports:   content.PortRange{From: port, To: port},
		Purpose: content.Phrase("check.reflector.control_purpose", nil)}
}

// resolveUDP resolves host:port through the Env's resolver (IP literals
// need none).
func resolveUDP(ctx context.Context, env *Env, host string, port int) (*net.UDPAddr, error) {
	if ip := net.ParseIP(host); ip != nil {
		return &net.UDPAddr{IP: ip, Port: port}, nil
	}
	addrs, err := env.Resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if a.IP.To4() != nil {
			return &net.UDPAddr{IP: a.IP, Port: port}, nil
		}
	}
	return nil, fmt.Errorf("%s has no IPv4 address", host)
}

// listenUDP opens an IPv4 UDP socket through the Env.
func listenUDP(ctx context.Context, env *Env) (net.PacketConn, error) {
	return env.Listener.ListenPacket(ctx, "udp4", ":0")
}

// reflectorUnreachable is the error result when the reflector's control port
// does not answer: the check cannot judge the customer's network then.
func reflectorUnreachable(id string, addr net.Addr, err error) Result {
	if r, ok := noRouteResult(id, "reflector "+addr.String(), err); ok {
		return r.WithFact("reflector", addr.String()) // a finding about this host's network, not the reflector's
	}
	var ref reflector.Refused
	if errors.As(err, &ref) {
		return ErrorResult(id, content.Phrase("check.reflector.refused", content.Vars{"addr": addr, "code": ref.Code})).
			WithFact("reflector", addr.String()).WithFact("refused", ref.Code.String())
	}
	return ErrorResult(id, content.Phrase("check.reflector.no_answer", content.Vars{"addr": addr, "err": err})).
		WithFact("reflector", addr.String())
}

// rtpNotServed is the error result when the reflector does not echo on a
// port the check needs (a reflector started with a smaller --rtp).
func rtpNotServed(id string, hr wire.HelloReplyBody, want content.PortRange) (Result, bool) {
	served := content.PortRange{From: int(hr.RTPFrom), To: int(hr.RTPTo)}
	if served.From != 0 && served.From <= want.From && want.To <= served.To {
		return Result{}, false
	}
	return ErrorResult(id, content.Phrase("check.reflector.rtp_not_served", content.Vars{"want": want, "served": served})).
		WithFact("reflector_rtp", served.String()), true
}

// reflectorUnresolved is the error result when the reflector's name does
// not resolve.
func reflectorUnresolved(id, host string, err error) Result {
	return ErrorResult(id, content.Phrase("check.reflector.resolve_failed", content.Vars{"host": host, "err": err}))
}

// noUDPSocket is the error result when this host cannot open a UDP socket
// (the tool's own failure, not the network's).
func noUDPSocket(id string, err error) Result {
	return ErrorResult(id, content.Phrase("check.reflector.no_udp_socket", content.Vars{"err": err}))
}
