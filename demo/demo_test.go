package demo

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// TestEveryDestinationIsLoopback: the demo's plan contacts nothing beyond
// this machine, name resolution and the SSDP search included.
func TestEveryDestinationIsLoopback(t *testing.T) {
	for _, sc := range Scenarios() {
		t.Run(string(sc), func(t *testing.T) { destinationsAreLoopback(t, sc) })
	}
}

func destinationsAreLoopback(t *testing.T, sc Scenario) {
	s, err := StartScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	plan, err := checks.MakePlan(s.Profile, s.Options)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Destinations) == 0 {
		t.Fatal("the demo plans no destination")
	}
	for _, d := range plan.Destinations {
		if d.Check == "upnp.igd" {
			continue // the plan names the SSDP group; the search goes to Env.SSDPAddr, checked below
		}
		ip := net.ParseIP(d.Address)
		if d.Address != MgmtHost && (ip == nil || !ip.IsLoopback()) {
			t.Errorf("%s contacts %s, not loopback", d.Check, d.Address)
		}
	}
	for _, srv := range s.Env.DNSServers {
		if host, _, _ := net.SplitHostPort(srv); !net.ParseIP(host).IsLoopback() {
			t.Errorf("DNS server %s is not loopback", srv)
		}
	}
	if host, _, _ := net.SplitHostPort(s.Env.SSDPAddr); !net.ParseIP(host).IsLoopback() {
		t.Errorf("SSDP search goes to %q, not a loopback fake", s.Env.SSDPAddr)
	}
	if s.Env.Resolver == nil {
		t.Error("no demo resolver: the system resolver would be used")
	}
	if host := s.Profile.Reflector.Addr; !net.ParseIP(host).IsLoopback() {
		t.Errorf("reflector %q is not loopback", host)
	}
	if s.Env.HostsFile == "" || s.Env.HostsFile == "/etc/hosts" {
		t.Errorf("hosts file %q is the system's", s.Env.HostsFile)
	}
}

// TestDemoRunPassesEveryCheck runs the whole plan against the fakes: a
// simulated healthy site passes every check that runs (nat.timer is long
// and skips unless asked for), whatever machine the demo runs on.
func TestDemoRunPassesEveryCheck(t *testing.T) {
	s, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	plan, err := checks.MakePlan(s.Profile, s.Options)
	if err != nil {
		t.Fatal(err)
	}
	out := checks.Run(context.Background(), plan, s.Env, nil)
	if len(out.Results) != len(plan.Checks) {
		t.Errorf("%d results for %d checks", len(out.Results), len(plan.Checks))
	}
	for _, r := range out.Results {
		if r.Status != checks.Pass && !(r.ID == "nat.timer" && r.Status == checks.Skip) {
			t.Errorf("%s: %s %s (facts %v)", r.ID, r.Status, r.Summary.En, r.Facts)
		}
	}
}

// failDialer fails the test when the guard lets a destination through.
type failDialer struct{ t *testing.T }

func (f failDialer) DialContext(_ context.Context, _, address string) (net.Conn, error) {
	f.t.Errorf("the guard let %s through", address)
	return nil, errors.New("refused by the test")
}

// TestGuardKeepsTheDemoOnLoopback: the demo's dialer and sockets refuse
// every destination outside 127.0.0.0/8, names included, before anything
// is sent.
func TestGuardKeepsTheDemoOnLoopback(t *testing.T) {
	env := &checks.Env{Dialer: failDialer{t}, Listener: &net.ListenConfig{}}
	Guard(env)
	for _, a := range []string{"198.18.0.10:5061", "[::1]:443", "s0123456789ab.u.biztel.jp:443", "8.8.8.8:53", "239.255.255.250:1900"} {
		if _, err := env.Dialer.DialContext(context.Background(), "tcp", a); err == nil || !strings.Contains(err.Error(), "outside the simulated site") {
			t.Errorf("dial %s: %v, want refused", a, err)
		}
	}
	pc, err := env.Listener.ListenPacket(context.Background(), "udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	if _, err := pc.WriteTo([]byte("x"), &net.UDPAddr{IP: net.ParseIP("198.18.0.10"), Port: 5060}); err == nil {
		t.Error("a datagram to 198.18.0.10 was sent")
	}
	if _, err := pc.WriteTo([]byte("x"), pc.LocalAddr()); err != nil {
		t.Errorf("loopback datagram refused: %v", err)
	}
}
