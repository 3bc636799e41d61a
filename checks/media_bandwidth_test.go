package checks

import (
	"math"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
)

// TestMediaBandwidth runs the check through the impairment relay: a clearly
// lossy line ends its load early and fails; every other line runs the full
// length, as --long always does.
// It asserts the facts the check reports, never the wall time.
func TestMediaBandwidth(t *testing.T) {
	cases := []struct {
		name      string
		calls     int
		rc        impair.Config
		long      bool
		ramp      float64 // ms of extra reply delay per second (a queue building), via rampRelay
		status    Status
		early     bool
		endHas    string // in load_end
		checkBed  bool   // retry when the relay itself stalled
		lossFromR bool   // compare loss_up_pct with the relay's drops
	}{
		{name: "lossy", calls: 4, rc: impair.Config{Seed: 3, Up: impair.Impairment{Loss: 0.1}}, status: Fail, early: true, endHas: "fail threshold", lossFromR: true},
		{name: "clean", calls: 3, status: Pass, endHas: "needs the full length", checkBed: true},
		{name: "clean --long", calls: 3, long: true, status: Pass, endHas: "--long", checkBed: true},
		// RTT 300 ms: above the settle lag; not read as loss.
		{name: "slow path", calls: 2, rc: impair.Config{Up: impair.Impairment{Delay: 150 * time.Millisecond}, Down: impair.Impairment{Delay: 150 * time.Millisecond}},
			status: Pass, endHas: "needs the full length", checkBed: true},
		{name: "queue building", calls: 2, ramp: 40, status: Warn, endHas: "needs the full length"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var (
				r        Result
				up, down impair.Counts
			)
			for attempt := 1; ; attempt++ {
				c.rc.Impaired = isEcho
				b := newBed(t, 20, c.rc)
				b.profile.Channels = c.calls
				b.opt.MediaDuration = 2 * time.Second
				b.opt.Long = c.long
				if c.ramp > 0 {
					b.profile.Reflector.Addr = startRampRelay(t, b, c.ramp)
				}
				r, _ = runReflectorCheck(t, "media.bandwidth", b.profile, b.opt, nil)
				up, down = b.relay.Counts()
				ok1, why1 := bedHealthy(up, c.rc.Up)
				ok2, why2 := bedHealthy(down, c.rc.Down)
				if !c.checkBed || (ok1 && ok2) {
					break
				}
				if attempt == bedAttempts {
					t.Fatalf("the bed stalled in %d attempts (machine overloaded?): %s%s", bedAttempts, why1, why2)
				}
				t.Logf("attempt %d: bed unhealthy, retrying: %s%s", attempt, why1, why2)
			}
			t.Logf("%s: %s — %v", r.Status, r.Summary.En, r.Facts)
			if r.Status != c.status || (r.Status != Pass && !slices.Contains(r.Remedies, "bandwidth-200kbps")) {
				t.Errorf("status %s remedies %v, want %s", r.Status, r.Remedies, c.status)
			}
			early, _ := r.Facts["ended_early"].(bool)
			end, _ := r.Facts["load_end"].(string)
			dur, planned := factF(t, r, "duration_s"), factF(t, r, "duration_planned_s")
			if early != c.early || !strings.Contains(end, c.endHas) {
				t.Errorf("ended early %v (%q), want %v (%q)", early, end, c.early, c.endHas)
			}
			if planned != 2 {
				t.Errorf("planned %v s, want the 2 s asked", planned)
			}
			if c.early {
				if dur < bandwidthMinLoad.Seconds() || dur >= planned {
					t.Errorf("ended early after %v s, want between %v and %v", dur, bandwidthMinLoad.Seconds(), planned)
				}
				if !strings.Contains(r.Summary.En, "so it stopped before the planned 2 s") {
					t.Errorf("summary %q does not say the load ended early", r.Summary.En)
				}
			} else if dur != planned {
				t.Errorf("ran %v s, want the full %v s", dur, planned)
			}
			sent := factF(t, r, "packets_sent")
			if want := float64(c.calls) * dur * mediaPPS; math.Abs(sent-want) > 0.5 {
				t.Errorf("sent %v packets, want %d calls × %v s × 50/s", sent, c.calls, dur)
			}
			if got := factF(t, r, "target_kbps_each_way"); got != float64(c.calls*bandwidthPerCallKbps) {
				t.Errorf("target %v kbps", got)
			}
			if c.lossFromR {
				if got, want := factF(t, r, "loss_up_pct"), 100*float64(up.Dropped)/sent; math.Abs(got-want) > 1 {
					t.Errorf("loss up %.2f%%, relay dropped %.2f%%", got, want)
				}
			}
			if c.status == Pass {
				// The rate is over the load's real duration, early or not.
				want := float64(c.calls * bandwidthPerCallKbps)
				if got := factF(t, r, "rate_up_kbps"); math.Abs(got-want) > want/100 {
					t.Errorf("clean line carried %v kbps up, want %v", got, want)
				}
			}
			if c.ramp > 0 {
				if got := factF(t, r, "rtt_growth_ms_per_s"); math.Abs(got-c.ramp) > c.ramp/4 {
					t.Errorf("RTT growth %v ms/s, the relay added %v", got, c.ramp)
				}
				if !strings.Contains(r.Summary.En, "echo RTT grew") {
					t.Errorf("summary %q does not name the growing RTT", r.Summary.En)
				}
			}
		})
	}
}

// startRampRelay mirrors the bed reflector's UDP ports on 127.0.0.3 and
// holds each echo reply msPerS × (seconds since the first echo) before
// passing it on: the RTT of a line whose queue grows because it is offered
// more than it carries, with nothing lost. It returns its address.
func startRampRelay(t *testing.T, b *bed, msPerS float64) string {
	t.Helper()
	const ip = "127.0.0.3"
	target := netip.MustParseAddr(bedReflectorIP)
	ports := []int{b.opt.Ports.Reflector, b.opt.Ports.ReflectorSIP}
	for p := b.opt.Ports.ReflectorRTP.From; p <= b.opt.Ports.ReflectorRTP.To; p++ {
		ports = append(ports, p)
	}
	var (
		mu     sync.Mutex
		listen = map[int]*net.UDPConn{}
		ups    = map[netip.AddrPort]*net.UDPConn{}
		first  time.Time
	)
	hold := func(b []byte) time.Duration {
		if !isEcho(b) {
			return 0
		}
		mu.Lock()
		defer mu.Unlock()
		if first.IsZero() {
			first = time.Now()
		}
		return time.Duration(msPerS * float64(time.Since(first)) / 1000)
	}
	for _, p := range ports {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(ip), Port: p})
		if err != nil {
			t.Fatalf("ramp relay: %v", err)
		}
		listen[p] = c
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range listen {
			c.Close()
		}
		for _, c := range ups {
			c.Close()
		}
	})
	back := func(up *net.UDPConn, client netip.AddrPort) {
		buf := make([]byte, 65536)
		for {
			n, from, err := up.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			out := listen[int(from.Port())]
			if out == nil {
				continue
			}
			pkt := append([]byte(nil), buf[:n]...)
			time.AfterFunc(hold(pkt), func() { out.WriteToUDPAddrPort(pkt, client) })
		}
	}
	for p, c := range listen {
		go func() {
			buf := make([]byte, 65536)
			for {
				n, client, err := c.ReadFromUDPAddrPort(buf)
				if err != nil {
					return
				}
				mu.Lock()
				up := ups[client]
				if up == nil {
					if up, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(ip)}); err != nil {
						mu.Unlock()
						continue
					}
					ups[client] = up
					go back(up, client)
				}
				mu.Unlock()
				up.WriteToUDPAddrPort(buf[:n], netip.AddrPortFrom(target, uint16(p)))
			}
		}()
	}
	return ip
}
