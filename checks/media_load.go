package checks

import (
	"fmt"
	"slices"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// When media.bandwidth may stop its load before bandwidthMaxDuration.
//
// The rule: only to fail. A run ends early when, after bandwidthMinLoad,
// the packets old enough to have been echoed (bandwidthSettleLag) show a
// round-trip loss above the fail threshold; a run that is not clearly
// failing always runs the full length, so every pass rests on the full
// run's evidence.
//
// Why it cannot pass a token-bucket line that a full run fails: a bucket
// of b bytes refilled at r, offered the load's rate R > r, passes
// everything until it is empty (t_b = b/(R−r)) and then drops (R−r)/R of
// the load. Nothing seen before t_b tells b — a short clean run on such a
// line looks exactly like a healthy one (issue 16: it stopped at 1.0 s and
// passed a line that the 5 s run failed with 28 % upstream loss). So no
// length short of the full one can earn a pass. Ending early on loss is
// safe the other way: the cumulative loss (R−r)(t−t_b)/(R·t) only grows
// with t, so loss above the threshold at t stays above it at the full
// length — a burst allowance adds capacity at the start, it cannot explain
// loss. The price: a healthy line always carries the full load
// (bandwidthMaxDuration).
const (
	// bandwidthMinLoad is the least full load judged: 50 rounds of every
	// call, enough for loss of a few per cent to stand out of the counting
	// noise (at 1 call, 3 % of 50 packets is 1.5).
	bandwidthMinLoad = time.Second
	// bandwidthMinSettled: an early fail needs at least this many settled
	// packets, so one or two losses of a small call count cannot end it.
	bandwidthMinSettled = 200
	// bandwidthSettleLag is how old a packet must be before its missing
	// echo counts against stopping early: above any sane RTT to the
	// reflector (the page's RTT fail threshold is 300 ms one way round,
	// a healthy path answers within tens of ms). A slower path simply runs
	// the full length.
	bandwidthSettleLag = 250 * time.Millisecond
	// bandwidthWatchEvery: rounds between two looks (100 ms); each look
	// sorts the echo RTTs, so not after every round.
	bandwidthWatchEvery = 5
	// bandwidthRTTGrowthLimit (ms of median echo RTT per second of load) is
	// the sign of a line that buffers load it cannot carry: one that
	// delivers only bandwidthMinRatio of the load queues the rest, so its
	// queue delay grows by (1 − ratio) of the elapsed time — 10 ms/s. A
	// healthy path's median RTT does not drift at all.
	bandwidthRTTGrowthLimit = (1 - bandwidthMinRatio) * 1000
)

// rttTrend is the median echo RTT of the first and the last third of a
// run's rounds over all streams, and its growth per second between them.
type rttTrend struct {
	First, Last  time.Duration
	GrowthMsPerS float64
	Measured     bool // both thirds had echoes
}

func (t rttTrend) growing() bool { return t.Measured && t.GrowthMsPerS > bandwidthRTTGrowthLimit }

// trendOf computes the trend over rounds [0, n); rtt gives stream k's
// packet seq's RTT and send time, ok false when it was not echoed.
func trendOf(streams, n int, rtt func(k, seq int) (rt, tx time.Duration, ok bool)) rttTrend {
	part := n / 3
	if part < 1 {
		return rttTrend{}
	}
	median := func(from, to int) (med, meanTx time.Duration, ok bool) {
		var rts []time.Duration
		var txSum time.Duration
		for k := 0; k < streams; k++ {
			for seq := from; seq < to; seq++ {
				if rt, tx, ok := rtt(k, seq); ok {
					rts = append(rts, rt)
					txSum += tx
				}
			}
		}
		if len(rts) == 0 {
			return 0, 0, false
		}
		slices.Sort(rts)
		return rts[len(rts)/2], txSum / time.Duration(len(rts)), true
	}
	first, tx1, ok1 := median(0, part)
	last, tx2, ok2 := median(n-part, n)
	if !ok1 || !ok2 || tx2 <= tx1 {
		return rttTrend{}
	}
	return rttTrend{First: first, Last: last, Measured: true,
		GrowthMsPerS: float64(last-first) / float64(time.Millisecond) / (tx2 - tx1).Seconds()}
}

// loadWatch decides, between rounds of media.bandwidth's load, whether to
// stop early — only to fail (see the rule above). It reads only the
// streams' atomics (the receivers write them meanwhile).
type loadWatch struct {
	streams   []*echoStream
	failAbove float64       // round-trip loss, %, above which the run fails (the loss threshold's warn limit)
	settledTo []int         // per stream: every seq below is settled (echoed, or lost)
	maxRTT    time.Duration // longest echo RTT seen
	sent      int           // settled packets
	lost      int           // of those, without an echo
	why       string        // why the load went on (or stopped) at the last look
	stoppedAt int           // rounds when it said stop; 0 while it has not
}

func newLoadWatch(streams []*echoStream, failAbove float64) *loadWatch {
	return &loadWatch{streams: streams, failAbove: failAbove, settledTo: make([]int, len(streams)),
		why: fmt.Sprintf("the planned load is no longer than the %.0f s minimum", bandwidthMinLoad.Seconds())}
}

// stop is runStreams' stop hook.
func (w *loadWatch) stop(rounds int) bool {
	if time.Duration(rounds)*mediaInterval < bandwidthMinLoad || rounds%bandwidthWatchEvery != 0 {
		return false
	}
	last := w.streams[len(w.streams)-1]
	now := time.Duration(last.txs[rounds-1].Load() - 1) // the latest send
	for k, s := range w.streams {
		i := w.settledTo[k]
		for ; i < rounds; i++ {
			rx, tx := s.rxs[i].Load(), s.txs[i].Load()
			// Lost only when well past every round trip seen so far, so a
			// slow path is not read as a lossy one.
			if rx == 0 && now-time.Duration(tx-1) <= max(bandwidthSettleLag, 3*w.maxRTT) {
				break // may still be echoed
			}
			w.sent++
			if rx == 0 {
				w.lost++
			} else {
				w.maxRTT = max(w.maxRTT, time.Duration(rx-tx))
			}
		}
		w.settledTo[k] = i
	}
	loss := 0.0
	if w.sent > 0 {
		loss = 100 * float64(w.lost) / float64(w.sent)
	}
	if w.sent < bandwidthMinSettled || loss <= w.failAbove {
		w.why = "not clearly failing: a pass needs the full length (a burst allowance can hide the line's limit)"
		return false
	}
	w.why = fmt.Sprintf("round-trip loss %.1f%% of %d settled packets, above the %.0f%% fail threshold: a burst allowance cannot explain loss", loss, w.sent, w.failAbove)
	w.stoppedAt = rounds
	return true
}

// appendText appends b to a in both languages.
func appendText(a, b content.Text) content.Text {
	return content.Text{Ja: a.Ja + b.Ja, En: a.En + b.En}
}
