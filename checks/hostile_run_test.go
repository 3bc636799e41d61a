package checks

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Whole runs against a hostile site: every destination of every merged
// check (SIP, STUN, NTP, DNS, SSDP on one UDP port; HTTPS, SIP/TLS, SIP/WSS,
// FTPS on TCP) is one kind of bad peer. The runner must end within its
// overall deadline, and the report must stay honest: nothing that needs the
// network passes, every result that ran carries facts, every warn/fail a
// remedy that exists in content.

// localOK are the checks that may pass on a hostile site: they read this
// machine (route, link, proxy settings), and upnp.igd passes when no
// gateway answers — silence and garbage on SSDP are exactly that.
var localOK = map[string]bool{"net.ipv4": true, "net.link": true, "net.proxy": true, "upnp.igd": true}

// udpJunk answers every datagram with bytes that are no protocol at all.
func udpJunk(c *net.UDPConn) {
	buf := make([]byte, 65536)
	junk := []byte("\x00\xff\x16\x03garbage \r\n SIP/2.0? \x21\x12\xa4\x42")
	for {
		_, from, err := c.ReadFromUDP(buf)
		if err != nil {
			return
		}
		_, _ = c.WriteToUDP(junk, from)
	}
}

// slowloris sends head at once, then one byte of tail a second, forever.
func slowloris(head, tail string) func(net.Conn) {
	return func(c net.Conn) {
		_, _ = c.Write([]byte(head))
		for i := 0; ; i++ {
			time.Sleep(time.Second)
			if _, err := c.Write([]byte{tail[i%len(tail)]}); err != nil {
				return
			}
		}
	}
}

// tcpOnlyBlackhole drops TCP connection attempts (a firewall eating SYNs)
// and dials UDP normally (to the loopback blackhole).
type tcpOnlyBlackhole struct{ udp net.Dialer }

func (d *tcpOnlyBlackhole) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if network == "udp" || network == "udp4" {
		return d.udp.DialContext(ctx, network, address)
	}
	<-ctx.Done()
	return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
}

// stalledResolver is an OS resolver whose servers never answer.
type stalledResolver struct{}

func (stalledResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	<-ctx.Done()
	return nil, &net.DNSError{Err: "i/o timeout", Name: host, IsTimeout: true}
}

type hostileMode int

const (
	allGarbage   hostileMode = iota // every port answers junk at once
	allSilent                       // UDP dropped, TCP SYNs dropped
	allMute                         // TCP accepts and never speaks
	allSlowloris                    // TCP answers one byte a second
)

func runHostileSite(t *testing.T, mode hostileMode) (*Outcome, *Plan, time.Duration) {
	udp := checktest.ListenUDP(t, "127.0.0.1", 0)
	udpPort := udp.LocalAddr().(*net.UDPAddr).Port
	env := testEnv(t)
	env.DNSServers = []string{udp.LocalAddr().String()}
	env.SSDPAddr = udp.LocalAddr().String()
	env.SSDPWindow = DefaultSSDPWindow
	env.Resolver = stalledResolver{} // the OS path is as bad as the direct queries
	var plainTCP, tlsTCP string
	switch mode {
	case allGarbage:
		go udpJunk(udp)
		plainTCP = checktest.Garbage(t, "\x00\xffSSH-2.0-x\r\nHTTP/1.1 999\r\n\r\n")
		tlsTCP = plainTCP
	case allSilent:
		checktest.UDPBlackholeOn(t, udp)
		env.Dialer = &tcpOnlyBlackhole{}
		plainTCP, tlsTCP = "127.0.0.1:9", "127.0.0.1:9" // never dialled
	case allMute:
		checktest.UDPBlackholeOn(t, udp)
		plainTCP = checktest.Silent(t)
		tlsTCP = plainTCP
	case allSlowloris:
		checktest.UDPBlackholeOn(t, udp)
		plainTCP = checktest.Serve(t, slowloris("220-", "slow banner that never ends "))
		// a TLS handshake record announcing 16 KiB, then a byte a second
		tlsTCP = checktest.Serve(t, slowloris("\x16\x03\x03\x40\x00", "\x02"))
	}
	plain, tlsPort := checktest.Port(t, plainTCP), checktest.Port(t, tlsTCP)

	p := &profile.Profile{
		Server:    profile.Server{Host: mgmtHost, IP: "127.0.0.1"},
		STUN:      profile.STUN{Servers: []string{"127.0.0.1"}},
		NTP:       "127.0.0.1",
		Recording: profile.Endpoint{IP: "127.0.0.1"},
	}
	opt := DefaultOptions()
	opt.Ports.SIPUDP, opt.Ports.STUNPrimary, opt.Ports.STUNSecondary, opt.Ports.NTP = udpPort, udpPort, udpPort, udpPort
	opt.Ports.Web, opt.Ports.SIPTLS, opt.Ports.SIPWSS = tlsPort, tlsPort, tlsPort
	opt.Ports.FTPSControl = plain
	opt.Ports.FTPSPassive = content.PortRange{From: plain, To: plain}
	plan, err := MakePlan(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out := Run(context.Background(), plan, env, nil)
	return out, plan, time.Since(start)
}

func TestHostileSites(t *testing.T) {
	t.Parallel()
	c := content.MustLoad()
	remedyExists := map[string]bool{}
	for _, r := range c.Remedies {
		remedyExists[r.ID] = true
	}
	for name, mode := range map[string]hostileMode{"every destination answers garbage": allGarbage,
		"every destination silent (blackhole)": allSilent, "every TCP port accepts and never speaks": allMute,
		"every TCP port answers one byte a second": allSlowloris} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out, plan, took := runHostileSite(t, mode)
			limit := OverallTimeout(plan)
			t.Logf("run took %s (overall deadline %s)", took.Round(time.Millisecond), limit)
			if took > limit+2*time.Second {
				t.Errorf("the run took %s, past its overall deadline %s", took, limit)
			}
			if out.Interrupted {
				t.Error("the run reports itself interrupted")
			}
			if len(out.Results) != len(plan.Checks) {
				t.Errorf("%d results for %d planned checks", len(out.Results), len(plan.Checks))
			}
			for _, r := range out.Results {
				_, implemented := registeredSpec(r.ID)
				t.Logf("%-14s %-5s %s", r.ID, r.Status, r.Summary.En)
				if r.Status == Pass && !localOK[r.ID] {
					t.Errorf("%s passed against a hostile site: %s %v", r.ID, r.Summary.En, r.Facts)
				}
				if r.Summary.Ja == "" || r.Summary.En == "" {
					t.Errorf("%s: summary missing a language", r.ID)
				}
				if implemented && r.Status != Skip && len(r.Facts) == 0 {
					t.Errorf("%s: %s without facts: %s", r.ID, r.Status, r.Summary.En)
				}
				if (r.Status == Warn || r.Status == Fail) && len(r.Remedies) == 0 {
					t.Errorf("%s: %s without a remedy", r.ID, r.Status)
				}
				for _, rem := range r.Remedies {
					if !remedyExists[rem] {
						t.Errorf("%s: remedy %q is not in content", r.ID, rem)
					}
				}
				if r.Status == Skip && r.SkippedBecause == "" && r.Summary.En == "" {
					t.Errorf("%s: skip without a reason", r.ID)
				}
			}
		})
	}
}

// TestDNSGarbageIsNotSilence: a DNS server answering junk is reported as no
// usable answer, with the decoder's error as evidence — not as silence.
func TestDNSGarbageIsNotSilence(t *testing.T) {
	out, _, _ := runHostileSite(t, allGarbage)
	for _, r := range out.Results {
		if r.ID != "dns.mgmt" {
			continue
		}
		if !strings.Contains(r.Summary.En, "usable answer") {
			t.Errorf("summary %q", r.Summary.En)
		}
		found := false
		for k := range r.Facts {
			found = found || strings.HasPrefix(k, "error@")
		}
		if !found {
			t.Errorf("no per-server error in the facts: %v", r.Facts)
		}
	}
}
