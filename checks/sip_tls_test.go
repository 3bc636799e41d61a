package checks

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
)

// shortBudget is the check budget of cases that wait on silence (filtered,
// stalled): the stage limits are cut by the check's deadline, so the case
// ends quickly while exercising the same path as a 3 s stage timeout.
const shortBudget = 400 * time.Millisecond

// slowBudget is the budget of cases where real exchanges (TLS, an FTP
// dialogue) come before the silence, so a loaded machine under -race
// still finishes them first.
const slowBudget = 1500 * time.Millisecond

func TestSIPTLS(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(b *tcpBed) string // returns the server address
		budget time.Duration
		want   tcpWant
	}{
		{"pass", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Pass, facts: map[string]any{"result": "ok", "sip_status": "SIP/2.0 200 OK", "sip_status_code": 200,
			"cert_chain_verified": true, "cert_names_target": true, "sip_received": "127.0.0.1", "sip_server": "checktest-sip"},
			contains: map[string]string{"cert_issuer": "biztel-doctor test CA", "cert_sans": testMgmtHost, "tls_version": "TLS"},
			absent:   []string{"stopped_at"}}},
		{"refused", func(b *tcpBed) string { return checktest.RefusedAddr(t) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "refused", "stopped_at": "connect"}, remedies: []string{"allow-sip-tls"}}},
		{"filtered", func(b *tcpBed) string {
			addr := checktest.RefusedAddr(t)
			b.env.Dialer = checktest.BlackholeTCP(addr)
			return addr
		}, shortBudget, tcpWant{status: Fail, facts: map[string]any{"result": "filtered", "stopped_at": "connect"},
			remedies: []string{"allow-sip-tls", "allow-return-traffic"}}},
		{"reset after connect", func(b *tcpBed) string { return checktest.Resetter(t) }, 0,
			// the RST may beat the connect call's return: stage connect or tls
			tcpWant{status: Fail, facts: map[string]any{"result": "reset"}}},
		{"reset after client hello", func(b *tcpBed) string { return checktest.ResetAfterHello(t) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "reset", "stopped_at": "tls"}, remedies: []string{"allow-sip-tls", "disable-tls-inspection"}}},
		{"accepts and never speaks", func(b *tcpBed) string { return checktest.Silent(t) }, shortBudget,
			tcpWant{status: Fail, facts: map[string]any{"result": "stalled", "stopped_at": "tls"}, remedies: []string{"allow-sip-tls"}}},
		{"plain text instead of TLS", func(b *tcpBed) string { return checktest.Garbage(t, "SSH-2.0-OpenSSH_9.6\r\n") }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "protocol", "stopped_at": "tls"}, contains: map[string]string{"error": "SSH-2"},
				remedies: []string{"allow-sip-tls"}}},
		{"TLS alert", func(b *tcpBed) string { return checktest.TLSAlertAfterHello(t) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "tls_failed", "stopped_at": "tls"}, contains: map[string]string{"error": "handshake failure"},
				remedies: []string{"allow-sip-tls"}}},
		{"inspection CA", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.forti.Issue(t, testMgmtHost), checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Fail, facts: map[string]any{"tls_inspection_product": "Fortinet FortiGate", "cert_chain_verified": false},
			contains: map[string]string{"cert_issuer": "FortiGate CA"}, remedies: []string{"disable-tls-inspection"}, absent: []string{"sip_status"}}},
		{"inspection CA with a proxy in the environment", func(b *tcpBed) string {
			b.env.Getenv = func(k string) string {
				if k == "https_proxy" {
					return "http://alice:secret@proxy.example.invalid:8080"
				}
				return ""
			}
			return checktest.TLSServer(t, b.forti.Issue(t, testMgmtHost), checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Fail, facts: map[string]any{"proxy_env": "https_proxy=proxy.example.invalid:8080"},
			remedies: []string{"disable-tls-inspection", "remove-proxy"}}},
		{"private CA", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.private.Issue(t, testMgmtHost), checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Warn, facts: map[string]any{"cert_chain_verified": false, "sip_status": "SIP/2.0 200 OK"},
			contains: map[string]string{"cert_verify_error": "unknown authority", "cert_issuer": "Private Root"},
			remedies: []string{"disable-tls-inspection"}}},
		{"expired certificate", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.ca.IssueValid(t, time.Now().Add(-time.Hour), testMgmtHost), checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Warn, facts: map[string]any{"cert_chain_verified": false}, contains: map[string]string{"cert_verify_error": "expired"},
			remedies: []string{"disable-tls-inspection"}}},
		{"pin matches a private CA's certificate", func(b *tcpBed) string {
			cert := b.private.Issue(t, testMgmtHost)
			b.prof.TLS.PinSHA256 = []string{pinOf(cert)}
			return checktest.TLSServer(t, cert, checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Pass, facts: map[string]any{"cert_pin_match": true, "sip_status_code": 200}}},
		{"pin mismatch", func(b *tcpBed) string {
			b.prof.TLS.PinSHA256 = []string{pinOf(b.serverCert())} // a different key
			return checktest.TLSServer(t, b.serverCert(), checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Fail, facts: map[string]any{"cert_pin_match": false}, remedies: []string{"disable-tls-inspection"}}},
		{"no hostname and the certificate does not name the IP", func(b *tcpBed) string {
			b.prof.Server.Host = ""
			return checktest.TLSServer(t, b.ca.Issue(t, testMgmtHost), checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Warn, facts: map[string]any{"cert_names_target": false, "cert_verify_name": "127.0.0.1", "sip_status_code": 200},
			remedies: []string{"tls-verify-hostname"}}},
		{"certificate for another name", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.ca.Issue(t, "other.example.invalid"), checktest.SIPStreamResponder(nil))
		}, 0, tcpWant{status: Warn, facts: map[string]any{"cert_names_target": false, "cert_chain_verified": true},
			remedies: []string{"disable-tls-inspection"}}},
		{"garbage over TLS", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), func(c net.Conn) {
				_, _ = bufio.NewReader(c).ReadString('\n')
				_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\n\r\n")
			})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"result": "protocol", "stopped_at": "sip"}, contains: map[string]string{"error": "HTTP/1.1 400"},
			remedies: []string{"allow-sip-tls"}}},
		{"silent after TLS", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
		}, slowBudget, tcpWant{status: Fail, facts: map[string]any{"result": "stalled", "stopped_at": "sip"}, remedies: []string{"allow-sip-tls"}}},
		{"reset after the OPTIONS", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), func(c net.Conn) {
				_, _ = checktest.ReadSIPRequest(bufio.NewReader(c))
				checktest.ResetConn(c.(interface{ NetConn() net.Conn }).NetConn())
			})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"result": "reset", "stopped_at": "sip"}, remedies: []string{"allow-sip-tls"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newTCPBed(t)
			addr := tc.setup(b)
			b.opt.Ports.SIPTLS = checktest.Port(t, addr)
			tc.want.check(t, b.run("sip.tls", tc.budget))
		})
	}
}

// TestSIPTLSRequest checks what a softphone-like OPTIONS carries.
func TestSIPTLSRequest(t *testing.T) {
	t.Parallel()
	b := newTCPBed(t)
	got := make(chan checktest.SIPRequest, 1)
	addr := checktest.TLSServer(t, b.serverCert(), checktest.SIPStreamResponder(got))
	b.opt.Ports.SIPTLS = checktest.Port(t, addr)
	if r := b.run("sip.tls", 0); r.Status != Pass {
		t.Fatalf("status %s: %s", r.Status, r.Summary.En)
	}
	req := <-got
	if req.StartLine != "OPTIONS sip:"+testMgmtHost+";transport=tls SIP/2.0" {
		t.Errorf("request line %q", req.StartLine)
	}
	via := req.Header.Get("Via")
	if !strings.HasPrefix(via, "SIP/2.0/TLS 127.0.0.1:") || !strings.Contains(via, ";rport;branch=z9hG4bK") {
		t.Errorf("Via %q", via)
	}
	if ua := req.Header.Get("User-Agent"); ua != "biztel-doctor/test" {
		t.Errorf("User-Agent %q", ua)
	}
	if req.Header.Get("Content-Length") != "0" {
		t.Errorf("Content-Length %q", req.Header.Get("Content-Length"))
	}
}

func TestSIPTLSPlan(t *testing.T) {
	b := newTCPBed(t)
	dests, skip := planSIPTLS(b.prof, b.opt)
	if !skip.IsZero() || len(dests) != 1 || dests[0].HostPort() != "127.0.0.1:15061" || dests[0].Transport != "tcp" {
		t.Fatalf("plan %+v skip %v", dests, skip)
	}
	b.prof.Server.VPNIP = "10.0.0.10"
	if dests, _ := planSIPTLS(b.prof, b.opt); dests[0].Address != "10.0.0.10" {
		t.Errorf("VPN: address %s, want the private IP", dests[0].Address)
	}
	off := false
	b.prof.Options.Encryption = &off
	if _, skip := planSIPTLS(b.prof, b.opt); skip.IsZero() {
		t.Error("encryption off: want a skip reason")
	}
	_ = content.T
}

// TestSIPTLSServerRequestFirst: a server request (keep-alive OPTIONS) that
// arrives before the answer is skipped, not taken as garbage.
func TestSIPTLSServerRequestFirst(t *testing.T) {
	t.Parallel()
	b := newTCPBed(t)
	addr := checktest.TLSServer(t, b.serverCert(), func(c net.Conn) {
		br := bufio.NewReader(c)
		req, err := checktest.ReadSIPRequest(br)
		if err != nil {
			return
		}
		_, _ = io.WriteString(c, "OPTIONS sip:client.invalid SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKsrv\r\nCall-ID: srv\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
		_, _ = io.WriteString(c, checktest.SIPOK(req, c.RemoteAddr()))
	})
	b.opt.Ports.SIPTLS = checktest.Port(t, addr)
	tcpWant{status: Pass, facts: map[string]any{"sip_status_code": 200}}.check(t, b.run("sip.tls", 0))
}
