//go:build linux

package serve

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// benchClient is one technician's load: calls at 50 packets/s from one
// source address, 20 calls per socket, each call to its own RTP port.
type benchClient struct {
	socks      []*net.UDPConn
	to         []*net.UDPAddr // per call
	sent, echo atomic.Int64
	stats      chan int64 // Stats answers (received counts)
}

// BenchmarkServeConcurrentClients loads a reflector (in a child process, so
// its CPU and memory are its own) with 50 media streams and 5 bandwidth
// tests of 100 calls each — 27,500 packets/s each way from 55 source
// addresses on loopback — for 5 s, and reports its CPU, its peak RSS and
// the echoes missing (loss the reflector itself added: loopback drops
// nothing else).
func BenchmarkServeConcurrentClients(b *testing.B) {
	const (
		bandwidthClients, bandwidthCalls = 5, 100
		mediaClients                     = 50
		d                                = 5 * time.Second
	)
	var cpu time.Duration
	var sent, echoed, arrived int64
	var rss int64
	for b.Loop() {
		ctl, rtp, stop := startServeProcess(b)
		var clients []*benchClient
		for i := 0; i < bandwidthClients+mediaClients; i++ {
			calls := 1
			if i < bandwidthClients {
				calls = bandwidthCalls
			}
			clients = append(clients, newBenchClient(b, fmt.Sprintf("127.0.1.%d", i+1), calls, rtp, i))
		}
		before := childRusage(b)
		runBenchClients(clients, d)
		for _, c := range clients {
			arrived += c.arrived(ctl)
			for _, s := range c.socks {
				s.Close()
			}
			sent += c.sent.Load()
			echoed += c.echo.Load()
		}
		stop()
		after := childRusage(b)
		cpu += time.Duration(after.Utime.Nano()+after.Stime.Nano()) - time.Duration(before.Utime.Nano()+before.Stime.Nano())
		rss = max(rss, after.Maxrss)
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N)/d.Seconds(), "reflector-cpu-cores")
	b.ReportMetric(100*float64(sent-echoed)/float64(max(sent, 1)), "loss-%")
	// of that loss, the share that never reached the reflector's counters
	// (dropped in its socket buffers while it lagged, or by the sender);
	// the rest it counted but its echo did not come back
	b.ReportMetric(100*float64(sent-arrived)/float64(max(sent, 1)), "loss-before-reflector-%")
	b.ReportMetric(float64(rss)/1024, "reflector-maxrss-MB")
	b.ReportMetric(float64(sent)/float64(b.N)/d.Seconds(), "pps-each-way")
}

func childRusage(b *testing.B) syscall.Rusage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		b.Fatal(err)
	}
	return ru
}

func newBenchClient(b *testing.B, src string, calls int, rtp content.PortRange, salt int) *benchClient {
	c := &benchClient{stats: make(chan int64, 1)}
	size := rtp.To - rtp.From + 1
	for k := 0; k < calls; k++ {
		if k%20 == 0 {
			s, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(src)})
			if err != nil {
				b.Skipf("cannot bind %s: %v", src, err)
			}
			s.SetReadBuffer(1 << 20)
			c.socks = append(c.socks, s)
			go c.receive(s)
		}
		c.to = append(c.to, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: rtp.From + (2*k+salt)%size})
	}
	return c
}

// arrived asks the reflector's control port how many of this client's
// echoes it counted (every call of a client shares nonce 9 and the source
// address); -1 when it does not answer.
func (c *benchClient) arrived(ctl int) int64 {
	s := c.socks[0]
	req := wire.Build(wire.Header{Type: wire.TypeStats, Nonce: 9}, nil, 64, "")
	s.WriteToUDP(req, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: ctl})
	select {
	case n := <-c.stats:
		return n
	case <-time.After(time.Second):
		return 0
	}
}

func (c *benchClient) receive(s *net.UDPConn) {
	buf := make([]byte, 2048)
	for {
		n, _, err := s.ReadFromUDP(buf)
		if err != nil {
			return
		}
		h, body, err := wire.Parse(buf[:n])
		switch {
		case err != nil:
		case h.Type == wire.TypeEchoReply:
			c.echo.Add(1)
		case h.Type == wire.TypeStatsReply:
			st, _ := wire.ParseStats(body)
			select {
			case c.stats <- int64(st.Received):
			default:
			}
		}
	}
}

// runBenchClients sends every call's packets when due (every 20 ms, the
// calls staggered), checking every 2 ms, then waits for the last echoes.
func runBenchClients(clients []*benchClient, d time.Duration) {
	type call struct {
		c      *benchClient
		k      int
		offset time.Duration
		n      int
	}
	var calls []*call
	for _, c := range clients {
		for k := range c.to {
			calls = append(calls, &call{c: c, k: k})
		}
	}
	for i, cl := range calls {
		cl.offset = 20 * time.Millisecond * time.Duration(i) / time.Duration(len(calls))
	}
	pkt := wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: 9}, make([]byte, wire.EchoLen), 472, "")
	start := time.Now()
	for time.Since(start) < d {
		now := time.Since(start)
		for _, cl := range calls {
			for due := int((now-cl.offset)/(20*time.Millisecond)) + 1; cl.n < due && now >= cl.offset; cl.n++ {
				cl.c.socks[cl.k/20].WriteToUDP(pkt, cl.c.to[cl.k])
				cl.c.sent.Add(1)
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for wait := time.Now().Add(time.Second); c.echo.Load() < c.sent.Load() && time.Now().Before(wait); {
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
}

// startServeProcess runs TestBenchServeProcess in a child: a reflector on
// 127.0.0.1 with a 1,000-port RTP range and the default budgets.
func startServeProcess(b *testing.B) (ctl int, rtp content.PortRange, stop func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchServeProcess$")
	cmd.Env = append(os.Environ(), "BIZTEL_BENCH_SERVE=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	for {
		line, err := r.ReadString('\n')
		if _, serr := fmt.Sscanf(strings.TrimSpace(line), "ports %d %d %d", &ctl, &rtp.From, &rtp.To); serr == nil {
			return ctl, rtp, func() { stdin.Close(); cmd.Wait() }
		}
		if err != nil {
			stdin.Close()
			cmd.Wait()
			b.Fatalf("reflector process: %v", err)
		}
	}
}

// TestBenchServeProcess is BenchmarkServeConcurrentClients' reflector.
func TestBenchServeProcess(t *testing.T) {
	if os.Getenv("BIZTEL_BENCH_SERVE") == "" {
		t.Skip("started by BenchmarkServeConcurrentClients only")
	}
	var s *Server
	var err error
	for base := 30000; base < 60000 && s == nil; base += 1009 {
		s, err = Start(context.Background(), Config{Listen: "127.0.0.1", RTP: content.PortRange{From: base, To: base + 999}})
	}
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fmt.Printf("ports %d %d %d\n", s.ControlAddr().Port, s.RTP().From, s.RTP().To)
	bufio.NewReader(os.Stdin).ReadString('\n')
}
