package checks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"
)

// resolveTimeout bounds a name lookup inside a check, so a silent resolver
// leaves the probe its time (dns.mgmt reports on resolution itself).
const resolveTimeout = 1500 * time.Millisecond

// resolveIPv4 turns a profile address (IP literal or name) into an IPv4
// address through the OS resolver path (Env.Resolver), as the softphone
// would. IPv6 answers are ignored: the page requires IPv4.
func resolveIPv4(ctx context.Context, env *Env, host string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		if !a.Unmap().Is4() {
			return netip.Addr{}, fmt.Errorf("%s is not an IPv4 address", host)
		}
		return a.Unmap(), nil
	}
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	addrs, err := env.Resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("resolve %s: %w", host, err)
	}
	for _, a := range addrs {
		if ip, ok := netip.AddrFromSlice(a.IP); ok && ip.Unmap().Is4() {
			return ip.Unmap(), nil
		}
	}
	return netip.Addr{}, fmt.Errorf("resolve %s: no IPv4 address", host)
}

// errNoIPv4Route wraps a failed route lookup; errUnspecifiedSource is a
// connect that succeeded without an IPv4 source address.
var (
	errNoIPv4Route       = errors.New("no IPv4 route")
	errUnspecifiedSource = errors.New("no IPv4 source address")
)

// sourceFor asks the kernel which local IPv4 address it would use towards
// dst, by "connecting" a UDP socket: connect(2) on UDP picks the route and
// source address and sends nothing.
func sourceFor(ctx context.Context, env *Env, dst netip.Addr, port int) (netip.Addr, error) {
	c, err := env.Dialer.DialContext(ctx, "udp4", net.JoinHostPort(dst.String(), strconv.Itoa(port)))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: %w", errNoIPv4Route, err)
	}
	defer c.Close()
	ap, err := netip.ParseAddrPort(c.LocalAddr().String())
	if err != nil {
		return netip.Addr{}, fmt.Errorf("local address %q: %w", c.LocalAddr(), err)
	}
	if !ap.Addr().Unmap().Is4() || ap.Addr().IsUnspecified() {
		return netip.Addr{}, fmt.Errorf("%w: %w: source %s", errNoIPv4Route, errUnspecifiedSource, ap.Addr())
	}
	return ap.Addr().Unmap(), nil
}

// listenUDP4Towards opens an unconnected UDP socket on the source address
// the kernel uses towards dst, so the local address in the facts is the real
// one (not 0.0.0.0) and can be compared with what a server saw.
func listenUDP4Towards(ctx context.Context, env *Env, dst netip.Addr, port int) (net.PacketConn, error) {
	local := "0.0.0.0"
	if src, err := sourceFor(ctx, env, dst, port); err == nil {
		local = src.String()
	}
	return env.Listener.ListenPacket(ctx, "udp4", net.JoinHostPort(local, "0"))
}

// cgnatSpace is the shared address space of carrier-grade NAT (RFC 6598).
var cgnatSpace = netip.MustParsePrefix("100.64.0.0/10")

// addrPort parses "ip:port" of a net.Addr.
func addrPort(a net.Addr) netip.AddrPort {
	if a == nil {
		return netip.AddrPort{}
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// ms renders a duration as milliseconds rounded to 0.01 ms, for facts.
func ms(d time.Duration) float64 {
	return float64(int64(d.Seconds()*100000+0.5)) / 100
}
