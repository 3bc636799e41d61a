package checks

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
)

// TestMediaQualityAccuracy measures through the seeded impairment relay and
// holds the results to the accuracy goals: loss within 1 percentage point of
// what the relay dropped, burst length exact, jitter within 20 % at ≥20 ms,
// RTT within ±5 ms at ≥50 ms.
func TestMediaQualityAccuracy(t *testing.T) {
	cases := []struct {
		name     string
		up, down impair.Impairment
		rtt      time.Duration // injected round-trip delay
		jitter   time.Duration // injected jitter on the round trip
	}{
		{name: "loss+delay", up: impair.Impairment{Loss: 0.05, Delay: 25 * time.Millisecond}, down: impair.Impairment{Delay: 25 * time.Millisecond}, rtt: 50 * time.Millisecond},
		{name: "burst+jitter20", up: impair.Impairment{Loss: 0.03, Burst: 3, Jitter: 20 * time.Millisecond}, jitter: 20 * time.Millisecond},
		{name: "jitter40", down: impair.Impairment{Jitter: 40 * time.Millisecond}, jitter: 40 * time.Millisecond},
		{name: "delay100", up: impair.Impairment{Delay: 50 * time.Millisecond}, down: impair.Impairment{Delay: 50 * time.Millisecond}, rtt: 100 * time.Millisecond},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var (
				r        Result
				samples  []Sample
				up, down impair.Counts
				why      string
			)
			// A shared 2-core machine sometimes stalls for hundreds of ms;
			// then the relay cannot inject what was asked (its own record
			// shows it) and the run says nothing about the check. Retry
			// such runs; fail when the bed never works.
			for attempt := 1; ; attempt++ {
				b := newBed(t, 2, impair.Config{Seed: uint64(i + 1), Up: c.up, Down: c.down, Impaired: isEcho})
				r, samples = runReflectorCheck(t, "media.quality", b.profile, b.opt, nil)
				up, down = b.relay.Counts()
				ok1, why1 := bedHealthy(up, c.up)
				ok2, why2 := bedHealthy(down, c.down)
				if ok1 && ok2 {
					break
				}
				why = why1 + why2
				if attempt == bedAttempts {
					t.Fatalf("the relay could not inject the impairment in %d attempts (machine overloaded?): %s", bedAttempts, why)
				}
				t.Logf("attempt %d: bed unhealthy, retrying: %s", attempt, why)
			}
			if len(samples) == 0 {
				t.Error("no live samples")
			}
			sent := factF(t, r, "packets_sent")
			injected := 100 * float64(up.Dropped+down.Dropped) / sent
			if got := factF(t, r, "loss_pct"); math.Abs(got-injected) > 1 {
				t.Errorf("loss %.2f%%, relay dropped %.2f%% (%d+%d of %v)", got, injected, up.Dropped, down.Dropped, sent)
			}
			if got := factF(t, r, "loss_up_pct"); math.Abs(got-100*float64(up.Dropped)/sent) > 1 {
				t.Errorf("upstream loss %.2f%%, relay dropped %d of %v up", got, up.Dropped, sent)
			}
			if got := int(factF(t, r, "burst_longest")); got != max(up.LongestBurst, down.LongestBurst) {
				t.Errorf("longest burst %d, relay's %d", got, max(up.LongestBurst, down.LongestBurst))
			}
			if c.jitter >= 20*time.Millisecond {
				// The seeded relay's realised jitter (mean |difference| of
				// the delays it added) is what was injected; the nominal
				// value is its expectation.
				want := durMs(up.MeanDelayDiff + down.MeanDelayDiff)
				if got := factF(t, r, "jitter_ms"); math.Abs(got-want) > 0.2*want {
					t.Errorf("jitter %.1f ms, injected %.1f ms (nominal %v; ±20%%)", got, want, c.jitter)
				}
			}
			if c.rtt >= 50*time.Millisecond {
				// What the relay really added (its timer lateness on a
				// loaded machine is part of the "network"); the nominal
				// value must be close to it, or the bed itself is broken.
				want := durMs(up.MedianDelay + down.MedianDelay)
				if math.Abs(want-float64(c.rtt.Milliseconds())) > 20 {
					t.Logf("relay added %.1f ms against a nominal %v: the machine is overloaded", want, c.rtt)
				}
				if got := factF(t, r, "rtt_p50_ms"); math.Abs(got-want) > 5 {
					t.Errorf("RTT p50 %.1f ms, injected %.1f ms (nominal %v; ±5)", got, want, c.rtt)
				}
			}
			t.Logf("%s: %v — %v (relay: up %+v, down %+v)", r.Status, r.Summary.En, r.Facts, up, down)
		})
	}
}

// bedAttempts bounds retries of a run on a stalled machine.
const bedAttempts = 3

// bedHealthy says whether the relay really injected imp: its median added
// delay near the asked one, no extra jitter of its own, and no stall long
// enough to turn late packets into losses.
func bedHealthy(c impair.Counts, imp impair.Impairment) (bool, string) {
	wantMedian := imp.Delay + imp.Jitter*3/2
	tol := 3*time.Millisecond + imp.Jitter/2
	switch {
	case (c.MedianDelay - wantMedian).Abs() > tol:
		return false, fmt.Sprintf("median added delay %v, asked %v; ", c.MedianDelay, wantMedian)
	case c.MeanDelayDiff > max(3*time.Millisecond, imp.Jitter*13/10):
		return false, fmt.Sprintf("relay jitter %v, asked %v; ", c.MeanDelayDiff, imp.Jitter)
	case c.MaxDelay > imp.Delay+3*imp.Jitter+300*time.Millisecond:
		return false, fmt.Sprintf("a packet held %v; ", c.MaxDelay)
	}
	return true, ""
}
