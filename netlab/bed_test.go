//go:build linux

package netlab

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// probeTimeout bounds one probe through the router: a handful of
// retransmissions on a bed whose RTT is well under a millisecond.
const probeTimeout = 3 * time.Second

func probeCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	t.Cleanup(cancel)
	return ctx
}

// assertNoEscape fails when any packet headed outside the bed.
func assertNoEscape(t *testing.T, b *Bed) {
	t.Helper()
	n, err := b.Counter(CounterEscaped)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d packets headed outside the bed (counter %q); ruleset:\n%s", n, CounterEscaped, b.Ruleset())
	}
}

// TestBedHealthy proves every daemon answers its real protocol from the
// client namespace, through the router's NAT, with standard tools and Go
// clients — and that only correct protocol passes.
func TestBedHealthy(t *testing.T) {
	start := time.Now()
	b := New(t, Options{})
	srv, err := b.StartServers("")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bed %s up in %v", b.Name, time.Since(start).Round(time.Millisecond))
	c := b.Client

	t.Run("sip-udp", func(t *testing.T) {
		if _, err := SIPOptionsUDP(probeCtx(t), c, ServerIP+":5060"); err != nil {
			t.Fatal(err)
		}
		// sipsak: a second, independent SIP peer.
		out, err := c.Output("sipsak", "-s", "sip:ping@"+ServerIP, "-H", ClientIP, "-vv")
		if err != nil || !strings.Contains(out, "SIP/2.0 200") {
			t.Fatalf("sipsak: %v\n%s", err, out)
		}
		if !strings.Contains(out, "received="+RouterWANIP) {
			t.Errorf("kamailio did not see the NAT's public address:\n%s", out)
		}
	})
	t.Run("sip-tls", func(t *testing.T) {
		if _, err := SIPOptionsTLS(probeCtx(t), c, ServerIP+":15061", ServerHost, b.CA.Pool); err != nil {
			t.Fatal(err)
		}
		out, err := c.Output("openssl", "s_client", "-connect", ServerIP+":15061", "-servername", ServerHost,
			"-verify_hostname", ServerHost, "-verify_return_error", "-CAfile", b.CA.CertFile, "-brief")
		if err != nil || !strings.Contains(out, "Verification: OK") {
			t.Fatalf("openssl s_client: %v\n%s", err, out)
		}
		if _, err := SIPOptionsTLS(probeCtx(t), c, ServerIP+":15061", "wrong.biztel.test", b.CA.Pool); err == nil {
			t.Error("TLS with a wrong name was accepted")
		}
	})
	t.Run("sip-wss", func(t *testing.T) {
		code, proto, err := WebSocketUpgrade(probeCtx(t), c, ServerIP+":15062", ServerHost, b.CA.Pool, "sip")
		if err != nil || code != 101 || proto != "sip" {
			t.Fatalf("upgrade with subprotocol sip: %d %q %v", code, proto, err)
		}
		code, _, err = WebSocketUpgrade(probeCtx(t), c, ServerIP+":15062", ServerHost, b.CA.Pool, "")
		if err != nil || code == 101 {
			t.Fatalf("upgrade without subprotocol sip was not refused: %d %v", code, err)
		}
	})
	t.Run("web-8000", func(t *testing.T) {
		code, body, err := HTTPSGet(probeCtx(t), c, ServerIP+":8000", ServerHost, b.CA.Pool)
		if err != nil || code != 200 {
			t.Fatalf("HTTPS: %d %v", code, err)
		}
		if !strings.Contains(body, "test bed") {
			t.Errorf("HTTPS body %q", body)
		}
		if code, _, err := WebSocketUpgrade(probeCtx(t), c, ServerIP+":8000", ServerHost, b.CA.Pool, ""); err != nil || code != 101 {
			t.Fatalf("WSS on 8000: %d %v", code, err)
		}
	})
	t.Run("stun", func(t *testing.T) {
		for _, a := range []string{STUNIP + ":3478", STUNIP + ":3479", STUNIP2 + ":3478", STUNIP2 + ":3479"} {
			mapped, err := STUNBinding(probeCtx(t), c, a)
			if err != nil {
				t.Fatal(err)
			}
			if host, _, _ := net.SplitHostPort(mapped); host != RouterWANIP {
				t.Errorf("STUN %s mapped %s, want the router's %s", a, mapped, RouterWANIP)
			}
		}
	})
	t.Run("ntp", func(t *testing.T) {
		if st, err := NTPQuery(probeCtx(t), c, ServerIP+":123"); err != nil || st == 0 || st > 15 {
			t.Fatalf("NTP: stratum %d %v", st, err)
		}
	})
	t.Run("ftps", func(t *testing.T) {
		banner, err := FTPAuthTLS(probeCtx(t), c, RecordingIP+":20990", RecordingHost, b.CA.Pool)
		if err != nil {
			t.Fatal(err)
		}
		port, err := FTPPassive(probeCtx(t), c, RecordingIP+":20990", RecordingHost, b.CA.Pool)
		if err != nil {
			t.Fatalf("passive (%s): %v", banner, err)
		}
		if port < 20991 || port > 21000 {
			t.Errorf("passive port %d outside 20991-21000", port)
		}
	})
	t.Run("dns", func(t *testing.T) {
		conn, err := c.DialContext(probeCtx(t), "udp4", DNSIP+":53")
		if err != nil {
			t.Fatal(err)
		}
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(ServerHost), dns.TypeA)
		r, _, err := (&dns.Client{Timeout: probeTimeout}).ExchangeWithConn(m, &dns.Conn{Conn: conn})
		if err != nil || len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != ServerIP {
			t.Fatalf("DNS %s: %v %v", ServerHost, r, err)
		}
		if srv.DNS.Queries.Load() == 0 {
			t.Error("DNS server counted no query")
		}
		// The client's resolver is the bed's server.
		out, err := c.Output("getent", "hosts", ServerHost)
		if err != nil || !strings.Contains(out, ServerIP) {
			t.Errorf("getent via /etc/netns resolv.conf: %v %q", err, out)
		}
	})
	assertNoEscape(t, b)
}
