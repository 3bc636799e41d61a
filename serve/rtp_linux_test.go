//go:build linux

package serve

import (
	"context"
	"testing"
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
