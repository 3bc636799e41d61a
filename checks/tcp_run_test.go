package checks

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// tcpCheckIDs are the checks of this part of the catalog.
var tcpCheckIDs = []string{"sip.tls", "sip.wss", "web.8000", "ftps.control", "ftps.passive"}

// healthyTCPBed starts every TCP fake healthy and points the bed at them.
func healthyTCPBed(t testing.TB) *tcpBed {
	b := newTCPBed(t)
	b.prof.Recording = profile.Endpoint{Host: testMgmtHost, IP: "127.0.0.1"}
	cert := b.serverCert()
	b.opt.Ports.SIPTLS = checktest.Port(t, checktest.TLSServer(t, cert, checktest.SIPStreamResponder(nil)))
	b.opt.Ports.SIPWSS = checktest.Port(t, checktest.WebServer(t, cert, checktest.WebConfig{Subprotocols: []string{"sip"}, AnswerSIP: true}))
	b.opt.Ports.Web = checktest.Port(t, checktest.WebServer(t, cert, checktest.WebConfig{Server: "checktest"}))
	lns := checktest.ListenRange(t, 10)
	passiveSetup(b, lns)
	b.opt.Ports.FTPSControl = checktest.Port(t, checktest.FTPSServer(t, checktest.FTPSConfig{Cert: cert, Passive: lns[4:5]}))
	b.opt.Only = tcpCheckIDs
	return b
}

// runTCPChecks runs the TCP checks through the real runner.
func runTCPChecks(t testing.TB, b *tcpBed) *Outcome {
	plan, err := MakePlan(b.prof, b.opt)
	if err != nil {
		t.Fatal(err)
	}
	return Run(context.Background(), plan, b.env, nil)
}

func TestTCPChecksThroughRunner(t *testing.T) {
	t.Parallel()
	out := runTCPChecks(t, healthyTCPBed(t))
	if len(out.Results) != len(tcpCheckIDs) {
		t.Fatalf("%d results, want %d", len(out.Results), len(tcpCheckIDs))
	}
	for _, r := range out.Results {
		if r.Status != Pass {
			t.Errorf("%s: %s %s %v", r.ID, r.Status, r.Summary.En, r.Facts)
		}
	}
}

// TestTCPCheckSpecs holds each spec to the catalog's rules: a plan, a named
// budget inside the overall deadline and longer than one stage, remedies.
func TestTCPCheckSpecs(t *testing.T) {
	for _, id := range tcpCheckIDs {
		s, ok := Lookup(id)
		if !ok || s.Run == nil || s.Plan == nil {
			t.Errorf("%s: not registered with Plan and Run", id)
			continue
		}
		if s.Timeout <= tcp.ConnectTimeout || s.Timeout+OverallMargin > OverallDeadline {
			t.Errorf("%s: timeout %s must exceed a stage (%s) and fit the overall deadline %s", id, s.Timeout, tcp.ConnectTimeout, OverallDeadline)
		}
		if len(s.Remedies) == 0 {
			t.Errorf("%s: no remedies declared", id)
		}
	}
	for _, d := range []time.Duration{tcp.HandshakeTimeout, tcp.ReplyTimeout} {
		if d > tcp.ConnectTimeout*2 {
			t.Errorf("stage limit %s out of proportion", d)
		}
	}
}

// TestTCPChecksSkipWithoutOptions: with every option off and no recording
// server, nothing is contacted and each check says why.
func TestTCPChecksSkipWithoutOptions(t *testing.T) {
	off := false
	p := &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}, Options: profile.Options{Encryption: &off, WebRTC: &off}}
	opt := DefaultOptions()
	opt.Only = tcpCheckIDs
	plan, err := MakePlan(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"sip.tls", "sip.wss", "ftps.control", "ftps.passive"} {
		if _, ok := plan.Skipped[id]; !ok {
			t.Errorf("%s: not skipped", id)
		}
	}
	if d := plan.For("web.8000"); len(d) != 1 || d[0].HostPort() != "203.0.113.10:8000" {
		t.Errorf("web.8000 destinations %+v", d)
	}
	if !slices.Contains(plan.Checks, "web.8000") {
		t.Error("web.8000 not planned")
	}
}

// BenchmarkTCPChecks runs the five TCP checks through the runner against
// healthy loopback fakes and against a dialer that blackholes everything.
func BenchmarkTCPChecks(b *testing.B) {
	b.Run("healthy", func(b *testing.B) {
		bed := healthyTCPBed(b)
		b.ResetTimer()
		for b.Loop() {
			out := runTCPChecks(b, bed)
			for _, r := range out.Results {
				if r.Status != Pass {
					b.Fatalf("%s: %s %s", r.ID, r.Status, r.Summary.En)
				}
			}
		}
	})
	b.Run("healthy-implicit-ftps", func(b *testing.B) {
		// an implicit-only FTPS server: the explicit try waits ftpsModeGrace
		bed := healthyTCPBed(b)
		lns := checktest.ListenRange(b, 10)
		passiveSetup(bed, lns)
		bed.opt.Ports.FTPSControl = checktest.Port(b, checktest.FTPSServer(b, checktest.FTPSConfig{Cert: bed.serverCert(), Implicit: true, Passive: lns[:1]}))
		b.ResetTimer()
		for b.Loop() {
			for _, r := range runTCPChecks(b, bed).Results {
				if r.Status != Pass {
					b.Fatalf("%s: %s %s", r.ID, r.Status, r.Summary.En)
				}
			}
		}
	})
	b.Run("blackhole", func(b *testing.B) {
		bed := healthyTCPBed(b)
		bed.env.Dialer = &checktest.BlackholeDialer{All: true}
		b.ResetTimer()
		for b.Loop() {
			out := runTCPChecks(b, bed)
			for _, r := range out.Results {
				if r.Status != Fail && !(r.ID == "ftps.passive" && r.Status == Skip) {
					b.Fatalf("%s: %s %s", r.ID, r.Status, r.Summary.En)
				}
			}
		}
	})
}
