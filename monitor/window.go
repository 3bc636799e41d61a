package monitor

import (
	"math"
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// measure computes a window's figures from its packets with the statistics
// of media.quality. prevCount is the reflector's running count at the end
// of the previous window (-1: unknown); the second result is this window's.
func measure(ps []packet, prevCount int64, th content.Thresholds) (Window, int64) {
	var w Window
	mp := make([]checks.MediaPacket, 0, len(ps))
	maxCount, allReflector := int64(-1), len(ps) > 0
	for _, p := range ps {
		if p.method != MethodReflector {
			allReflector = false
		}
		if p.excluded {
			continue
		}
		mp = append(mp, checks.MediaPacket{Sent: true, Received: p.received, TX: p.tx, RX: p.rx, ServerRx: p.serverRx})
		if p.received && p.count > 0 {
			maxCount = max(maxCount, int64(p.count))
		}
	}
	serverRx := -1
	if allReflector && prevCount >= 0 && maxCount >= prevCount {
		serverRx = int(maxCount - prevCount)
	}
	st := checks.SummarizeMedia(mp, serverRx)
	w.Sent, w.Received, w.BurstMax = st.Sent, st.Received, st.LongestBurst
	w.LossPct = round2(st.LossPct)
	if st.HaveServer {
		w.LossUpPct, w.LossDownPct = ptr(round2(st.UpLossPct)), ptr(round2(st.DownLossPct))
		w.JitterUpMs, w.JitterDnMs = ptr(ms(st.JitterUp)), ptr(ms(st.JitterDown))
	}
	w.Quality = "none"
	if st.Received > 0 {
		w.JitterMs, w.RTTMs, w.RTTP95Ms = ptr(ms(st.Jitter)), ptr(ms(st.RTTP50)), ptr(ms(st.RTTP95))
		mos := round2(checks.EstimateMOS(st.RTTP50, st.Jitter, st.LossPct))
		w.MOS = ptr(mos)
		w.Quality = string(gradeWindow(w.LossPct, *w.JitterMs, *w.RTTMs, mos, th))
	}
	if maxCount < 0 {
		maxCount = prevCount
	}
	return w, maxCount
}

// gradeWindow is the worst grade of the four call-quality figures.
func gradeWindow(loss, jitter, rtt, mos float64, th content.Thresholds) checks.Status {
	worst := checks.Pass
	for _, g := range []checks.Status{checks.Grade(loss, th.LossPercent), checks.Grade(jitter, th.JitterMs),
		checks.Grade(rtt, th.RTTMs), checks.Grade(mos, th.MOS)} {
		if g == checks.Fail || (g == checks.Warn && worst == checks.Pass) {
			worst = g
		}
	}
	return worst
}

func ptr[T any](v T) *T { return &v }

func ms(d time.Duration) float64 { return round2(d.Seconds() * 1000) }

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func optMs(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmtFloat(*v) + " ms"
}

func optNum(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmtFloat(*v)
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func secondsDur(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
