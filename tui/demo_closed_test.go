package tui

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/demo"
)

// contacts records every destination a run dials or sends a datagram to.
type contacts struct {
	mu    sync.Mutex
	addrs []string
}

func (c *contacts) add(a string) { c.mu.Lock(); c.addrs = append(c.addrs, a); c.mu.Unlock() }

type recDialer struct {
	next checks.Dialer
	c    *contacts
}

func (d recDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d.c.add(address)
	return d.next.DialContext(ctx, network, address)
}

type recListener struct {
	next checks.PacketListener
	c    *contacts
}

func (l recListener) ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error) {
	pc, err := l.next.ListenPacket(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return recConn{pc, l.c}, nil
}

type recConn struct {
	net.PacketConn
	c *contacts
}

func (r recConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	r.c.add(addr.String())
	return r.PacketConn.WriteTo(b, addr)
}

// TestDemoIsAClosedWorld: in the demo, every way of entering an address —
// typing into each field of the site form, loading a profile file — leaves
// the simulated site as it was, and a full review then contacts nothing but
// 127.0.0.0/8 (a recorder outside the demo's own guard sees every attempt).
func TestDemoIsAClosedWorld(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every check against the demo fakes")
	}
	site, err := demo.StartScenario(context.Background(), demo.Problems)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	rec := &contacts{}
	env := *site.Env
	env.Dialer, env.Listener = recDialer{env.Dialer, rec}, recListener{env.Listener, rec}
	outside := filepath.Join(t.TempDir(), "outside.yaml")
	if err := os.WriteFile(outside, []byte("server: {host: s0123456789ab.u.biztel.jp, ip: 198.18.0.10}\nstun: {servers: [198.18.0.20]}\nntp: 198.18.0.30\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := New(Config{Lang: content.En, NoColor: true, Profile: site.Profile, Options: site.Options, Env: &env,
		Demo: true, DemoScenario: string(demo.Problems), OutDir: t.TempDir(), Version: "test"})
	d := newDriverFor(t, m, runWait)
	d.press("enter") // to the site form, on "load a profile"
	d.typeText(outside)
	d.press("enter")
	for i := 1; i < fieldOptions; i++ { // every address field
		d.m.site.focus = i
		d.typeText("198.18.0.10")
		d.press("backspace", "backspace", "ctrl+u")
	}
	d.mustShow("simulated site is fixed")
	if p := m.sh.ses.Profile; p.Server.IP != site.Profile.Server.IP || p.NTP != site.Profile.NTP || p.STUN.Servers[0] != site.Profile.STUN.Servers[0] {
		t.Fatalf("the demo's site changed: %+v", p.Server)
	}
	d.m.site.focus = fieldOptions
	d.press("enter", "enter") // full review
	d.press("5")
	d.mustShow("Done. Enter: to the findings")
	for _, dst := range m.sh.plan(nil).Destinations {
		// the SSDP search's group is the plan's word for it; the demo's
		// Env sends the search to its loopback gateway (the recorder shows)
		if ip, err := netip.ParseAddr(dst.Address); dst.Address != "" && err == nil && !ip.IsLoopback() && !ip.IsMulticast() {
			t.Errorf("plan destination %s %s outside loopback", dst.Check, dst.Address)
		}
	}
	if len(rec.addrs) == 0 {
		t.Fatal("the recorder saw nothing: the run did not use the injected edges")
	}
	for _, a := range rec.addrs {
		host, _, err := net.SplitHostPort(a)
		ip, perr := netip.ParseAddr(host)
		if ip = ip.Unmap(); err != nil || perr != nil || !ip.Is4() || !ip.IsLoopback() {
			t.Errorf("the demo contacted %s", a)
		}
	}
}
