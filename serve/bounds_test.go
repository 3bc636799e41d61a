package serve

import (
	"context"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// TestStateBounded: hostile traffic (many nonces, many sources) never grows
// the reflector's tables past their bounds.
func TestStateBounded(t *testing.T) {
	s, _ := start(t, Config{MaxStreams: 50, MaxSessions: 5})
	body := make([]byte, wire.EchoLen)
	for src := 2; src < 12; src++ {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, byte(src))})
		if err != nil {
			t.Skip("cannot bind 127.0.0.x:", err)
		}
		defer c.Close()
		for n := 0; n < 200; n++ {
			c.WriteToUDP(wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: uint64(n)}, body, 64, ""), s.ControlAddr())
		}
	}
	time.Sleep(200 * time.Millisecond) // let the reader drain the socket
	s.t.mu.Lock()
	sessions, streams := len(s.t.sessions), len(s.t.streams)
	s.t.mu.Unlock()
	if sessions > 5 || streams > 50 {
		t.Fatalf("tables grew past their bounds: %d sessions (max 5), %d streams (max 50)", sessions, streams)
	}
	if sessions == 0 || streams == 0 {
		t.Fatalf("nothing tracked (%d sessions, %d streams): the test sent nothing", sessions, streams)
	}
	s.t.expire(time.Now().Add(2*SessionIdle), false)
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if len(s.t.sessions) != 0 || len(s.t.streams) != 0 {
		t.Fatalf("state did not expire: %d sessions, %d streams", len(s.t.sessions), len(s.t.streams))
	}
}

// BenchmarkServeRTPRange starts a reflector with the page's full 10,001-port
// range and reports the memory it holds, then echoes under load.
// Sys and RSS are deltas over the process: read them from a fresh process
// with -benchtime 1x, since the N=1 warm-up run already grew both.
func BenchmarkServeRTPRange(b *testing.B) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	goBefore, rssBefore := runtime.NumGoroutine(), rssMB()
	var s *Server
	var err error
	for base := 2000; base < 55000; base += 1001 {
		s, err = Start(context.Background(), Config{Listen: "127.0.0.1", RTP: content.PortRange{From: base, To: base + 10000}})
		if err == nil {
			break
		}
	}
	if err != nil {
		b.Skip("no free 10,001-port block:", err)
	}
	defer s.Close()
	time.Sleep(100 * time.Millisecond)
	runtime.GC()
	runtime.ReadMemStats(&after)
	idleSys := float64(after.Sys-before.Sys) / 1e6
	idleStacks := float64(after.StackInuse-before.StackInuse) / 1e6
	idleHeap := float64(after.HeapInuse-before.HeapInuse) / 1e6
	idleGoroutines := runtime.NumGoroutine() - goBefore
	idleRSS := rssMB() - rssBefore

	// Load: 16 clients echoing 172-byte packets across the range.
	const clients = 16
	conns := make([]*net.UDPConn, clients)
	for i := range conns {
		conns[i], _ = net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		defer conns[i].Close()
		go func(c *net.UDPConn) {
			buf := make([]byte, 2048)
			for {
				if _, _, err := c.ReadFromUDP(buf); err != nil {
					return
				}
			}
		}(conns[i])
	}
	body := make([]byte, wire.EchoLen)
	pkt := wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: 1}, body, 172, "")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		port := s.RTP().From + i%10001
		conns[i%clients].WriteToUDP(pkt, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
		if i%512 == 511 {
			time.Sleep(time.Millisecond) // stay under the per-source rate budget
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(idleSys, "MB-sys-idle")
	b.ReportMetric(idleStacks, "MB-stacks-idle")
	b.ReportMetric(idleHeap, "MB-heap-idle")
	b.ReportMetric(float64(idleGoroutines), "goroutines-idle")
	if rssBefore >= 0 {
		b.ReportMetric(idleRSS, "MB-rss-idle")
	}
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/1e6, "MB-heap-after-load")
}

// rssMB is the process's resident set from /proc (Linux), or -1 elsewhere.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, err := strconv.Atoi(f[1])
			if err != nil {
				return -1
			}
			return float64(kb) / 1e3
		}
	}
	return -1
}
