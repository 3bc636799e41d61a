package demo

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// The demo is a closed world: whatever address reaches a check (a typed
// one, a loaded profile, a bug), its dialer and sockets refuse every
// destination outside 127.0.0.0/8 before a packet leaves. Names are refused
// too: resolving one would ask the machine's resolver. The TUI keeps the
// demo's site read-only; this is the floor under that.

// ErrOutside is the error of a destination outside the simulated site.
type ErrOutside struct{ Addr string }

func (e *ErrOutside) Error() string {
	return fmt.Sprintf("demo: %s is outside the simulated site (the demo sends only to 127.0.0.0/8)", e.Addr)
}

// loopbackOnly reports whether addr (host:port) is an IPv4 loopback literal.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().Is4() || !ip.IsLoopback() {
		return &ErrOutside{Addr: addr}
	}
	return nil
}

// guardDialer refuses destinations outside loopback.
type guardDialer struct{ next checks.Dialer }

func (g guardDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if err := loopbackOnly(address); err != nil {
		return nil, err
	}
	return g.next.DialContext(ctx, network, address)
}

// guardListener opens sockets whose datagrams go only to loopback.
type guardListener struct{ next checks.PacketListener }

func (g guardListener) ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error) {
	c, err := g.next.ListenPacket(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return guardConn{c}, nil
}

type guardConn struct{ net.PacketConn }

func (c guardConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if err := loopbackOnly(addr.String()); err != nil {
		return 0, err
	}
	return c.PacketConn.WriteTo(b, addr)
}

// Guard wraps env's dialer and listener so nothing but loopback is ever
// contacted; StartScenario applies it, and a test can wrap a recorder.
func Guard(env *checks.Env) {
	env.Dialer = guardDialer{env.Dialer}
	env.Listener = guardListener{env.Listener}
}
