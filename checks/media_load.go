package checks

import (
	"fmt"
	"slices"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// When media.bandwidth may stop its load before bandwidthMaxDuration: only
// when the answer is already clear, so a short run never passes a line that
// a full one would fail.
const (
	// bandwidthMinLoad is the least full load judged: 50 rounds of every
	// call, enough for loss of a few per cent to show on one call and for
	// a queue to build on a line that cannot carry the load.
	bandwidthMinLoad = time.Second
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
// stop early: after bandwidthMinLoad, when every packet sent more than
// bandwidthSettleLag ago has been echoed on every stream and the echo RTT
// is not growing. It reads only the streams' atomics (the receivers write
// them meanwhile).
type loadWatch struct {
	streams   []*echoStream
	echoedTo  []int    // per stream: every seq below is echoed
	why       string   // why the load went on at the last look
	trend     rttTrend // at the last look
	stoppedAt int      // rounds when it said stop; 0 while it has not
}

func newLoadWatch(streams []*echoStream) *loadWatch {
	return &loadWatch{streams: streams, echoedTo: make([]int, len(streams)),
		why: fmt.Sprintf("the planned load is no longer than the %.0f s minimum", bandwidthMinLoad.Seconds())}
}

// stop is runStreams' stop hook.
func (w *loadWatch) stop(rounds int) bool {
	if time.Duration(rounds)*mediaInterval < bandwidthMinLoad || rounds%bandwidthWatchEvery != 0 {
		return false
	}
	last := w.streams[len(w.streams)-1]
	now := time.Duration(last.txs[rounds-1].Load() - 1) // the latest send
	echoed := rounds
	for k, s := range w.streams {
		i := w.echoedTo[k]
		for i < rounds && s.rxs[i].Load() != 0 {
			i++
		}
		w.echoedTo[k] = i
		if i < rounds && now-time.Duration(s.txs[i].Load()-1) > bandwidthSettleLag {
			w.why = fmt.Sprintf("a packet sent over %.0f ms earlier had no echo (lost, or a slower round trip)", float64(bandwidthSettleLag)/float64(time.Millisecond))
			return false
		}
		echoed = min(echoed, i)
	}
	w.trend = trendOf(len(w.streams), echoed, func(k, seq int) (time.Duration, time.Duration, bool) {
		s := w.streams[k]
		rx, tx := s.rxs[seq].Load(), s.txs[seq].Load()
		return time.Duration(rx - tx), time.Duration(tx - 1), rx != 0
	})
	if !w.trend.Measured {
		w.why = "too few echoes to see the RTT trend"
		return false
	}
	if w.trend.growing() {
		w.why = fmt.Sprintf("echo RTT grew %.1f ms/s (a queue building)", w.trend.GrowthMsPerS)
		return false
	}
	w.stoppedAt = rounds
	return true
}

// appendText appends b to a in both languages.
func appendText(a, b content.Text) content.Text {
	return content.Text{Ja: a.Ja + b.Ja, En: a.En + b.En}
}
