package checks

import (
	"context"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/hostinfo"
	"github.com/biztel-tools/biztel-doctor/probe/stun"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// udpChecks are the checks this file set implements (issue 3, UDP half).
var udpChecks = []string{"net.ipv4", "net.link", "net.proxy", "dns.mgmt", "stun.3478", "stun.3479", "nat.mapping", "sip.udp", "ntp.hardphone", "upnp.igd"}

// knownRemedies are the shared remedy ids (BRIEF.md) plus ours
// (content/data/remedies_udp.yaml).
var knownRemedies = []string{"allow-sip-udp", "allow-rtp", "allow-stun", "allow-web-8000", "allow-ftps", "allow-sip-tls", "allow-sip-wss",
	"allow-ntp", "allow-uniconnect", "allow-return-traffic", "nat-timer-3600", "qos-sip-rtp", "use-wired", "ipv4-required", "ipoe-fixed-ip",
	"home-router-ports", "avoid-cgnat", "vpn-dns-private", "dns-mgmt-resolve", "disable-upnp", "disable-sip-alg", "sip-app-override",
	"hairpin-internal-calls", "open-inbound", "remove-proxy", "disable-ftp-alg", "disable-tls-inspection", "bandwidth-200kbps",
	"use-encrypted-sip", "check-clock", "split-tunnel-biztel"}

func TestUDPSpecs(t *testing.T) {
	c := content.MustLoad()
	inContent := map[string]bool{}
	for _, r := range c.Remedies {
		inContent[r.ID] = true
	}
	shared := slices.Contains(content.Files(), "data/remedies.yaml")
	for _, id := range udpChecks {
		s, ok := registeredSpec(id)
		if !ok {
			t.Errorf("%s: not registered", id)
			continue
		}
		if len(s.Remedies) == 0 {
			t.Errorf("%s: declares no remedy", id)
		}
		for _, r := range s.Remedies {
			if !slices.Contains(knownRemedies, r) {
				t.Errorf("%s: remedy %q is not a known id", id, r)
			}
			// once the shared remedies file is merged, every id must resolve in content
			if shared && !inContent[r] {
				t.Errorf("%s: remedy %q is missing from content/data", id, r)
			}
		}
		if s.timeout(DefaultOptions()) >= OverallDeadline {
			t.Errorf("%s: timeout %s not below the overall deadline %s", id, s.timeout(DefaultOptions()), OverallDeadline)
		}
	}
	// the inner waits fit their check's budget
	for name, pair := range map[string][2]time.Duration{
		"stun":  {resolveTimeout + stun.Wait, stunCheckTimeout},
		"sip":   {resolveTimeout + sipWait, sipCheckBudget},
		"ntp":   {resolveTimeout + ntpAttempts*ntpAttemptTimeout, ntpCheckBudget},
		"dns":   {dnsAttempts * dnsQueryTimeout, dnsCheckBudget},
		"nat":   {resolveTimeout + stun.Wait, natCheckBudget},
		"upnp":  {DefaultSSDPWindow + 2*upnpFetchTimeout, upnpCheckBudget},
		"proxy": {hostinfo.ProxyReadBudget, netProxyTimeout},
	} {
		if pair[0] >= pair[1] {
			t.Errorf("%s: inner wait %s does not fit the budget %s", name, pair[0], pair[1])
		}
	}
}

// udpSite is a complete loopback site for the UDP checks: healthy fakes, or
// (silent) every port a blackhole and every server mute.
type udpSite struct {
	p   *profile.Profile
	opt Options
	env *Env
}

func newUDPSite(tb testing.TB, silent bool) udpSite {
	ips := []string{"127.0.0.1", "127.0.0.2"}
	stunPort, stunConns := checktest.SharedUDPPort(tb, ips...)
	stun2Port, stun2Conns := checktest.SharedUDPPort(tb, ips...)
	p := &profile.Profile{
		Server: profile.Server{Host: mgmtHost, IP: "127.0.0.1"},
		STUN:   profile.STUN{Servers: []string{"127.0.0.1", "127.0.0.2"}},
		NTP:    "127.0.0.1",
	}
	opt := DefaultOptions()
	opt.Ports.STUNPrimary, opt.Ports.STUNSecondary = stunPort, stun2Port
	env := testEnv(tb)
	env.SSDPWindow = DefaultSSDPWindow

	sipConn := checktest.ListenUDP(tb, "127.0.0.1", 0)
	ntpConn := checktest.ListenUDP(tb, "127.0.0.1", 0)
	opt.Ports.SIPUDP = sipConn.LocalAddr().(*net.UDPAddr).Port
	opt.Ports.NTP = ntpConn.LocalAddr().(*net.UDPAddr).Port
	web, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { web.Close() })
	opt.Ports.Web = web.Addr().(*net.TCPAddr).Port
	if silent {
		for _, c := range append(append(stunConns, stun2Conns...), sipConn, ntpConn) {
			checktest.UDPBlackholeOn(tb, c)
		}
		dns := checktest.NewDNS(tb, checktest.DNSSilent, nil)
		env.DNSServers = []string{dns.Addr}
		env.Resolver = dns.Resolver()
		env.SSDPAddr = checktest.NewUDPBlackhole(tb).Addr.String()
		// the TCP port stays open but never accepts: the backlog completes
		// the handshake, as a SYN-proxying firewall would
		return udpSite{p, opt, env}
	}
	go func() {
		for {
			c, err := web.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	nat := &checktest.FakeNAT{PublicIP: net.ParseIP("203.0.113.9"), PortFor: checktest.RandomPorts(1)}
	for _, c := range append(stunConns, stun2Conns...) {
		(&checktest.STUNServer{NAT: nat}).Serve(c)
	}
	(&checktest.SIPUDPServer{}).Serve(sipConn)
	(&checktest.NTPServer{Stratum: 2}).Serve(ntpConn)
	dns := checktest.NewDNS(tb, checktest.DNSAnswer, map[string][]string{mgmtHost: {"127.0.0.1"}})
	env.DNSServers = []string{dns.Addr}
	env.Resolver = dns.Resolver()
	env.SSDPAddr = checktest.NewIGD(tb, checktest.IGDSilent, "").SSDPAddr
	return udpSite{p, opt, env}
}

// runSite runs the UDP checks through the real runner, in parallel.
func (s udpSite) run(tb testing.TB) map[string]Result {
	opt := s.opt
	opt.Only = udpChecks
	plan, err := MakePlan(s.p, opt)
	if err != nil {
		tb.Fatal(err)
	}
	out := Run(context.Background(), plan, s.env, nil)
	got := map[string]Result{}
	for _, r := range out.Results {
		got[r.ID] = r
		// runtime remedies ⊆ Spec.Remedies, and warn/fail name one
		spec, _ := registeredSpec(r.ID)
		for _, rem := range r.Remedies {
			if !slices.Contains(spec.Remedies, rem) {
				tb.Errorf("%s emitted remedy %q outside its Spec.Remedies %v", r.ID, rem, spec.Remedies)
			}
		}
		if (r.Status == Warn || r.Status == Fail) && len(r.Remedies) == 0 {
			tb.Errorf("%s: %s without a remedy", r.ID, r.Status)
		}
	}
	return got
}

func TestUDPSiteHealthy(t *testing.T) {
	t.Parallel()
	got := newUDPSite(t, false).run(t)
	for _, id := range udpChecks {
		if r := got[id]; r.Status != Pass {
			t.Errorf("%s: %s (%s) %v", id, r.Status, r.Summary.En, r.Facts)
		}
	}
}

func TestUDPSiteSilent(t *testing.T) {
	t.Parallel()
	got := newUDPSite(t, true).run(t)
	want := map[string]Status{"net.ipv4": Pass, "net.link": Pass, "net.proxy": Pass, "stun.3478": Fail, "stun.3479": Fail, "nat.mapping": Skip, "sip.udp": Fail, "ntp.hardphone": Fail, "dns.mgmt": Fail, "upnp.igd": Pass}
	for id, st := range want {
		if got[id].Status != st {
			t.Errorf("%s: %s, want %s (%s)", id, got[id].Status, st, got[id].Summary.En)
		}
	}
}

// BenchmarkUDPChecks measures the wall time of all UDP checks run together
// by the runner: healthy fakes, and every port silent. Goals (issue 3):
// healthy ≤ 1.5 s with the 1 s SSDP window, silent ≤ 6 s.
func BenchmarkUDPChecks(b *testing.B) {
	for _, tc := range []struct {
		name   string
		silent bool
	}{{"healthy", false}, {"blackhole", true}} {
		b.Run(tc.name, func(b *testing.B) {
			site := newUDPSite(b, tc.silent)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				site.run(b)
			}
		})
	}
}

// TestUDPPlans: every planned destination of these checks names a real
// port and a purpose in both languages, and follows Options.Ports.
func TestUDPPlans(t *testing.T) {
	p := &profile.Profile{
		Server: profile.Server{Host: mgmtHost, IP: "203.0.113.10", VPNIP: "10.0.0.10"},
		STUN:   profile.STUN{Servers: []string{"198.51.100.20:3478", "198.51.100.21"}},
	}
	opt := DefaultOptions()
	opt.Ports.STUNPrimary, opt.Ports.STUNSecondary, opt.Ports.SIPUDP, opt.Ports.NTP = 13478, 13479, 15060, 10123
	opt.Only = udpChecks
	plan, err := MakePlan(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	wantPorts := map[string][]string{
		"stun.3478":     {"198.51.100.20:13478", "198.51.100.21:13478"},
		"stun.3479":     {"198.51.100.21:13479"},
		"sip.udp":       {"10.0.0.10:15060"},
		"ntp.hardphone": {profile.DefaultNTP + ":10123"},
		"dns.mgmt":      {mgmtHost + ":53"},
		"net.ipv4":      {"10.0.0.10:15060"},
		"nat.mapping":   {"198.51.100.20:13478", "198.51.100.21:13478", "198.51.100.21:13479", "10.0.0.10:8000"},
	}
	for id, want := range wantPorts {
		var got []string
		for _, d := range plan.For(id) {
			got = append(got, d.HostPort())
			if !d.Purpose.Complete() || d.Proto == "" || (d.Transport != "udp" && d.Transport != "tcp") {
				t.Errorf("%s: incomplete destination %+v", id, d)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: destinations %v, want %v", id, got, want)
		}
	}
	if len(plan.Skipped) != 0 {
		t.Errorf("unexpected skips: %v", plan.Skipped)
	}
}
