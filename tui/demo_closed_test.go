package tui

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/demo"
	"github.com/biztel-tools/biztel-doctor/report"
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
	d.mustShow("simulated site keeps its addresses")
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

// TestDemoFixLoopKeepsTheNumber: in the problems demo, the FTPS item fails,
// a verify without a change fails again (the fault is still simulated),
// "apply this fix" then verify passes it — on the same item number, with
// both verify runs in its history.
func TestDemoFixLoopKeepsTheNumber(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every check against the demo fakes")
	}
	site, err := demo.StartScenario(context.Background(), demo.Problems)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	m := New(Config{Lang: content.En, NoColor: true, Profile: site.Profile, Options: site.Options, Env: site.Env,
		Demo: true, DemoScenario: string(demo.Problems), DemoFixes: site.Fixes, OutDir: t.TempDir(), Version: "test"})
	d := newDriverFor(t, m, runWait)
	d.press("3", "enter", "5") // full review
	d.mustShow("Done. Enter: to the findings")
	d.press("enter")
	d.mustShow("6/8 Findings")
	number := func() int {
		for _, it := range m.sh.report().Checklist {
			if it.ID == "allow-ftps" {
				return it.Number
			}
		}
		t.Fatal("no allow-ftps item")
		return 0
	}
	n := number()
	for range 30 {
		if items := m.sh.report().Checklist; m.findings.cur < len(items) && items[m.findings.cur].ID == "allow-ftps" {
			break
		}
		d.press("down")
	}
	d.press("v")
	d.mustShow("before NG → now NG", "f: apply this fix")
	d.press("f")
	d.mustShow("Applied to the simulated site")
	d.press("v")
	d.mustShow("before NG → now OK", strconv.Itoa(n)+". [x] ")
	if got := number(); got != n {
		t.Errorf("allow-ftps was item %d, now %d", n, got)
	}
	var it report.Item
	for _, i := range m.sh.report().Checklist {
		if i.ID == "allow-ftps" {
			it = i
		}
	}
	if len(it.History) != 2 || it.History[0].After != checks.Fail || it.History[1].After != checks.Pass || !it.Done {
		t.Errorf("allow-ftps history %+v done %v", it.History, it.Done)
	}
}
