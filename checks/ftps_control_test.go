package checks

import (
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// ftpsBed is a tcpBed whose profile has a recording server on loopback.
func ftpsBed(t testing.TB) *tcpBed {
	b := newTCPBed(t)
	b.prof.Recording = profile.Endpoint{Host: testMgmtHost, IP: "127.0.0.1"}
	return b
}

func TestFTPSControl(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(b *tcpBed) string
		budget time.Duration
		want   tcpWant
	}{
		{"explicit", func(b *tcpBed) string { return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert()}) }, 0,
			tcpWant{status: Pass, facts: map[string]any{"ftps_mode": "explicit", "explicit_result": "ok", "implicit_result": "protocol", "implicit_stopped_at": "tls",
				"cert_chain_verified": true}, contains: map[string]string{"ftp_banner": "220", "implicit_error": "220-c"}}},
		{"implicit", func(b *tcpBed) string {
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), Implicit: true})
		}, 0, tcpWant{status: Pass, facts: map[string]any{"ftps_mode": "implicit", "implicit_result": "ok", "explicit_result": "stalled",
			"explicit_stopped_at": "banner", "explicit_abandoned_after_ms": tcpMillis(ftpsModeGrace)}}},
		{"AUTH TLS refused", func(b *tcpBed) string {
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), RejectAuthTLS: true})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"ftps_mode": "none", "explicit_result": "protocol", "explicit_stopped_at": "auth_tls"},
			contains: map[string]string{"explicit_error": "500 AUTH"}, remedies: []string{"allow-ftps", "disable-ftp-alg"}}},
		{"ALG resets after AUTH TLS", func(b *tcpBed) string {
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), ResetAfterAuthTLS: true})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"explicit_result": "reset", "explicit_stopped_at": "auth_tls"},
			remedies: []string{"allow-ftps", "disable-ftp-alg"}}},
		{"refused", func(b *tcpBed) string { return checktest.RefusedAddr(t) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "refused", "explicit_result": "refused", "implicit_result": "refused"}, remedies: []string{"allow-ftps"}}},
		{"filtered", func(b *tcpBed) string {
			addr := checktest.RefusedAddr(t)
			b.env.Dialer = checktest.BlackholeTCP(addr)
			return addr
		}, shortBudget, tcpWant{status: Fail, facts: map[string]any{"result": "filtered", "explicit_stopped_at": "connect"}, remedies: []string{"allow-ftps"}}},
		{"accepts and never speaks", func(b *tcpBed) string { return checktest.Silent(t) }, shortBudget,
			tcpWant{status: Fail, facts: map[string]any{"explicit_result": "stalled", "explicit_stopped_at": "banner", "implicit_result": "stalled", "implicit_stopped_at": "tls"},
				remedies: []string{"allow-ftps"}}},
		{"wrong service", func(b *tcpBed) string { return checktest.Garbage(t, "SSH-2.0-OpenSSH_9.6\r\n") }, 0,
			tcpWant{status: Fail, facts: map[string]any{"explicit_result": "protocol", "explicit_stopped_at": "banner", "implicit_result": "protocol"},
				contains: map[string]string{"explicit_error": "SSH-2.0"}, remedies: []string{"allow-ftps"}}},
		{"resets at once", func(b *tcpBed) string { return checktest.Resetter(t) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"explicit_result": "reset", "implicit_result": "reset"}, remedies: []string{"allow-ftps", "disable-ftp-alg"}}},
		{"inspection CA", func(b *tcpBed) string {
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.forti.Issue(t, testMgmtHost)})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"ftps_mode": "explicit", "tls_inspection_product": "Fortinet FortiGate"}, remedies: []string{"disable-tls-inspection"}}},
		{"private CA", func(b *tcpBed) string {
			return checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.private.Issue(t, testMgmtHost)})
		}, 0, tcpWant{status: Warn, facts: map[string]any{"ftps_mode": "explicit", "cert_chain_verified": false}, remedies: []string{"disable-tls-inspection"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := ftpsBed(t)
			addr := tc.setup(b)
			b.opt.Ports.FTPSControl = checktest.Port(t, addr)
			tc.want.check(t, b.run("ftps.control", tc.budget))
		})
	}
}

func TestFTPSControlPlan(t *testing.T) {
	b := newTCPBed(t)
	if _, skip := planFTPSControl(b.prof, b.opt); skip.IsZero() {
		t.Error("no recording server: want a skip reason")
	}
	b.prof.Recording = profile.Endpoint{IP: "203.0.113.11"}
	dests, skip := planFTPSControl(b.prof, b.opt)
	if !skip.IsZero() || dests[0].HostPort() != "203.0.113.11:20990" {
		t.Fatalf("plan %+v skip %v", dests, skip)
	}
	off := false
	b.prof.Options.RecordingDownload = &off
	if _, skip := planFTPSControl(b.prof, b.opt); skip.IsZero() {
		t.Error("recording_download off: want a skip reason")
	}
}
