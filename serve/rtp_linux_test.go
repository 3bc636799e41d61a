//go:build linux

package serve

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
	"golang.org/x/sys/unix"
)

// TestRTPLoopStopsBeforeSocketsClose: both ways of stopping (Close, and the
// context ending) wait for the epoll loop to return while every RTP socket
// is still open, so no raw descriptor is read after its socket closed.
func TestRTPLoopStopsBeforeSocketsClose(t *testing.T) {
	for _, byCtx := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		s, err := Start(ctx, Config{Listen: "127.0.0.1", RTP: rtpRange(t)})
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		if s.loop == nil {
			t.Fatal("no epoll loop on Linux")
		}
		calls, open := 0, 0
		s.loop.stopped = func() {
			calls++
			select {
			case <-s.loop.done:
			default:
				t.Error("stopped hook ran while the loop was still running")
			}
			for _, c := range s.rtp {
				rc, err := c.SyscallConn()
				if err == nil && rc.Control(func(uintptr) {}) == nil {
					open++
				}
			}
		}
		if byCtx {
			cancel()
		}
		s.Close()
		cancel()
		if calls != 1 || open != len(s.rtp) {
			t.Fatalf("ctx=%v: loop stop seen %d times with %d of %d RTP sockets open; want once with all open", byCtx, calls, open, len(s.rtp))
		}
		for _, c := range s.rtp {
			rc, _ := c.SyscallConn()
			if rc.Control(func(uintptr) {}) == nil {
				t.Fatalf("ctx=%v: RTP socket %s still open after Close", byCtx, c.LocalAddr())
			}
		}
	}
}

// TestAddrPortMatchesNet: the epoll loop names a sender as
// ReadFromUDPAddrPort does, so sessions and rate limits key the same.
func TestAddrPortMatchesNet(t *testing.T) {
	v6 := [16]byte{0xfe, 0x80, 15: 1}
	mapped := [16]byte{10: 0xff, 11: 0xff, 12: 192, 13: 0, 14: 2, 15: 7}
	for _, tc := range []struct {
		sa   unix.Sockaddr
		want netip.AddrPort
	}{
		{&unix.SockaddrInet4{Port: 5004, Addr: [4]byte{192, 0, 2, 7}}, netip.MustParseAddrPort("192.0.2.7:5004")},
		{&unix.SockaddrInet6{Port: 5004, Addr: mapped}, netip.MustParseAddrPort("[::ffff:192.0.2.7]:5004")},
		{&unix.SockaddrInet6{Port: 5004, Addr: v6, ZoneId: 4242}, netip.MustParseAddrPort("[fe80::1%4242]:5004")},
	} {
		got, ok := addrPort(tc.sa)
		if !ok || got != tc.want {
			t.Errorf("addrPort(%+v) = %v, %v; want %v", tc.sa, got, ok, tc.want)
		}
	}
	if _, ok := addrPort(&unix.SockaddrUnix{Name: "x"}); ok {
		t.Error("a unix-socket sender was accepted")
	}
}

// TestRTPEchoOverIPv6: the loop serves an IPv6 listener too.
func TestRTPEchoOverIPv6(t *testing.T) {
	r := rtpRange(t)
	s, err := Start(context.Background(), Config{Listen: "::1", RTP: r})
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	defer s.Close()
	c := dial(t, &net.UDPAddr{IP: net.IPv6loopback, Port: r.To})
	req := wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: 3}, make([]byte, wire.EchoLen), 172, "")
	got := exchange(t, c, req, replyWait)
	if len(got) != 1 || len(got[0]) != len(req) {
		t.Fatalf("IPv6 RTP echo: got %d replies, want one of %d bytes", len(got), len(req))
	}
	if h, _, err := wire.Parse(got[0]); err != nil || h.Type != wire.TypeEchoReply {
		t.Fatalf("IPv6 RTP echo reply: %v %v", h.Type, err)
	}
}
