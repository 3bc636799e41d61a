package checks

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
)

// resetOnUpgrade answers plain HTTPS requests and resets a connection that
// asks for a WebSocket upgrade, like a proxy that does not pass WebSocket.
func resetOnUpgrade(c net.Conn) {
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	if req.Header.Get("Upgrade") != "" {
		checktest.ResetConn(c.(interface{ NetConn() net.Conn }).NetConn())
		return
	}
	_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nServer: proxy-box\r\nContent-Length: 0\r\n\r\n")
}

func TestWeb8000(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(b *tcpBed) string
		budget time.Duration
		want   tcpWant
	}{
		{"pass: HTTPS and WebSocket", func(b *tcpBed) string {
			return checktest.WebServer(t, b.serverCert(), checktest.WebConfig{Server: "nginx"})
		}, 0, tcpWant{status: Pass, facts: map[string]any{"result": "ok", "http_status": 200, "http_server": "nginx", "websocket_result": "upgraded", "websocket_http_status": 101}}},
		{"pass: 404 and the upgrade declined", func(b *tcpBed) string {
			return checktest.WebServer(t, b.serverCert(), checktest.WebConfig{Status: 404, RefuseUpgrade: 426})
		}, 0, tcpWant{status: Pass, facts: map[string]any{"http_status": 404, "websocket_result": "refused_by_server", "websocket_http_status": 426}}},
		{"WebSocket reset by a middlebox", func(b *tcpBed) string { return checktest.TLSServer(t, b.serverCert(), resetOnUpgrade) }, 0,
			tcpWant{status: Warn, facts: map[string]any{"http_status": 200, "http_server": "proxy-box", "websocket_result": "reset", "websocket_stopped_at": "websocket"},
				remedies: []string{"allow-web-8000"}}},
		{"WebSocket reset, proxy configured", func(b *tcpBed) string {
			b.env.Getenv = func(k string) string {
				if k == "ALL_PROXY" {
					return "socks5://proxy.example.invalid:1080"
				}
				return ""
			}
			return checktest.TLSServer(t, b.serverCert(), resetOnUpgrade)
		}, 0, tcpWant{status: Warn, facts: map[string]any{"websocket_result": "reset", "proxy_env": "ALL_PROXY=proxy.example.invalid:1080"},
			remedies: []string{"allow-web-8000", "remove-proxy"}}},
		{"refused", func(b *tcpBed) string { return checktest.RefusedAddr(t) }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "refused"}, remedies: []string{"allow-web-8000"}}},
		{"filtered", func(b *tcpBed) string {
			addr := checktest.RefusedAddr(t)
			b.env.Dialer = checktest.BlackholeTCP(addr)
			return addr
		}, shortBudget, tcpWant{status: Fail, facts: map[string]any{"result": "filtered"}, remedies: []string{"allow-web-8000"}}},
		{"accepts and never speaks", func(b *tcpBed) string { return checktest.Silent(t) }, shortBudget,
			tcpWant{status: Fail, facts: map[string]any{"result": "stalled", "stopped_at": "tls"}, remedies: []string{"allow-web-8000"}}},
		{"plain HTTP instead of HTTPS", func(b *tcpBed) string { return checktest.Garbage(t, "HTTP/1.1 400 Bad Request\r\n\r\n") }, 0,
			tcpWant{status: Fail, facts: map[string]any{"result": "protocol", "stopped_at": "tls"}, remedies: []string{"allow-web-8000"}}},
		{"garbage over TLS", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), func(c net.Conn) {
				_, _ = bufio.NewReader(c).ReadString('\n')
				_, _ = io.WriteString(c, "220 ftp.example ready\r\n")
			})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"result": "protocol", "stopped_at": "http"}, contains: map[string]string{"error": "ftp.example"}, remedies: []string{"allow-web-8000"}}},
		{"silent after TLS", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
		}, slowBudget, tcpWant{status: Fail, facts: map[string]any{"result": "stalled", "stopped_at": "http"}, remedies: []string{"allow-web-8000"}}},
		{"reset after TLS", func(b *tcpBed) string {
			return checktest.TLSServer(t, b.serverCert(), func(c net.Conn) {
				_, _ = bufio.NewReader(c).ReadString('\n')
				checktest.ResetConn(c.(interface{ NetConn() net.Conn }).NetConn())
			})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"result": "reset", "stopped_at": "http"}, remedies: []string{"allow-web-8000"}}},
		{"inspection CA", func(b *tcpBed) string {
			return checktest.WebServer(t, b.forti.Issue(t, testMgmtHost), checktest.WebConfig{})
		}, 0, tcpWant{status: Fail, facts: map[string]any{"tls_inspection_product": "Fortinet FortiGate"}, remedies: []string{"disable-tls-inspection"}, absent: []string{"http_status"}}},
		{"private CA", func(b *tcpBed) string {
			return checktest.WebServer(t, b.private.Issue(t, testMgmtHost), checktest.WebConfig{})
		}, 0, tcpWant{status: Warn, facts: map[string]any{"http_status": 200, "cert_chain_verified": false}, remedies: []string{"disable-tls-inspection"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newTCPBed(t)
			addr := tc.setup(b)
			b.opt.Ports.Web = checktest.Port(t, addr)
			tc.want.check(t, b.run("web.8000", tc.budget))
		})
	}
}

func TestWeb8000Plan(t *testing.T) {
	b := newTCPBed(t)
	dests, skip := planWeb8000(b.prof, b.opt)
	if !skip.IsZero() || len(dests) != 1 || dests[0].HostPort() != "127.0.0.1:8000" {
		t.Fatalf("plan %+v skip %v", dests, skip)
	}
}
