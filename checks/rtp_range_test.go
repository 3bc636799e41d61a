package checks

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve"
)

// TestRTPRangeFindsBlockedSubranges: the relay blocks two sub-ranges; the
// full sweep reports exactly them, and the sample reports the sampled view.
func TestRTPRangeFindsBlockedSubranges(t *testing.T) {
	b := newBed(t, 300, impair.Config{Up: impair.Impairment{Loss: 0.02}, Seed: 7, Impaired: isEcho})
	b2 := newBedBlocked(t, 300, func(lo int) []content.PortRange {
		return []content.PortRange{{From: lo + 100, To: lo + 199}, {From: lo + 299, To: lo + 299}}
	})
	lo := b2.opt.Ports.ReflectorRTP.From
	b2.opt.RTPFull = true
	r, _ := runReflectorCheck(t, "rtp.range", b2.profile, b2.opt, nil)
	want := fmt.Sprintf("%d–%d ok, %d–%d no reply, %d–%d ok, %d no reply", lo, lo+99, lo+100, lo+199, lo+200, lo+298, lo+299)
	if r.Facts["ranges"] != want || r.Status != Fail {
		t.Errorf("full sweep: %s %q\nwant %q", r.Status, r.Facts["ranges"], want)
	}
	b2.opt.RTPFull = false
	r, _ = runReflectorCheck(t, "rtp.range", b2.profile, b2.opt, nil)
	if r.Status != Fail || r.Facts["ports_probed"] != rtpSampleCount {
		t.Errorf("sample: %s %v", r.Status, r.Facts)
	}
	// Lossy but open: retries make every port answer.
	b.opt.RTPFull = true
	r, _ = runReflectorCheck(t, "rtp.range", b.profile, b.opt, nil)
	if r.Status != Pass {
		t.Errorf("lossy open range: %s %v", r.Status, r.Facts)
	}
}

func newBedBlocked(t *testing.T, size int, blocked func(lo int) []content.PortRange) *bed {
	t.Helper()
	// The relay needs the range before it starts: reserve it by starting a
	// bed, then restart the relay part with the block on the same ports.
	for try := 0; try < 10; try++ {
		b := newBed(t, size, impair.Config{})
		lo := b.opt.Ports.ReflectorRTP.From
		b.relay.Close()
		rc := impair.Config{Listen: bedRelayIP, Target: bedReflectorIP, Blocked: blocked(lo),
			UDPPorts: []int{b.opt.Ports.ReflectorSIP, b.opt.Ports.Reflector}}
		for p := lo; p < lo+size; p++ {
			rc.UDPPorts = append(rc.UDPPorts, p)
		}
		relay, err := impair.Start(rc)
		if err != nil {
			continue
		}
		t.Cleanup(relay.Close)
		b.relay = relay
		return b
	}
	t.Fatal("could not restart the relay")
	return nil
}

func TestRTPRangeSkipsWithoutReflector(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}
	for _, id := range []string{"rtp.range", "media.bandwidth", "nat.timer"} {
		opt := DefaultOptions()
		opt.Long = true
		plan, err := MakePlan(p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if why := plan.Skipped[id]; why.En != needsReflector.En {
			t.Errorf("%s: skip reason %q", id, why.En)
		}
	}
}

func TestSamplePorts(t *testing.T) {
	got := samplePorts(content.PortRange{From: 10000, To: 20000}, rtpSampleCount)
	if len(got) != rtpSampleCount || got[0] != 10000 || got[len(got)-1] != 20000 || got[1] != 10250 {
		t.Fatalf("sample %v", got)
	}
	if got := samplePorts(content.PortRange{From: 5, To: 7}, 41); len(got) != 3 {
		t.Fatalf("small range sample %v", got)
	}
}

// BenchmarkRTPFullSweep sweeps the whole 10000-20000-sized range on
// loopback (goal ≤ 5 s per sweep).
func BenchmarkRTPFullSweep(b *testing.B) {
	var srv *serve.Server
	var err error
	for base := 2000; base < 55000; base += 1001 {
		srv, err = serve.Start(context.Background(), serve.Config{Listen: "127.0.0.1", RTP: content.PortRange{From: base, To: base + 10000}})
		if err == nil {
			break
		}
	}
	if err != nil {
		b.Skip("no free 10,001-port block on loopback:", err)
	}
	defer srv.Close()
	opt := DefaultOptions()
	opt.RTPFull = true
	opt.Ports.Reflector, opt.Ports.ReflectorRTP = srv.ControlAddr().Port, srv.RTP()
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, Reflector: profile.Reflector{Addr: "127.0.0.1"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, _ := runReflectorCheck(&testing.T{}, "rtp.range", p, opt, nil)
		if r.Status != Pass {
			b.Fatalf("%s %v", r.Status, r.Facts)
		}
		b.ReportMetric(float64(r.Facts["duration_ms"].(int64)), "ms/sweep")
	}
}

// TestRTPPlanCountsTheRealSample: plan's purpose names as many ports as the
// run probes, also for a range smaller than the default sample (the demo).
func TestRTPPlanCountsTheRealSample(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, Reflector: profile.Reflector{Addr: "127.0.0.1:20999"}}
	for _, tc := range []struct {
		r    content.PortRange
		want string
	}{
		{content.PortRange{From: 10000, To: 20000}, "sample of 41 RTP ports"},
		{content.PortRange{From: 40000, To: 40015}, "sample of 16 RTP ports"},
	} {
		opt := DefaultOptions()
		opt.Ports.ReflectorRTP = tc.r
		dests, skip := planRTPRange(p, opt)
		if !skip.IsZero() || len(dests) != 2 || !strings.Contains(dests[1].Purpose.En, tc.want) {
			t.Errorf("range %s: plan %+v (skip %q), want a purpose with %q", tc.r, dests, skip.En, tc.want)
		}
	}
}
