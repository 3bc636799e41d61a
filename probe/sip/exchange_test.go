package sip

import (
	"context"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// answer builds a response to req with the given status line, copying the
// headers RFC 3261 §8.2.6.2 says a response carries.
func answer(req []byte, status string) []byte {
	var b strings.Builder
	b.WriteString(status + "\r\n")
	for _, line := range strings.Split(string(req), "\r\n") {
		for _, h := range []string{"Via:", "From:", "To:", "Call-ID:", "CSeq:"} {
			if strings.HasPrefix(line, h) {
				b.WriteString(line + "\r\n")
			}
		}
	}
	b.WriteString("Content-Length: 0\r\n\r\n")
	return []byte(b.String())
}

// server answers each request it receives with reply(n, req), n counting
// from 1; a nil reply sends nothing.
func server(t *testing.T, reply func(n int, req []byte) [][]byte) (netip.AddrPort, *atomic.Int32) {
	t.Helper()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	var n atomic.Int32
	go func() {
		buf := make([]byte, MaxDatagram)
		for {
			k, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			for _, out := range reply(int(n.Add(1)), append([]byte(nil), buf[:k]...)) {
				_, _ = pc.WriteTo(out, from)
			}
		}
	}()
	return netip.MustParseAddrPort(pc.LocalAddr().String()), &n
}

func exchange(t *testing.T, to netip.AddrPort) Reply {
	t.Helper()
	c, err := net.Dial("udp4", to.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	local := netip.MustParseAddrPort(c.LocalAddr().String())
	return Exchange(context.Background(), c, NewOptions(local, to, "biztel-doctor-test"))
}

func TestExchangeAnswered(t *testing.T) {
	to, _ := server(t, func(_ int, req []byte) [][]byte { return [][]byte{answer(req, "SIP/2.0 200 OK")} })
	rep := exchange(t, to)
	if !rep.Answered() || rep.Sent != 1 || rep.StatusLine() != "SIP/2.0 200 OK" || rep.Size == 0 {
		t.Errorf("got %+v, want one send answered 200", rep)
	}
}

// One lost packet is not a verdict: the retransmission after T1 is answered.
func TestExchangeRetransmits(t *testing.T) {
	to, got := server(t, func(n int, req []byte) [][]byte {
		if n == 1 {
			return nil
		}
		return [][]byte{answer(req, "SIP/2.0 200 OK")}
	})
	rep := exchange(t, to)
	if !rep.Answered() || rep.Sent != 2 || got.Load() != 2 {
		t.Errorf("got %+v after %d requests, want the second send answered", rep, got.Load())
	}
}

// Garbage, a stray answer and a request are counted and skipped; the
// matching final answer after a provisional one ends the transaction.
func TestExchangeSkipsOthers(t *testing.T) {
	to, _ := server(t, func(_ int, req []byte) [][]byte {
		other := strings.Replace(string(answer(req, "SIP/2.0 200 OK")), "Call-ID: ", "Call-ID: x", 1)
		return [][]byte{[]byte("HTTP/1.1 400 Bad\r\n\r\n"), []byte(other), req,
			answer(req, "SIP/2.0 100 Trying"), answer(req, "SIP/2.0 404 Not Found")}
	})
	rep := exchange(t, to)
	if rep.Response == nil || rep.Response.StatusCode != 404 || rep.NonSIP != 1 || rep.Stray != 2 || rep.Malformed || rep.Sent != 1 {
		t.Errorf("got %+v, want 404 after 1 non-SIP and 2 stray", rep)
	}
	if !strings.HasPrefix(rep.NonSIPHead, `"HTTP/1.1 400`) || rep.ParseError == "" {
		t.Errorf("non-SIP head %s (%s)", rep.NonSIPHead, rep.ParseError)
	}
}

// Silence: MaxSends packets, no more, and no answer.
func TestExchangeNoAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("waits the full 4 s")
	}
	to, got := server(t, func(int, []byte) [][]byte { return nil })
	rep := exchange(t, to)
	time.Sleep(100 * time.Millisecond) // let the last datagram land before counting
	if rep.Answered() || rep.Sent != MaxSends || got.Load() != MaxSends || rep.Refused || rep.SocketError != nil {
		t.Errorf("got %+v after %d requests, want %d unanswered sends", rep, got.Load(), MaxSends)
	}
}

// A closed port on loopback answers ICMP port unreachable (Unix).
func TestExchangeRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Go turns ICMP reports off on Windows UDP sockets (go.dev/issue/5834)")
	}
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	to := netip.MustParseAddrPort(pc.LocalAddr().String())
	pc.Close()
	rep := exchange(t, to)
	if !rep.Refused || rep.Answered() {
		t.Errorf("got %+v, want refused", rep)
	}
}

func TestExchangeStopsWithContext(t *testing.T) {
	to, _ := server(t, func(int, []byte) [][]byte { return nil })
	c, err := net.Dial("udp4", to.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := Exchange(ctx, c, NewOptions(netip.MustParseAddrPort(c.LocalAddr().String()), to, "t"))
	if rep.Answered() || rep.Sent != 1 || rep.SocketError != nil {
		t.Errorf("got %+v, want one send and a quiet stop", rep)
	}
}

func TestPrintableHead(t *testing.T) {
	if got := PrintableHead([]byte("\x00\x01SIP\xff"), 60); got != `"\x00\x01SIP\xff"` {
		t.Errorf("PrintableHead = %s", got)
	}
	if got := PrintableHead([]byte("SIP/2.0 200 OK"), 3); got != `"SIP"` {
		t.Errorf("PrintableHead cut = %s", got)
	}
}
