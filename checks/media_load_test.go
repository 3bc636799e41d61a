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

func TestLoadWatch(t *testing.T) {
	steady := func(int, int) (time.Duration, bool) { return time.Millisecond, true }
	cases := []struct {
		name    string
		rounds  int
		rtt     func(k, seq int) (time.Duration, bool)
		stop    bool
		whyHas  string
		growing bool
	}{
		{name: "healthy at 1 s", rounds: 50, rtt: steady, stop: true},
		{name: "before the minimum", rounds: 45, rtt: steady, whyHas: "minimum"},
		{name: "between looks", rounds: 51, rtt: steady, whyHas: "minimum"},
		{name: "an old packet lost", rounds: 50, rtt: func(k, seq int) (time.Duration, bool) {
			return time.Millisecond, !(k == 2 && seq == 10)
		}, whyHas: "no echo"},
		// A packet lost in the last 250 ms cannot be told from one on its
		// way yet; it does not block (the full judgement counts it).
		{name: "a recent packet missing", rounds: 50, rtt: func(k, seq int) (time.Duration, bool) {
			return time.Millisecond, !(k == 0 && seq == 48)
		}, stop: true},
		{name: "slow path, RTT 300 ms", rounds: 100, rtt: func(int, int) (time.Duration, bool) { return 300 * time.Millisecond, true }, whyHas: "no echo"},
		{name: "steady RTT 200 ms", rounds: 100, rtt: func(int, int) (time.Duration, bool) { return 200 * time.Millisecond, true }, stop: true},
		// 30 ms more per second of load: a queue building.
		{name: "RTT growing", rounds: 75, rtt: func(k, seq int) (time.Duration, bool) {
			return 5*time.Millisecond + time.Duration(seq)*mediaInterval*30/1000, true
		}, whyHas: "RTT grew", growing: true},
		// Below the limit (5 ms/s): a line that carries ≥ 99.5 % of the load.
		{name: "RTT drifting slowly", rounds: 75, rtt: func(k, seq int) (time.Duration, bool) {
			return 5*time.Millisecond + time.Duration(seq)*mediaInterval*5/1000, true
		}, stop: true},
		// One stall of the machine raises a few RTTs; medians ignore it.
		{name: "one stall", rounds: 50, rtt: func(k, seq int) (time.Duration, bool) {
			if seq >= 30 && seq < 33 {
				return 120 * time.Millisecond, true
			}
			return time.Millisecond, true
		}, stop: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newLoadWatch(synthStreams(4, c.rounds, c.rtt))
			got := w.stop(c.rounds)
			if got != c.stop {
				t.Fatalf("stop %v, want %v (why %q, trend %+v)", got, c.stop, w.why, w.trend)
			}
			if got && w.stoppedAt != c.rounds {
				t.Errorf("stoppedAt %d", w.stoppedAt)
			}
			if !got && !strings.Contains(w.why, c.whyHas) {
				t.Errorf("why %q, want it to say %q", w.why, c.whyHas)
			}
			if w.trend.growing() != c.growing {
				t.Errorf("growing %v, want %v (trend %+v)", w.trend.growing(), c.growing, w.trend)
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
