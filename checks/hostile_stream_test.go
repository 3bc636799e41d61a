package checks

import (
	"bytes"
	"net"
	"sync/atomic"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
)

// hugeReplyCap is how much a flooding server may push before the check must
// have stopped reading: the check's own read limit plus the kernel's
// loopback socket buffers (a few MiB). Without a limit a check reads for its
// whole reply timeout, gigabytes on loopback.
const hugeReplyCap = 32 << 20

// flood writes prefix and then an endless line of 'A' (no newline) until the
// client stops reading and closes; sent counts the bytes written.
func flood(prefix string, sent *atomic.Int64) func(net.Conn) {
	chunk := bytes.Repeat([]byte("A"), 32<<10)
	return func(c net.Conn) {
		n, _ := c.Write([]byte(prefix))
		sent.Add(int64(n))
		for {
			n, err := c.Write(chunk)
			sent.Add(int64(n))
			if err != nil || sent.Load() > 4*hugeReplyCap {
				return
			}
		}
	}
}

// TestHugeRepliesAreBounded: a server that answers with an endless line
// (banner, status line, HTTP header) gets a protocol failure after a bounded
// read, not a read that grows for the whole reply timeout.
func TestHugeRepliesAreBounded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, id, prefix string
		tls              bool
		setPort          func(b *tcpBed, port int)
	}{
		{"FTP banner", "ftps.control", "220-", false, func(b *tcpBed, p int) { b.opt.Ports.FTPSControl = p }},
		{"HTTPS header", "web.8000", "HTTP/1.1 200 OK\r\nX-Flood: ", true, func(b *tcpBed, p int) { b.opt.Ports.Web = p }},
		{"SIP/TLS header", "sip.tls", "SIP/2.0 200 OK\r\nVia: ", true, func(b *tcpBed, p int) { b.opt.Ports.SIPTLS = p }},
		{"WSS upgrade header", "sip.wss", "HTTP/1.1 101 Switching Protocols\r\nX-Flood: ", true, func(b *tcpBed, p int) { b.opt.Ports.SIPWSS = p }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newTCPBed(t)
			b.prof.Recording.IP = "127.0.0.1"
			var sent atomic.Int64
			var addr string
			if tc.tls {
				addr = tlsServe(t, b, flood(tc.prefix, &sent))
			} else {
				addr = serveTCP(t, flood(tc.prefix, &sent))
			}
			tc.setPort(b, portOf(t, addr))
			r := b.run(tc.id, 0)
			if r.Status != Fail && r.Status != Error {
				t.Errorf("%s: status %s for an endless reply, want fail or error (%s)", tc.id, r.Status, r.Summary.En)
			}
			if got := sent.Load(); got > hugeReplyCap {
				t.Errorf("%s read %d MiB of one endless line; want at most %d MiB", tc.id, got>>20, hugeReplyCap>>20)
			}
			t.Logf("%s: server pushed %d KiB before the check stopped reading", tc.id, sent.Load()>>10)
		})
	}
}

func serveTCP(t *testing.T, h func(net.Conn)) string { return checktest.Serve(t, h) }

func tlsServe(t *testing.T, b *tcpBed, h func(net.Conn)) string {
	return checktest.TLSServer(t, b.serverCert(), h)
}

func portOf(t *testing.T, addr string) int { return checktest.Port(t, addr) }
