// Package demo starts a simulated BIZTEL site on loopback for
// `biztel-doctor demo`: every destination the checks contact — the BIZTEL
// server's SIP, TLS, WebSocket and HTTPS ports, STUN, the recording server's
// FTPS, NTP, name resolution and the SSDP search — is a fake on 127.0.0.1,
// so the whole troubleshooter can be walked with no BIZTEL contract and
// nothing leaves this machine. The fakes are those of checks/checktest; a
// Scenario picks a healthy site or one with the page's typical faults.
//
// The fakes listen on free loopback ports; the TUI shows them as the real
// site's (UDP 5060, TCP 15061, ...) from Site.Options.Ports, and names the
// loopback port in each result's evidence (tui/demo_ports.go).
package demo

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// MgmtHost is the demo's management hostname; only the demo's own DNS
// server and hosts file know it.
const MgmtHost = "s0123456789ab.u.biztel.jp"

// loopback is where every fake listens.
const loopback = "127.0.0.1"

// Site is a running simulated site.
type Site struct {
	Profile *profile.Profile
	Options checks.Options // ports point at the fakes
	Env     *checks.Env    // dialer, resolver, DNS servers, hosts file and SSDP address on loopback
	// Scenario is which site the fakes simulate.
	Scenario Scenario
	// Fixes are the scenario's faults a trainee can fix on the simulated
	// site, by the remedy id that fixes them: each points the run options
	// at a healthy fake started beside the faulty one, so NG → verify → OK
	// happens on the same checklist item. Nil for a healthy site.
	Fixes map[string]func(*checks.Options)
	life  *lifecycle
}

// fix records the fix of a fault under its remedy id.
func (s *Site) fix(remedy string, apply func(*checks.Options)) {
	if s.Fixes == nil {
		s.Fixes = map[string]func(*checks.Options){}
	}
	s.Fixes[remedy] = apply
}

// Close stops every fake and removes the temporary files.
func (s *Site) Close() { s.life.close() }

// Start starts the fakes of a healthy site and returns the site pointing
// at them.
func Start(ctx context.Context) (*Site, error) { return StartScenario(ctx, Healthy) }

// StartScenario starts the fakes of the scenario and returns the site
// pointing at them.
func StartScenario(ctx context.Context, sc Scenario) (site *Site, err error) {
	if _, err := ParseScenario(string(sc)); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	f := sc.faults()
	life := &lifecycle{}
	defer func() {
		if p := recover(); p != nil {
			if p != errSetup {
				panic(p)
			}
			life.close()
			site, err = nil, life.err
		}
	}()
	s := &Site{life: life, Options: checks.DefaultOptions(), Scenario: sc}
	s.Profile = &profile.Profile{
		Server:    profile.Server{Host: MgmtHost, IP: loopback},
		STUN:      profile.STUN{Servers: []string{loopback}, CIDR: "127.0.0.0/8"},
		Recording: profile.Endpoint{Host: MgmtHost, IP: loopback},
		NTP:       loopback,
		Channels:  4,
	}
	s.Env = &checks.Env{
		Version:  "demo",
		Dialer:   &net.Dialer{},
		Listener: &net.ListenConfig{},
		Getenv:   func(string) string { return "" }, // the machine's proxy variables are not the demo site's
		Host:     wiredHost,                         // nor its interfaces and OS proxy settings
		Log:      log.New(io.Discard, "", 0),
	}
	s.startTCP(life, f)
	s.startUDP(life, f)
	if err := s.startReflector(ctx, life, f); err != nil {
		life.close()
		return nil, err
	}
	if sc == Problems {
		// the router step shows the configuration of the firewall that
		// inspects TLS in this scenario, with the site's addresses
		s.Profile.Vendor = "fortigate"
	}
	if err := s.writeNameFiles(life); err != nil {
		life.close()
		return nil, err
	}
	if err := s.Profile.Validate(); err != nil {
		life.close()
		return nil, fmt.Errorf("demo: profile: %w", err)
	}
	Guard(s.Env)
	return s, nil
}

// startTCP starts the TLS SIP, WebSocket, HTTPS and FTPS fakes with a demo
// CA the Env trusts. With tlsInspection the server's ports present a
// certificate re-signed by a FortiGate's inspection CA instead (the
// recording server's FTPS is left alone, as an inspection policy for the
// server's address would); with ftpsPassiveGap the first passive port
// offered refuses connections, as behind a firewall that opens only part
// of the range.
func (s *Site) startTCP(t *lifecycle, f faults) {
	ca := checktest.NewCA(t, "biztel-doctor demo CA", "biztel-doctor demo")
	s.Env.RootCAs = ca.Pool()
	cert := ca.Issue(t, MgmtHost, loopback)
	p := &s.Options.Ports
	s.serverTLS(t, cert)
	if f.tlsInspection {
		good := *p
		s.serverTLS(t, checktest.NewCA(t, "FortiGate CA", "Fortinet").Issue(t, MgmtHost, loopback))
		s.fix("disable-tls-inspection", func(o *checks.Options) {
			o.Ports.SIPTLS, o.Ports.SIPWSS, o.Ports.Web = good.SIPTLS, good.SIPWSS, good.Web
		})
	}
	s.ftps(t, cert, false)
	if f.ftpsPassiveGap {
		good := *p
		s.ftps(t, cert, true)
		s.fix("allow-ftps", func(o *checks.Options) {
			o.Ports.FTPSControl, o.Ports.FTPSPassive = good.FTPSControl, good.FTPSPassive
		})
	}
}

// serverTLS starts the server's TLS SIP, WebSocket and HTTPS fakes with
// serverCert and points the ports at them.
func (s *Site) serverTLS(t *lifecycle, serverCert tls.Certificate) {
	p := &s.Options.Ports
	p.SIPTLS = checktest.Port(t, checktest.TLSServer(t, serverCert, checktest.SIPStreamResponder(nil)))
	p.SIPWSS = checktest.Port(t, checktest.WebServer(t, serverCert, checktest.WebConfig{Subprotocols: []string{"sip"}, AnswerSIP: true}))
	p.Web = checktest.Port(t, checktest.WebServer(t, serverCert, checktest.WebConfig{Server: "biztel-doctor-demo"}))
}

// ftps starts the recording server's FTPS fake and points the ports at it.
// With gap, the first of its passive ports is closed and it is the only one
// offered, every time: a firewall that opens only part of the range, the
// same on every run (offering the next port in turn made a re-run pass).
func (s *Site) ftps(t *lifecycle, cert tls.Certificate, gap bool) {
	p := &s.Options.Ports
	passive := checktest.ListenRange(t, 3)
	p.FTPSPassive = content.PortRange{From: passive[0].Addr().(*net.TCPAddr).Port, To: passive[len(passive)-1].Addr().(*net.TCPAddr).Port}
	offered := passive
	if gap {
		passive[0].Close() // stays in the range; nothing listens there
		offered = passive[:1]
	}
	p.FTPSControl = checktest.Port(t, checktest.FTPSServer(t, checktest.FTPSConfig{Cert: cert, Passive: offered}))
}

// writeNameFiles gives the demo a hosts file of its own (the system's is
// never read) and a resolv.conf naming the demo DNS server.
func (s *Site) writeNameFiles(t *lifecycle) error {
	dir := t.TempDir()
	s.Env.HostsFile = filepath.Join(dir, "hosts")
	s.Env.ResolvConf = filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(s.Env.HostsFile, []byte("127.0.0.1 localhost\n"), 0o644); err != nil {
		return fmt.Errorf("demo: hosts file: %w", err)
	}
	var conf string
	for _, srv := range s.Env.DNSServers {
		host, _, _ := net.SplitHostPort(srv)
		conf += "nameserver " + host + "\n"
	}
	if err := os.WriteFile(s.Env.ResolvConf, []byte(conf), 0o644); err != nil {
		return fmt.Errorf("demo: resolv.conf: %w", err)
	}
	return nil
}
