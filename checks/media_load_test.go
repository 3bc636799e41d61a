package checks

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// synthStreams builds n streams that have sent rounds packets on schedule
// and received, by the latest send, the echoes that rtt says came back in
// time (rtt false: never).
func synthStreams(n, rounds int, rtt func(k, seq int) (time.Duration, bool)) []*echoStream {
	stagger := mediaInterval / time.Duration(n)
	now := time.Duration(rounds-1)*mediaInterval + time.Duration(n-1)*stagger
	streams := make([]*echoStream, n)
	for k := range streams {
		s := &echoStream{}
		s.txs = make([]atomic.Int64, rounds)
		s.rxs = make([]atomic.Int64, rounds)
		for seq := 0; seq < rounds; seq++ {
			tx := time.Duration(seq)*mediaInterval + time.Duration(k)*stagger
			s.txs[seq].Store(int64(tx) + 1)
			if d, ok := rtt(k, seq); ok && tx+d <= now {
				s.rxs[seq].Store(int64(tx+d) + 1)
			}
		}
		s.sent.Store(int64(rounds))
		streams[k] = s
	}
	return streams
}

// TestLoadWatch: the watch ends a load early only on clear loss; a clean,
// slow or queueing line runs the full length.
func TestLoadWatch(t *testing.T) {
	steady := func(int, int) (time.Duration, bool) { return time.Millisecond, true }
	every := func(n int) func(int, int) (time.Duration, bool) {
		return func(k, seq int) (time.Duration, bool) { return time.Millisecond, (k*7+seq)%n != 0 }
	}
	cases := []struct {
		name   string
		calls  int
		rounds int
		rtt    func(k, seq int) (time.Duration, bool)
		stop   bool
		whyHas string
	}{
		{name: "healthy at 1 s", calls: 4, rounds: 50, rtt: steady, whyHas: "needs the full length"},
		{name: "healthy at 4 s", calls: 4, rounds: 200, rtt: steady, whyHas: "needs the full length"},
		{name: "before the minimum", calls: 4, rounds: 45, rtt: every(5), whyHas: "minimum"},
		{name: "between looks", calls: 4, rounds: 51, rtt: every(5), whyHas: "minimum"},
		{name: "10 % lost", calls: 4, rounds: 100, rtt: every(10), stop: true, whyHas: "above the 3% fail threshold"},
		{name: "2 % lost: under the fail threshold", calls: 4, rounds: 100, rtt: every(50), whyHas: "needs the full length"},
		{name: "too few packets to tell", calls: 1, rounds: 60, rtt: every(5), whyHas: "needs the full length"},
		// A burst allowance used up after 1 s: half of everything since is lost.
		{name: "policed after a burst", calls: 10, rounds: 75, rtt: func(k, seq int) (time.Duration, bool) {
			return time.Millisecond, seq < 50 || seq%2 == 0
		}, stop: true},
		{name: "slow path, RTT 600 ms", calls: 4, rounds: 100, rtt: func(int, int) (time.Duration, bool) { return 600 * time.Millisecond, true }, whyHas: "needs the full length"},
		{name: "RTT growing, nothing lost", calls: 4, rounds: 100, rtt: func(k, seq int) (time.Duration, bool) {
			return 5*time.Millisecond + time.Duration(seq)*mediaInterval*30/1000, true
		}, whyHas: "needs the full length"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newLoadWatch(synthStreams(c.calls, c.rounds, c.rtt), 3)
			got := w.stop(c.rounds)
			if got != c.stop || !strings.Contains(w.why, c.whyHas) {
				t.Fatalf("stop %v (%q), want %v (%q)", got, w.why, c.stop, c.whyHas)
			}
			if got && w.stoppedAt != c.rounds {
				t.Errorf("stoppedAt %d", w.stoppedAt)
			}
		})
	}
}

func TestTrendOf(t *testing.T) {
	// 60 rounds, RTT 10 ms rising by 20 ms per second of sending.
	tr := trendOf(2, 60, func(k, seq int) (time.Duration, time.Duration, bool) {
		tx := time.Duration(seq) * mediaInterval
		return 10*time.Millisecond + tx/50, tx, seq%7 != 3 // some lost: skipped
	})
	if !tr.Measured || tr.GrowthMsPerS < 19 || tr.GrowthMsPerS > 21 || !tr.growing() {
		t.Errorf("trend %+v, want ≈ 20 ms/s and growing", tr)
	}
	if tr := trendOf(2, 2, func(int, int) (time.Duration, time.Duration, bool) { return 0, 0, true }); tr.Measured {
		t.Errorf("2 rounds measured a trend: %+v", tr)
	}
	if tr := trendOf(1, 30, func(int, int) (time.Duration, time.Duration, bool) { return 0, 0, false }); tr.Measured || tr.growing() {
		t.Errorf("no echoes measured a trend: %+v", tr)
	}
}
