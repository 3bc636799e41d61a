package serve

import (
	"context"
	"log"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// TestRTPStartStopUnderTraffic starts and stops the reflector over and over
// while echo traffic hits its RTP ports, by Close and by ending the context.
// After each stop it binds fresh sockets, which take the freed descriptor
// numbers, and checks every datagram sent to them arrives: a reader that
// outlived its socket would steal some. Run with -race.
func TestRTPStartStopUnderTraffic(t *testing.T) {
	const rounds = 40
	sender, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	pkt := wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: 7}, make([]byte, wire.EchoLen), 172, "")
	for round := range rounds {
		r := rtpRange(t)
		ctx, cancel := context.WithCancel(context.Background())
		s, err := Start(ctx, Config{Listen: "127.0.0.1", RTP: r, Log: log.New(&syncBuf{}, "", 0)})
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		if runtime.GOOS == "linux" && s.loop == nil {
			t.Fatal("Linux served RTP without the epoll loop")
		}
		replies := make(chan struct{}, 1)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { // traffic until the server is gone
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				sender.WriteToUDP(pkt, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: r.From + i%4})
				time.Sleep(100 * time.Microsecond) // under the per-source rate budget
			}
		}()
		go func() {
			defer wg.Done()
			buf := make([]byte, 2048)
			for {
				sender.SetReadDeadline(time.Now().Add(silenceWait))
				n, _, err := sender.ReadFromUDP(buf)
				if err != nil {
					select {
					case <-stop:
						return
					default:
						continue
					}
				}
				if n == len(pkt) && wire.IsWire(buf[:n]) {
					select {
					case replies <- struct{}{}:
					default:
					}
				}
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
		select {
		case <-replies:
		case <-time.After(replyWait):
			t.Fatalf("round %d: no RTP echo came back", round)
		}
		if round%2 == 0 {
			s.Close()
		} else {
			cancel()
			s.Close()
		}
		cancel()
		close(stop)
		sender.SetReadDeadline(time.Now()) // wake the reader
		wg.Wait()
		checkNothingStolen(t, round)
	}
}

// checkNothingStolen binds sockets on the descriptors a stopped server just
// freed and checks each receives every datagram sent to it.
func checkNothingStolen(t *testing.T, round int) {
	t.Helper()
	const socks, each = 8, 5
	for range socks {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		out := dial(t, c.LocalAddr().(*net.UDPAddr))
		for i := range each {
			out.Write([]byte{byte(i)})
		}
		buf := make([]byte, 16)
		for i := range each {
			c.SetReadDeadline(time.Now().Add(replyWait))
			if _, _, err := c.ReadFromUDP(buf); err != nil {
				c.Close()
				t.Fatalf("round %d: datagram %d of %d to a fresh socket lost (%v): a stopped server still reads its descriptors", round, i+1, each, err)
			}
		}
		out.Close()
		c.Close()
	}
}
