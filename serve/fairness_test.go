package serve

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// echoClient sends wire echoes from src to port at pps for d and counts
// the replies.
type echoClient struct {
	conn       *net.UDPConn
	sent, echo atomic.Int64
}

func newEchoClient(t *testing.T, src string) *echoClient {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(src)})
	if err != nil {
		t.Skipf("cannot bind %s: %v", src, err)
	}
	t.Cleanup(func() { c.Close() })
	ec := &echoClient{conn: c}
	go func() {
		buf := make([]byte, 2048)
		for {
			n, _, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			if h, _, err := wire.Parse(buf[:n]); err == nil && h.Type == wire.TypeEchoReply {
				ec.echo.Add(1)
			}
		}
	}()
	return ec
}

// run sends pps packets a second for d, a millisecond's worth at a time.
func (ec *echoClient) run(to *net.UDPAddr, pps int, d time.Duration) {
	pkt := wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: 7}, make([]byte, wire.EchoLen), 172, "")
	start := time.Now()
	for time.Since(start) < d {
		due := int(time.Since(start).Seconds() * float64(pps))
		for int(ec.sent.Load()) < due {
			ec.conn.WriteToUDP(pkt, to)
			ec.sent.Add(1)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestBudgetKeepsASourceFromStarvingOthers: one client sends three times
// its per-source budget to the same RTP port another client uses for a
// call; the second is still served in full, the first only up to its
// budget.
func TestBudgetKeepsASourceFromStarvingOthers(t *testing.T) {
	const budget, burst = 1000, 200
	s, _ := start(t, Config{RTP: rtpRange(t), RatePPS: budget, RateBurst: burst})
	to := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: s.RTP().From}
	heavy, call := newEchoClient(t, "127.0.0.2"), newEchoClient(t, "127.0.0.3")
	const d = time.Second
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); heavy.run(to, 3*budget, d) }()
	go func() { defer wg.Done(); call.run(to, 50, d) }()
	wg.Wait()
	// the last echoes (a loaded machine may hold them a while)
	for wait := time.Now().Add(replyWait); call.echo.Load() < call.sent.Load() && time.Now().Before(wait); {
		time.Sleep(10 * time.Millisecond)
	}
	hs, he, cs, ce := heavy.sent.Load(), heavy.echo.Load(), call.sent.Load(), call.echo.Load()
	t.Logf("heavy source: %d sent, %d echoed; call: %d sent, %d echoed", hs, he, cs, ce)
	if ce < cs*99/100 || cs == 0 {
		t.Errorf("the second source got %d of %d echoes: starved", ce, cs)
	}
	if limit := int64(float64(budget)*d.Seconds()*1.2) + burst; he > limit || he >= hs {
		t.Errorf("the heavy source got %d echoes of %d sent, more than its budget allows (%d)", he, hs, limit)
	}
}
