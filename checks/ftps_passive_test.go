package checks

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

const (
	testFTPSUser     = "alice-secret-user"
	testFTPSPassword = "hunter2-very-secret"
)

// passiveSetup points the bed's passive range at lns (consecutive ports).
func passiveSetup(b *tcpBed, lns []net.Listener) {
	b.opt.Ports.FTPSPassive = content.PortRange{From: lnPort(lns[0]), To: lnPort(lns[len(lns)-1])}
}

func lnPort(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

func TestFTPSPassive(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(b *tcpBed) string
		budget time.Duration
		want   tcpWant
	}{
		{"pass: PASV inside the range", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 4)
			passiveSetup(b, lns)
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[1:2]})
		}, 0, tcpWant{status: Pass, facts: map[string]any{"control_result": "ok", "pasv_port_in_range": true, "pasv_ip_differs": false, "data_result": "ok",
			"range_blocked_count": 0, "login": "not needed", "pbsz_reply": "200 PBSZ set to 0.", "prot_reply": "200 PROT now Private.", "ftps_mode": "explicit"},
			absent: []string{"range_blocked"}}},
		{"implicit server (as ftps.control found)", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 2)
			passiveSetup(b, lns)
			b.deps["ftps.control"] = Result{ID: "ftps.control", Status: Pass, Evidence: &FTPSControlEvidence{Mode: ftpsImplicit}}
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Implicit: true, Passive: lns[:1]})
		}, 0, tcpWant{status: Pass, facts: map[string]any{"ftps_mode": "implicit", "data_result": "ok"}}},
		{"EPSV when PASV is not offered", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 2)
			passiveSetup(b, lns)
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[:1], NoPASV: true})
		}, 0, tcpWant{status: Pass, facts: map[string]any{"data_result": "ok"}, contains: map[string]string{"epsv_reply": "229", "pasv_reply": "502"}}},
		{"offered port outside the range", func(b *tcpBed) string {
			passiveSetup(b, checktest.ListenRange(t, 3))
			outside, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: []net.Listener{outside}})
		}, 0, tcpWant{status: Warn, facts: map[string]any{"pasv_port_in_range": false, "data_result": "ok"}, remedies: []string{"allow-ftps"}}},
		{"part of the range blocked", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 6)
			passiveSetup(b, lns)
			b.env.Dialer = checktest.BlackholeTCP(lns[3].Addr().String(), lns[4].Addr().String(), lns[5].Addr().String())
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[:1]})
		}, slowBudget, tcpWant{status: Fail, facts: map[string]any{"data_result": "ok", "range_blocked_count": 3}, remedies: []string{"allow-ftps"}}},
		{"data connection filtered", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 2)
			passiveSetup(b, lns)
			b.env.Dialer = checktest.BlackholeTCP(lns[0].Addr().String())
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[:1]})
		}, slowBudget, tcpWant{status: Fail, facts: map[string]any{"data_result": "filtered", "range_blocked_count": 1}, remedies: []string{"allow-ftps", "disable-ftp-alg"}}},
		{"PASV with a foreign private IP", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 2)
			passiveSetup(b, lns)
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[:1], PASVHost: "10.9.8.7"})
		}, 0, tcpWant{status: Pass, facts: map[string]any{"pasv_ip": "10.9.8.7", "pasv_ip_differs": true, "data_result": "ok", "data_address": ""}}},
		{"login needed, no credentials", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 2)
			passiveSetup(b, lns)
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[:1], User: testFTPSUser, Password: testFTPSPassword})
		}, 0, tcpWant{status: Warn, facts: map[string]any{"login": "needed", "range_open": ""}, remedies: []string{"allow-ftps"}, absent: []string{"pasv_port", "data_result"}}},
		{"login with the profile's credentials", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 2)
			passiveSetup(b, lns)
			b.prof.FTPS = profile.FTPS{User: testFTPSUser, Password: testFTPSPassword}
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[:1], User: testFTPSUser, Password: testFTPSPassword})
		}, 0, tcpWant{status: Pass, facts: map[string]any{"login": "credentials from the profile", "data_result": "ok"}}},
		{"credentials refused", func(b *tcpBed) string {
			lns := checktest.ListenRange(t, 2)
			passiveSetup(b, lns)
			b.prof.FTPS = profile.FTPS{User: testFTPSUser, Password: testFTPSPassword}
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[:1], User: testFTPSUser, Password: "another"})
		}, 0, tcpWant{status: Error, facts: map[string]any{"login": "refused"}, absent: []string{"pasv_port"}}},
		{"control connection refused", func(b *tcpBed) string {
			passiveSetup(b, checktest.ListenRange(t, 2))
			return checktest.RefusedAddr(t)
		}, 0, tcpWant{status: Fail, facts: map[string]any{"control_result": "refused", "range_open": ""}, remedies: []string{"allow-ftps"}}},
		{"ALG resets after AUTH TLS", func(b *tcpBed) string {
			passiveSetup(b, checktest.ListenRange(t, 2))
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), ResetAfterAuthTLS: true})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"control_result": "reset", "control_stopped_at": "auth_tls"}, remedies: []string{"allow-ftps", "disable-ftp-alg"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := ftpsBed(t)
			addr := tc.setup(b)
			b.opt.Ports.FTPSControl = checktest.Port(t, addr)
			w := tc.want
			// facts given as "" only need to exist (values depend on ports)
			var exist []string
			for k, v := range w.facts {
				if v == "" {
					exist = append(exist, k)
				}
			}
			w.facts = without(w.facts, exist)
			r := b.run("ftps.passive", tc.budget)
			w.check(t, r)
			for _, k := range exist {
				if _, ok := r.Facts[k]; !ok {
					t.Errorf("fact %s missing", k)
				}
			}
			assertNoSecrets(t, r, b.logBuf.String())
		})
	}
}

func without(m map[string]any, keys []string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}

// assertNoSecrets fails when the FTPS credentials appear in the result or
// the log: the fake echoes the user name in its replies on purpose.
func assertNoSecrets(t *testing.T, r Result, log string) {
	t.Helper()
	var all []string
	for k, v := range r.Facts {
		all = append(all, k+"="+fmt.Sprint(v))
	}
	all = append(all, r.Summary.Ja, r.Summary.En, log)
	for _, s := range all {
		for _, secret := range []string{testFTPSUser, testFTPSPassword} {
			if strings.Contains(s, secret) {
				t.Errorf("credential %q leaked into %q", secret, s)
			}
		}
	}
}

// TestFTPSCredentialsScrubbed: even when a server echoes the user name in
// every reply, no fact carries it.
func TestFTPSCredentialsScrubbed(t *testing.T) {
	s := ftpsSecretSet{user: testFTPSUser, password: testFTPSPassword}
	r := FailResult("ftps.passive", content.T("x "+testFTPSUser, "y "+testFTPSPassword), "allow-ftps")
	r.Facts["pasv_reply"] = "530 Login incorrect for " + testFTPSUser + " / " + testFTPSPassword
	s.scrub(&r)
	assertNoSecrets(t, r, "")
	if got := r.Facts["pasv_reply"]; got != "530 Login incorrect for *** / ***" {
		t.Errorf("scrubbed reply %q", got)
	}
}

func TestFTPSPassivePlan(t *testing.T) {
	b := ftpsBed(t)
	dests, skip := planFTPSPassive(b.prof, b.opt)
	if !skip.IsZero() || len(dests) != 2 {
		t.Fatalf("plan %+v skip %v", dests, skip)
	}
	if dests[0].HostPort() != "127.0.0.1:20990" || dests[1].Ports.String() != "20991-21000" {
		t.Errorf("destinations %s %s", dests[0].HostPort(), dests[1].Ports)
	}
	spec, _ := Lookup("ftps.passive")
	if !slices.Equal(spec.Needs, []string{"ftps.control"}) {
		t.Errorf("Needs %v", spec.Needs)
	}
}

// Like vsftpd, a server drops its passive listener when the control session
// ends: the check must keep the control connection open until the data
// connection has been tried (found by the namespace bed against vsftpd).
func TestFTPSPassiveKeepsControlOpenForData(t *testing.T) {
	b := ftpsBed(t)
	lns := checktest.ListenRange(t, 2)
	passiveSetup(b, lns)
	accepted := make(chan bool, 4)
	addr := checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Passive: lns[:1],
		DataNeedsControl: true, DataAccepted: accepted})
	b.opt.Ports.FTPSControl = checktest.Port(t, addr)
	r := b.run("ftps.passive", 0)
	if r.Status != Pass || r.Facts["data_result"] != "ok" {
		t.Fatalf("status %s, data_result %v: %s", r.Status, r.Facts["data_result"], r.Summary.En)
	}
	select {
	case open := <-accepted:
		if !open {
			t.Error("the data connection arrived after the control session had ended")
		}
	case <-time.After(2 * time.Second):
		t.Error("the server saw no data connection")
	}
}
