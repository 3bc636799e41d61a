//go:build linux

package netlab

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// NamePrefix starts the name of every namespace a bed creates:
// "bzl-<pid>-<random>-<role>". The pid lets a later run find beds whose
// test process died (crash, SIGKILL, go test -timeout) and remove them.
const NamePrefix = "bzl-"

var bedSeq atomic.Int64

// LAN selects the client side of the bed.
type LAN int

const (
	LANPrivate  LAN = iota // 192.168.50.0/24, the usual office LAN
	LANCGNAT               // the client's own address in 100.64.0.0/10 (a mobile router's carrier NAT)
	LANIPv6Only            // the client has IPv6 only (no IPv4 address or route)
)

// Options shape a bed at creation. Router rules and servers are set later,
// per scenario.
type Options struct {
	LAN LAN
}

// Bed is one customer network in a box.
type Bed struct {
	Name   string // unique stem of every namespace name
	Client *Namespace
	Router *Namespace
	Server *Namespace
	Dir    string // configs, certificates, daemon logs (the test's temp dir)
	CA     *CA

	t    testing.TB
	opts Options

	mu        sync.Mutex
	procs     []*Process
	closers   []func()
	tornDown  bool
	routerCfg RouterConfig
}

// ClientAddr is the client's own address.
func (b *Bed) ClientAddr() string {
	switch b.opts.LAN {
	case LANCGNAT:
		return CGNATClientIP
	case LANIPv6Only:
		return ClientIPv6
	}
	return ClientIP
}

// New builds the three namespaces and their links and returns the bed;
// teardown is registered with t.Cleanup and with the signal handler, and
// leftovers of crashed runs are removed first. It calls Require.
func New(t testing.TB, opts Options) *Bed {
	t.Helper()
	Require(t)
	installSignalHandler()
	if err := CleanLeftovers(); err != nil {
		t.Logf("netlab: cleaning leftovers: %v", err)
	}
	// pid (for leftover detection), a per-process sequence (parallel
	// beds of one test binary) and a random byte (a crashed run whose pid
	// came back).
	name := fmt.Sprintf("%s%d-%d%02x", NamePrefix, os.Getpid(), bedSeq.Add(1), rand.IntN(0x100))
	b := &Bed{Name: name, Dir: t.TempDir(), t: t, opts: opts}
	b.Client = &Namespace{Name: name + "-cli", Role: "client"}
	b.Router = &Namespace{Name: name + "-rtr", Role: "router"}
	b.Server = &Namespace{Name: name + "-srv", Role: "server"}
	register(b)
	t.Cleanup(b.Teardown)
	if err := b.build(); err != nil {
		t.Fatalf("netlab: building bed %s: %v", name, err)
	}
	ca, err := NewCA(b.Dir)
	if err != nil {
		t.Fatalf("netlab: test CA: %v", err)
	}
	b.CA = ca
	if err := b.SetResolver(DNSIP); err != nil {
		t.Fatalf("netlab: %v", err)
	}
	if err := b.SetHosts(nil); err != nil {
		t.Fatalf("netlab: %v", err)
	}
	if err := b.SetRouter(RouterConfig{}); err != nil {
		t.Fatalf("netlab: router rules: %v", err)
	}
	return b
}

// build creates the namespaces, the veth pairs (made inside the bed's
// namespaces, never in the host's), addresses and routes.
func (b *Bed) build() error {
	for _, ns := range []*Namespace{b.Client, b.Router, b.Server} {
		if err := run("ip", "netns", "add", ns.Name); err != nil {
			return err
		}
		if err := ns.ip("link", "set", "lo", "up"); err != nil {
			return err
		}
	}
	c, r, s := b.Client, b.Router, b.Server
	steps := [][]string{
		{r.Name, "link", "add", "lan0", "type", "veth", "peer", "name", "eth0", "netns", c.Name},
		{r.Name, "link", "add", "wan0", "type", "veth", "peer", "name", "eth0", "netns", s.Name},
		{r.Name, "link", "set", "lan0", "up"},
		{r.Name, "link", "set", "wan0", "up"},
		{c.Name, "link", "set", "eth0", "up"},
		{s.Name, "link", "set", "eth0", "up"},
		{r.Name, "addr", "add", RouterWANIP + "/24", "dev", "wan0"},
		{r.Name, "route", "add", VPNNet, "via", ServerIP},
	}
	for _, a := range []string{ServerIP, RecordingIP, STUNIP, STUNIP2, ReflectorIP, DNSIP} {
		steps = append(steps, []string{s.Name, "addr", "add", a + "/24", "dev", "eth0"})
	}
	steps = append(steps, []string{s.Name, "addr", "add", VPNIP + "/24", "dev", "eth0"})
	switch b.opts.LAN {
	case LANIPv6Only:
		steps = append(steps,
			[]string{r.Name, "addr", "add", RouterIPv6 + "/64", "dev", "lan0", "nodad"},
			[]string{c.Name, "addr", "add", ClientIPv6 + "/64", "dev", "eth0", "nodad"},
			[]string{c.Name, "-6", "route", "add", "default", "via", RouterIPv6})
	case LANCGNAT:
		steps = append(steps,
			[]string{r.Name, "addr", "add", CGNATRouterIP + "/24", "dev", "lan0"},
			[]string{c.Name, "addr", "add", CGNATClientIP + "/24", "dev", "eth0"},
			[]string{c.Name, "route", "add", "default", "via", CGNATRouterIP})
	default:
		steps = append(steps,
			[]string{r.Name, "addr", "add", RouterLANIP + "/24", "dev", "lan0"},
			[]string{c.Name, "addr", "add", ClientIP + "/24", "dev", "eth0"},
			[]string{c.Name, "route", "add", "default", "via", RouterLANIP})
	}
	for _, st := range steps {
		if err := run("ip", append([]string{"-n"}, st...)...); err != nil {
			return err
		}
	}
	// The server's reply route to the customer's public address is on
	// link; it has no default route, so it cannot answer anything else.
	for _, k := range []string{"net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"} {
		if err := r.Exec("sysctl", "-qw", k); err != nil {
			return err
		}
	}
	return nil
}

// SetResolver writes the client's /etc/netns/<name>/resolv.conf, which
// `ip netns exec` mounts over /etc/resolv.conf for programs run there.
func (b *Bed) SetResolver(servers ...string) error {
	var sb strings.Builder
	sb.WriteString("# biztel-doctor test bed " + b.Name + "\n")
	for _, s := range servers {
		sb.WriteString("nameserver " + s + "\n")
	}
	sb.WriteString("options timeout:1 attempts:1\n")
	return b.writeNetnsFile(b.Client, "resolv.conf", sb.String())
}

// SetHosts writes the client's hosts file: localhost plus extra lines
// ("10.99.0.10 pbx.biztel.test").
func (b *Bed) SetHosts(extra []string) error {
	s := "127.0.0.1 localhost\n::1 localhost\n" + strings.Join(extra, "\n") + "\n"
	return b.writeNetnsFile(b.Client, "hosts", s)
}

func (b *Bed) writeNetnsFile(ns *Namespace, name, body string) error {
	dir := ns.EtcDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("netlab: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		return fmt.Errorf("netlab: %w", err)
	}
	return nil
}

// OnTeardown runs f at teardown, before the namespaces go (in-process
// servers bound inside the bed).
func (b *Bed) OnTeardown(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closers = append(b.closers, f)
}

// Teardown stops every process the bed started (by PID and process group),
// closes in-process servers, deletes the namespaces and their /etc/netns
// files. It runs once; t.Cleanup and the signal handler both call it.
func (b *Bed) Teardown() {
	b.mu.Lock()
	if b.tornDown {
		b.mu.Unlock()
		return
	}
	b.tornDown = true
	procs, closers := b.procs, b.closers
	b.mu.Unlock()
	if b.t != nil && b.t.Failed() {
		for _, p := range procs {
			b.t.Logf("netlab: %s log (last lines):\n%s", p.Name, p.Tail(12))
		}
	}
	for i := len(closers) - 1; i >= 0; i-- {
		closers[i]()
	}
	for _, p := range procs {
		p.Stop()
	}
	for _, ns := range []*Namespace{b.Client, b.Router, b.Server} {
		removeNamespace(ns.Name)
	}
	unregister(b)
}
