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
var needsReflector = content.T("リフレクタ（biztel-doctor serve）が必要です: プロファイルの reflector.addr か --reflector で指定してください",
	"needs a reflector (biztel-doctor serve): set reflector.addr in the profile or --reflector")

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
		Purpose: content.T("リフレクタの制御（到達確認）", "reflector control (reachability)")}
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
		return ErrorResult(id, content.Tf("リフレクタ %s が要求を拒否しました（%s）: トークン（reflector.token / --reflector-token）を確認してください",
			"the reflector at %s refused the request (%s): check the token (reflector.token / --reflector-token)", addr, ref.Code)).
			WithFact("reflector", addr.String()).WithFact("refused", ref.Code.String())
	}
	return ErrorResult(id, content.Tf("リフレクタ %s が応答しません（%v）: 起動しているか、そのポートへの UDP が許可されているか確認してください",
		"the reflector at %s did not answer (%v): check that it runs and that UDP to that port is allowed out", addr, err)).
		WithFact("reflector", addr.String())
}

// rtpNotServed is the error result when the reflector does not echo on a
// port the check needs (a reflector started with a smaller --rtp).
func rtpNotServed(id string, hr wire.HelloReplyBody, want content.PortRange) (Result, bool) {
	served := content.PortRange{From: int(hr.RTPFrom), To: int(hr.RTPTo)}
	if served.From != 0 && served.From <= want.From && want.To <= served.To {
		return Result{}, false
	}
	return ErrorResult(id, content.Tf("リフレクタが RTP ポート %s を受け付けていません（提供範囲: %s）", "the reflector does not serve RTP port(s) %s (it serves %s)", want, served)).
		WithFact("reflector_rtp", served.String()), true
}
