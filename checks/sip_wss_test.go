package checks

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
)

func TestSIPWSS(t *testing.T) {
	t.Parallel()
	sipWS := checktest.WebConfig{Subprotocols: []string{"sip"}, AnswerSIP: true}
	cases := []struct {
		name   string
		setup  func(b *tcpBed) string
		budget time.Duration
		want   tcpWant
	}{
		{"pass with OPTIONS answered", func(b *tcpBed) string { return checktest.WebServer(t, b.serverCert(), sipWS) }, 0,
			tcpWant{status: Pass, facts: map[string]any{"result": "ok", "http_status": 101, "websocket_subprotocol": "sip", "sip_options": "answered", "sip_status_code": 200}}},
		{"pass, OPTIONS unanswered", func(b *tcpBed) string {
			return checktest.WebServer(t, b.serverCert(), checktest.WebConfig{Subprotocols: []string{"sip"}})
		}, slowBudget, tcpWant{status: Pass, facts: map[string]any{"websocket_subprotocol": "sip", "sip_options": "no answer"}}},
		{"101 without subprotocol sip", func(b *tcpBed) string {
			return checktest.WebServer(t, b.serverCert(), checktest.WebConfig{AnswerSIP: true})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"http_status": 101, "websocket_subprotocol": ""}, remedies: []string{"allow-sip-wss"}}},
		{"upgrade refused with 404", func(b *tcpBed) string {
			return checktest.WebServer(t, b.serverCert(), checktest.WebConfig{RefuseUpgrade: 404, Server: "nginx"})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"http_status": 404, "http_server": "nginx"}, remedies: []string{"allow-sip-wss"}, absent: []string{"websocket_subprotocol"}}},
		{"upgrade refused, proxy configured", func(b *tcpBed) string {
			b.env.Getenv = func(k string) string {
				if k == "HTTPS_PROXY" {
					return "proxy.example.invalid:3128"
				}
				return ""
			}
			return checktest.WebServer(t, b.serverCert(), checktest.WebConfig{RefuseUpgrade: 403})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"http_status": 403}, remedies: []string{"allow-sip-wss", "remove-proxy"}}},
		{"answer to OPTIONS is not SIP", func(b *tcpBed) string {
			return checktest.WebServer(t, b.serverCert(), checktest.WebConfig{Subprotocols: []string{"sip"}, Reply: "hello"})
		}, 0, tcpWant{status: Warn, facts: map[string]any{"sip_options": "not SIP"}, remedies: []string{"allow-sip-wss"}}},
		{"refused", func(b *tcpBed) string { return checktest.RefusedAddr(t) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "refused"}, remedies: []string{"allow-sip-wss"}}},
		{"filtered", func(b *tcpBed) string {
			addr := checktest.RefusedAddr(t)
			b.env.Dialer = checktest.BlackholeTCP(addr)
			return addr
		}, shortBudget, tcpWant{status: Fail, facts: map[string]any{"result": "filtered"}, remedies: []string{"allow-sip-wss", "allow-return-traffic"}}},
		{"accepts and never speaks", func(b *tcpBed) string { return checktest.Silent(t) }, shortBudget,
			tcpWant{status: Fail, facts: map[string]any{"result": "stalled", "stopped_at": "tls"}, remedies: []string{"allow-sip-wss"}}},
		{"reset after client hello", func(b *tcpBed) string { return checktest.ResetAfterHello(t) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "reset", "stopped_at": "tls"}, remedies: []string{"allow-sip-wss", "disable-tls-inspection"}}},
		{"plain HTTP instead of TLS", func(b *tcpBed) string { return checktest.Garbage(t, "HTTP/1.1 400 Bad Request\r\n\r\n") }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "protocol", "stopped_at": "tls"}, remedies: []string{"allow-sip-wss"}}},
		{"garbage instead of the upgrade answer", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), func(c net.Conn) {
				_, _ = bufio.NewReader(c).ReadString('\n')
				_, _ = io.WriteString(c, "\x00\x01garbage\r\n\r\n")
			})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"result": "protocol", "stopped_at": "websocket"}, remedies: []string{"allow-sip-wss"}}},
		{"silent after TLS", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
		}, slowBudget, tcpWant{status: Fail, facts: map[string]any{"result": "stalled", "stopped_at": "websocket"}, remedies: []string{"allow-sip-wss"}}},
		{"inspection CA", func(b *tcpBed) string { return checktest.WebServer(t, b.forti.Issue(t, testMgmtHost), sipWS) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"tls_inspection_product": "Fortinet FortiGate"}, remedies: []string{"disable-tls-inspection"}}},
		{"private CA", func(b *tcpBed) string { return checktest.WebServer(t, b.private.Issue(t, testMgmtHost), sipWS) }, 0,
			tcpWant{status: Warn, facts: map[string]any{"cert_chain_verified": false, "websocket_subprotocol": "sip"}, remedies: []string{"disable-tls-inspection"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newTCPBed(t)
			addr := tc.setup(b)
			b.opt.Ports.SIPWSS = checktest.Port(t, addr)
			tc.want.check(t, b.run("sip.wss", tc.budget))
		})
	}
}

func TestSIPWSSPlan(t *testing.T) {
	b := newTCPBed(t)
	if dests, skip := planSIPWSS(b.prof, b.opt); !skip.IsZero() || dests[0].HostPort() != "127.0.0.1:15062" {
		t.Fatalf("plan %+v skip %v", dests, skip)
	}
	off := false
	b.prof.Options.WebRTC = &off
	if _, skip := planSIPWSS(b.prof, b.opt); skip.IsZero() {
		t.Error("webrtc off: want a skip reason")
	}
}
