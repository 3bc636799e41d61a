package monitor

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// resolveTimeout bounds one name lookup at start.
const resolveTimeout = 3 * time.Second

// targets are the resolved peers of a run.
type targets struct {
	reflector *path // nil without a reflector (or when its name does not resolve)
	stun      *path // nil without a STUN server
	reflName  string
	stunName  string
}

// resolveTargets resolves the reflector (control and first RTP port) and
// the first STUN server of the profile.
func resolveTargets(ctx context.Context, c Config) (targets, error) {
	var t targets
	if addr := c.Profile.Reflector.Addr; addr != "" {
		host, port := addr, c.Ports.Reflector
		if h, ps, err := net.SplitHostPort(addr); err == nil {
			if p, err := strconv.Atoi(ps); err == nil {
				host, port = h, p
			}
		}
		t.reflName = net.JoinHostPort(host, strconv.Itoa(port))
		if ip, err := resolve4(ctx, c.Env, host); err == nil {
			t.reflector = &path{method: MethodReflector, pps: ReflectorPPS, token: c.Profile.Reflector.Token,
				control: &net.UDPAddr{IP: ip, Port: port}, to: &net.UDPAddr{IP: ip, Port: c.Ports.ReflectorRTP.From}}
		}
	}
	if es := c.Profile.STUNEntries(); len(es) > 0 {
		e := es[0]
		port := c.Ports.STUNPrimary
		if e.Port == 3479 {
			port = c.Ports.STUNSecondary
		}
		t.stunName = net.JoinHostPort(e.Host, strconv.Itoa(port))
		if ip, err := resolve4(ctx, c.Env, e.Host); err == nil {
			t.stun = &path{method: MethodSTUN, pps: STUNPPS, to: &net.UDPAddr{IP: ip, Port: port}}
		}
	}
	if t.reflector == nil && t.stun == nil {
		if t.reflName == "" && t.stunName == "" {
			return t, ErrNoTarget
		}
		return t, fmt.Errorf("monitor: cannot resolve %s", firstNonEmpty(t.reflName, t.stunName))
	}
	return t, nil
}

func resolve4(ctx context.Context, env *checks.Env, host string) (net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		if ip4 := ip.To4(); ip4 != nil {
			return ip4, nil
		}
		return nil, fmt.Errorf("%s is not IPv4", host)
	}
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	addrs, err := env.Resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if ip4 := a.IP.To4(); ip4 != nil {
			return ip4, nil
		}
	}
	return nil, fmt.Errorf("%s has no IPv4 address", host)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
